"""Keeping the queue index in step with the warehouse's ``fct_violations``, clip by clip.

Loads are immutable and a clip's newest load wins, so a clip whose current ``load_id`` is the
one already copied needs no work: a sync reads and writes only clips that are new, reloaded or
gone. Each batch of clips is its own short transaction, so reviewers' decisions are not held up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics.decisions.store import sql, store_session, to_text, utc_now, writing
from detectors.config.errors import InputError

# The columns of fct_violations the queue copies; the optional ones become null when absent.
SOURCE_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("clip_id", pa.string()),
        ("load_id", pa.string()),
        ("camera_id", pa.string()),
        ("camera_name", pa.string()),
        ("intersection_id", pa.string()),
        ("district", pa.string()),
        ("rule", pa.string()),
        ("zone_id", pa.string()),
        ("track_id", pa.int64()),
        ("class_name", pa.string()),
        ("occurred_at", pa.timestamp("us", tz="UTC")),
        ("t_s", pa.float64()),
        ("confidence", pa.float64()),
        ("signal_id", pa.string()),
        ("signal_state", pa.string()),
        ("detected_platform", pa.string()),
        ("courier_confidence", pa.float64()),
        ("evidence_path", pa.string()),
        # The SHA-256 of each evidence file as loaded: what the workbench checks files against.
        ("evidence_sha256_json", pa.string()),
        ("details_json", pa.string()),
    ]
)
OPTIONAL_COLUMNS = ("signal_id", "camera_name", "evidence_sha256_json")
REQUIRED_COLUMNS = tuple(name for name in SOURCE_SCHEMA.names if name not in OPTIONAL_COLUMNS)
CLIPS_PER_BATCH = 200


@dataclass(frozen=True)
class SyncReport:
    count_clips_synced: int  # new or reloaded
    count_clips_removed: int
    count_events_written: int


def sync_queue(
    conn: sqlite3.Connection, events: duckdb.DuckDBPyRelation, now: datetime | None = None
) -> SyncReport:
    """Bring the queue index to the events of ``events`` (fct_violations or a relation of its
    columns): copy the clips whose load changed, drop the clips no longer there."""
    missing = [column for column in REQUIRED_COLUMNS if column not in events.columns]
    if missing:
        raise InputError(
            f"the events to queue lack column(s) {', '.join(missing)}; pass fct_violations "
            "(analytics.warehouse.connect(root).table('fct_violations'))"
        )
    now = now or utc_now()
    current = _current_loads(events)
    synced = {row["clip_id"]: row["load_id"] for row in conn.execute(sql("queue", "all_loads"))}
    changed = sorted(clip for clip, (load, _) in current.items() if synced.get(clip) != load)
    removed = sorted(set(synced) - set(current))
    with writing(conn):
        for clip_id in removed:
            _forget_clip(conn, clip_id)
    written = 0
    for batch in _batches(changed, CLIPS_PER_BATCH):
        rows = _event_rows(events, {clip_id: current[clip_id][0] for clip_id in batch})
        with writing(conn):
            for clip_id in batch:
                _forget_clip(conn, clip_id)
                load_id, count_events = current[clip_id]
                conn.execute(
                    sql("queue", "upsert_load"),
                    {
                        "clip_id": clip_id,
                        "load_id": load_id,
                        "count_events": count_events,
                        "synced_at": to_text(now),
                    },
                )
            conn.executemany(sql("queue", "insert_event"), rows)
        written += len(rows)
    if changed or removed:
        conn.execute("pragma optimize")  # fresh statistics, so the planner picks good indexes
    return SyncReport(len(changed), len(removed), written)


def sync_from_warehouse(root: str | Path) -> SyncReport:
    """Sync the queue of the workbench at ``root`` from that warehouse's ``fct_violations``."""
    from analytics.warehouse import connect

    try:
        duck = connect(Path(root))
        try:
            with store_session(root) as conn:
                return sync_queue(conn, duck.table("fct_violations"))
        finally:
            duck.close()
    except duckdb.Error as error:
        # DuckDB names the file it could not read in the first line of its message.
        problem = str(error).splitlines()[0]
        raise InputError(
            f"the warehouse at {root} cannot be read for the review queue: {problem}. "
            "Load that clip again (`civility warehouse load`) or move its load folder aside."
        ) from None


def _current_loads(events: duckdb.DuckDBPyRelation) -> dict[str, tuple[str, int]]:
    loads: dict[str, tuple[str, int]] = {}
    grouped = events.aggregate("clip_id, load_id, count(*) as count_events", "clip_id, load_id")
    for clip_id, load_id, count_events in grouped.fetchall():
        # fct_violations holds one load per clip; should two ever appear, the newest stamp wins.
        if clip_id not in loads or load_id > loads[clip_id][0]:
            loads[clip_id] = (load_id, count_events)
    return loads


def _event_rows(events: duckdb.DuckDBPyRelation, loads: dict[str, str]) -> list[dict]:
    """The events of these clips' loads (clip_id -> load_id), ready for ``insert_event``."""
    column, constant = duckdb.ColumnExpression, duckdb.ConstantExpression
    projection = [
        column(name) if name in events.columns else constant(None).alias(name)
        for name in SOURCE_SCHEMA.names
    ]
    chosen = events.filter(column("clip_id").isin(*(constant(c) for c in loads)))
    rows = chosen.select(*projection).to_arrow_table().to_pylist()
    rows = [row for row in rows if row["load_id"] == loads[row["clip_id"]]]
    for row in rows:
        if row["occurred_at"] is not None:
            row["occurred_at"] = to_text(row["occurred_at"])
    return rows


def _forget_clip(conn: sqlite3.Connection, clip_id: str) -> None:
    conn.execute(sql("queue", "delete_clip_events"), {"clip_id": clip_id})
    conn.execute(sql("queue", "delete_load"), {"clip_id": clip_id})


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
