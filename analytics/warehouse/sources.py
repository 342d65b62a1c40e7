"""The raw sources under every view: Parquet files by glob, or an empty typed table.

A connection reads whatever loads and compactions exist when it is opened, a consistent
snapshot: files are never modified, and superseded ones are removed only after a grace period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics.warehouse.layout import CLIP_TABLES, SOURCE_SCHEMA, UNKNOWN_WEEK, clips_dir
from analytics.warehouse.load import exposures, with_optional_columns
from analytics.warehouse.sql_files import quoted
from detectors.outputs import SCHEMAS

# Partition values are names, not numbers or dates: DuckDB must not guess their types.
LOOSE_PARTITIONS = "{'week': varchar, 'clip': varchar, 'load': varchar}"
COMPACTED_PARTITIONS = "{'week': varchar, 'gen': varchar}"


def define_clip_sources(
    con: duckdb.DuckDBPyConnection, root: Path, weeks: Iterable[str] | None
) -> None:
    """``raw_<table>`` for each per-clip table: loose loads and compactions, unioned by name.

    Rows carry ``week``, ``load_id`` and ``generation`` ('' for a loose load, the compaction's
    stamp otherwise) so that the views can keep the newest copy of each clip.
    """
    partitions = None if weeks is None else with_margin(weeks)
    for name in CLIP_TABLES:
        parts = []
        loose = existing(clips_dir(root), f"clip=*/load=*/{name}.parquet", partitions)
        if loose:
            parts.append(
                f"select * exclude (clip, load, week), week, load as load_id, "
                f"'' as generation from {parquet(loose, LOOSE_PARTITIONS)}"
            )
        compacted = existing(root / "compacted", f"gen=*/{name}.parquet", partitions)
        if compacted:
            parts.append(
                f"select * exclude (gen, week), week, gen as generation from "
                f"{parquet(compacted, COMPACTED_PARTITIONS)}"
            )
        if not parts:
            empty = f"empty_{name}"
            define_table_source(con, empty, empty_clip_table(name), f"no {name} rows yet")
            parts.append(
                f"select *, ''::varchar as week, ''::varchar as load_id, "
                f"''::varchar as generation from {SOURCE_SCHEMA}.{empty}"
            )
        view = f"{SOURCE_SCHEMA}.raw_{name}"
        con.execute(f"create or replace view {view} as " + " union all by name ".join(parts))
        comment_on(
            con,
            "view",
            view,
            f"Raw source: the {name} table of every clip load and compaction, with week, load_id "
            "and generation (stg_ models keep the current copy).",
        )


def define_parquet_source(
    con: duckdb.DuckDBPyConnection,
    name: str,
    folder: Path,
    pattern: str,
    schema: pa.Schema,
    comment: str,
) -> None:
    """``name`` over ``folder/pattern`` with every column of ``schema``: files written before a
    column was added read it as null. An empty table of ``schema`` when nothing is there."""
    if any(folder.glob(pattern)):
        columns = f"{name}_columns"
        define_table_source(con, columns, schema.empty_table(), f"the columns of {name}")
        con.execute(
            f"create or replace view {SOURCE_SCHEMA}.{name} as "
            f"select * from {SOURCE_SCHEMA}.{columns} union all by name select * from "
            f"read_parquet({quoted(str(folder / pattern))}, hive_partitioning = false, "
            "union_by_name = true)"
        )
        comment_on(con, "view", f"{SOURCE_SCHEMA}.{name}", f"Raw source: {comment}")
    else:
        define_table_source(con, name, schema.empty_table(), f"{comment} (none yet)")


def define_table_source(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, comment: str
) -> None:
    """A copy of ``table`` in the connection's database, so that a catalog file keeps it."""
    con.register(f"{name}_arrow", table)
    target = f"{SOURCE_SCHEMA}.{name}"
    con.execute(f"create or replace table {target} as select * from {name}_arrow")
    con.unregister(f"{name}_arrow")
    comment_on(con, "table", target, f"Raw source: {comment}")


def comment_on(con: duckdb.DuckDBPyConnection, kind: str, name: str, comment: str) -> None:
    con.execute(f"comment on {kind} {name} is {quoted(comment)}")


def empty_clip_table(name: str) -> pa.Table:
    if name == "exposures":
        return exposures(empty_clip_table("zone_passages"))
    return with_optional_columns(name, SCHEMAS[name].empty_table())


def existing(base: Path, pattern: str, weeks: list[str] | None) -> list[str]:
    """Globs under ``base/week=*`` that match at least one file (DuckDB rejects empty globs)."""
    folders = [base / f"week={week}" for week in weeks] if weeks else list(base.glob("week=*"))
    return [
        str(folder / pattern) for folder in folders if folder.is_dir() and any(folder.glob(pattern))
    ]


def parquet(globs: list[str], partitions: str) -> str:
    listed = ", ".join(quoted(glob) for glob in globs)
    return (
        f"read_parquet([{listed}], hive_partitioning = true, hive_types = {partitions}, "
        "union_by_name = true)"
    )


def with_margin(weeks: Iterable[str]) -> list[str]:
    """The weeks and their neighbours: a clip is filed under its UTC start week, which can differ
    by one from its week in the board's timezone; clips of unknown start never reach a board."""
    wanted = set()
    for week in weeks:
        if week == UNKNOWN_WEEK:
            continue
        monday = date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
        for shift in (-7, 0, 7):
            year, number, _ = (monday + timedelta(days=shift)).isocalendar()
            wanted.add(f"{year}-W{number:02d}")
    return sorted(wanted)
