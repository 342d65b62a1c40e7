"""Road users followed over time: track ids, rider association, per-track summaries."""
