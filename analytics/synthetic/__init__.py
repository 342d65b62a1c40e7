"""Synthetic per-clip engine outputs for demos and the scale benchmark: fixed seed, never real.

Everything generated says so: camera ids start with ``syn-``, intersection ids with ``syn-``,
``engine_version`` and ``model_version`` are 'synthetic', and a board built on it prints a
notice. Nothing here comes from footage.
"""

from analytics.synthetic.generate import SyntheticSpec, SyntheticSummary, write_synthetic_warehouse
from analytics.synthetic.world import World, build_world

__all__ = ["SyntheticSpec", "SyntheticSummary", "World", "build_world", "write_synthetic_warehouse"]
