"""The current decisions as an Arrow table: the warehouse's ``raw_review_decisions``."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from analytics.decisions.store import from_text, open_store_read_only, sql, store_path

DECISIONS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("decision", pa.string()),
        ("reason_code", pa.string()),
        ("comment", pa.string()),
        ("courier_platform", pa.string()),
        ("rider_code", pa.string()),
        ("decided_by", pa.string()),
        ("decided_at", pa.timestamp("us", tz="UTC")),
        ("version", pa.int64()),
    ]
)


def current_decisions(root: str | Path) -> pa.Table:
    """One row per decided event (grain: event), read through a read-only connection so that a
    reader can never change or lock out the workbench; empty while there is no store yet."""
    if not store_path(root).is_file():
        return DECISIONS_SCHEMA.empty_table()
    conn = open_store_read_only(root)
    try:
        rows = [dict(row) for row in conn.execute(sql("decisions", "current_decisions"))]
    finally:
        conn.close()
    for row in rows:
        row["decided_at"] = from_text(row["decided_at"])
    return pa.Table.from_pylist(rows, schema=DECISIONS_SCHEMA)
