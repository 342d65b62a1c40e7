"""Synthetic per-clip engine outputs for demos and the scale benchmark: fixed seed, never real.

Everything generated says so: camera ids start with ``syn-``, intersection ids with ``syn-``,
``engine_version`` and ``model_version`` are 'synthetic', and a board built on it prints a
notice. Nothing here comes from footage. Nothing is imported here: the command line imports its
modules only when a command runs.
"""
