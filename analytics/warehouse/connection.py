"""Opening the warehouse: an in-memory DuckDB with views over the files, layer by layer.

There is no database file to lock: every process (the pipeline, the review app, an analyst's
shell) opens its own connection, reads a consistent snapshot, and never blocks another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from analytics.warehouse.shared_sources import SHARED_SOURCES
from analytics.warehouse.sources import define_clip_sources
from analytics.warehouse.sql_files import layered_models
from detectors.config.errors import InputError


def connect(
    root: Path, weeks: Iterable[str] | None = None, database: str = ":memory:"
) -> duckdb.DuckDBPyConnection:
    """A connection with every raw source and model view; ``weeks`` ('YYYY-Www') limits the
    per-clip sources to those weeks' partitions, which is what keeps a weekly board fast.
    ``database`` is a DuckDB file to build the views in instead (see ``write_catalog``)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(
            f"{root}: no warehouse here. Load a clip into it with `civility warehouse load`, "
            "or point --warehouse / $CIVILITY_WAREHOUSE at an existing one."
        )
    con = duckdb.connect(database)
    # Timestamps are stored in UTC; local weeks are computed explicitly with `at time zone`.
    con.execute("set TimeZone = 'UTC'")
    con.execute("set parquet_metadata_cache = true")
    define_clip_sources(con, root.resolve(), weeks)
    for define in SHARED_SOURCES:
        define(con, root)
    apply_models(con, layered_models())
    return con


def write_catalog(root: Path, path: Path) -> Path:
    """A DuckDB file holding the warehouse's views (over absolute file paths) and its small
    tables, for the DuckDB shell: ``duckdb -readonly PATH``. Built beside its final place and
    renamed over it, so a shell that has the old one open keeps a consistent snapshot."""
    path = Path(path)
    staging = path.with_name(f".{path.name}.partial")
    staging.unlink(missing_ok=True)
    connect(root, database=str(staging)).close()
    staging.replace(path)
    return path


def apply_models(con: duckdb.DuckDBPyConnection, models: list[tuple[str, str]]) -> None:
    """Create each model as a view, every model after the models it reads (DuckDB binds a view
    when it is created), whatever the file order within a layer."""
    for name, body in in_dependency_order(models):
        try:
            con.execute(f"create or replace view {name} as {body}")
        except duckdb.Error as error:
            raise RuntimeError(f"analytics/sql model {name} cannot be created: {error}") from None


def in_dependency_order(models: list[tuple[str, str]]) -> list[tuple[str, str]]:
    bodies = dict(models)
    reads = {
        name: {other for other in bodies if other != name and re.search(rf"\b{other}\b", body)}
        for name, body in models
    }
    ordered: list[tuple[str, str]] = []
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            raise RuntimeError(f"analytics/sql models read each other in a loop: {path}")
        for other in sorted(reads[name]):
            visit(other, (*path, name))
        done.add(name)
        ordered.append((name, bodies[name]))

    for name, _ in models:
        visit(name, ())
    return ordered
