"""Analyst access to the warehouse: ``civility sql``, read-only by construction.

``access`` opens the catalog with DuckDB's file access locked to the warehouse and refuses every
statement but queries; ``results`` streams a result to the terminal or a file; ``shell`` is the
interactive prompt. Nothing here imports pyarrow until a result is written to a file.
"""
