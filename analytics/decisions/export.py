"""The current decisions as an Arrow table: the warehouse's ``raw_review_decisions``."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from analytics.decisions.store import open_store_read_only, sql

DECISIONS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("decision", pa.string()),
        ("reason_code", pa.string()),
        ("comment", pa.string()),
        ("courier_platform", pa.string()),
        ("rider_code", pa.string()),
        ("disposition", pa.string()),
        ("fine_yuan", pa.int64()),
        ("stage", pa.string()),
        ("first_reviewed_by", pa.string()),
        ("second_reviewed_by", pa.string()),
        ("decided_by", pa.string()),
        ("decided_at", pa.timestamp("us", tz="UTC")),
        ("version", pa.int64()),
    ]
)


def current_decisions(root: str | Path) -> pa.Table:
    """One row per decided event (grain: event), read through a read-only connection so that a
    reader can never change or lock out the workbench; empty while there is no store yet."""
    conn = open_store_read_only(root)
    if conn is None:
        return DECISIONS_SCHEMA.empty_table()
    conn.row_factory = (
        None  # plain tuples: a demo store holds ~90,000 decisions, read per connection
    )
    try:
        rows = conn.execute(sql("decisions", "current_decisions")).fetchall()
    finally:
        conn.close()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in DECISIONS_SCHEMA]
    arrays = [
        # The store's fixed-width ISO text with offset, parsed by Arrow rather than by Python.
        pa.array(values, pa.string()).cast(field.type)
        if field.name == "decided_at"
        else pa.array(values, field.type)
        for field, values in zip(DECISIONS_SCHEMA, columns, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=DECISIONS_SCHEMA)
