"""Opening the warehouse: an in-memory DuckDB with views over the files, layer by layer.

There is no database file to lock: every process (the pipeline, the review app, an analyst's
shell) opens its own connection, reads a consistent snapshot, and never blocks another.

Each layer has its own schema, so that what an analyst lists is what they should query: the raw
sources and staging models in ``staging``, the intermediate models in ``intermediate``, the marts
in ``main`` (the default schema, all that ``show tables`` lists). Views name what they read with
its schema, so they bind on any connection; the connections opened here also put every layer on
the search path, so that the project's own code reads any view by its bare name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from analytics.warehouse.layout import SOURCE_SCHEMA
from analytics.warehouse.shared_sources import SHARED_SOURCES
from analytics.warehouse.sources import comment_on, define_clip_sources
from analytics.warehouse.sql_files import header_comment, layered_models
from detectors.config.errors import InputError

# The schema of a model, by its name's prefix (dbt's layer names); the rest are marts, in main.
LAYER_SCHEMAS = {"raw_": SOURCE_SCHEMA, "stg_": SOURCE_SCHEMA, "int_": "intermediate"}
MART_SCHEMA = "main"
INTERNAL_SEARCH_PATH = f"{MART_SCHEMA},intermediate,{SOURCE_SCHEMA}"


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
    create_layer_schemas(con)
    define_clip_sources(con, root.resolve(), weeks)
    for define in SHARED_SOURCES:
        define(con, root)
    apply_models(con, layered_models())
    return con


def create_layer_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in sorted(set(LAYER_SCHEMAS.values())):
        con.execute(f"create schema if not exists {schema}")
    con.execute(f"set search_path = '{INTERNAL_SEARCH_PATH}'")


def model_schema(name: str) -> str:
    return next(
        (schema for prefix, schema in LAYER_SCHEMAS.items() if name.startswith(prefix)),
        MART_SCHEMA,
    )


def apply_models(con: duckdb.DuckDBPyConnection, models: list[tuple[str, str]]) -> None:
    """Create each model as a view in its layer's schema, commented with its SQL file's header,
    every model after the models it reads (DuckDB binds a view when it is created), whatever the
    file order within a layer."""
    create_layer_schemas(con)
    schemas = relation_schemas(con) | {name: model_schema(name) for name, _ in models}
    for name, body in in_dependency_order(models):
        target = f"{schemas[name]}.{name}"
        try:
            con.execute(f"create or replace view {target} as {qualified(body, schemas)}")
        except duckdb.Error as error:
            raise RuntimeError(f"analytics/sql model {name} cannot be created: {error}") from None
        comment_on(con, "view", target, header_comment(body) or f"analytics/sql model {name}")


def relation_schemas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{name: schema} of the tables and views the connection already has (raw sources)."""
    found = con.execute(
        "select table_name, schema_name from duckdb_tables() where not internal and not temporary "
        "union all select view_name, schema_name from duckdb_views() "
        "where not internal and not temporary"
    ).fetchall()
    return dict(found)


def qualified(body: str, schemas: dict[str, str]) -> str:
    """``body`` with each relation it reads (after from or join) named with its schema, unless
    that is the default one: views bind wherever they are queried, without a search path."""
    hidden = sorted((name for name, schema in schemas.items() if schema != MART_SCHEMA), key=len)
    if not hidden:
        return body
    names = "|".join(re.escape(name) for name in reversed(hidden))
    pattern = re.compile(rf"\b(from|join)(\s+)({names})\b(?!\.)", re.IGNORECASE)
    return pattern.sub(lambda match: f"{match[1]}{match[2]}{schemas[match[3]]}.{match[3]}", body)


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
