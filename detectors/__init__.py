"""The detection engine: clip -> frames -> detections -> tracks -> events -> evidence."""
