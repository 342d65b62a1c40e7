"""Signal state per frame: vision (lamp reading), timeline and fixed-time plan sources."""
