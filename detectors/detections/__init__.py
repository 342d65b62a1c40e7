"""Per-frame detections of road users (``sv.Detections``)."""
