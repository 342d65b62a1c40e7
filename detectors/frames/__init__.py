"""Frames streamed from a clip at the analysis rate."""
