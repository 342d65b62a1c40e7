import duckdb
import pyarrow as pa
import pytest

from analytics.decisions.decisions import current_decision, decide
from analytics.decisions.models import DecisionChange
from analytics.decisions.queue_sync import SyncReport, sync_queue
from analytics.decisions.store import utc_now
from analytics.decisions.synthetic import synthetic_event
from detectors.config.errors import InputError


def queued(conn):
    return {
        row["event_id"]: row["load_id"]
        for row in conn.execute("select event_id, load_id from queue_events")
    }


def test_the_first_sync_copies_every_event(conn, sync_rows):
    rows = [synthetic_event(i) for i in range(120)]  # clips of 50 events: 3 clips
    assert sync_rows(rows) == SyncReport(3, 0, 120)
    assert len(queued(conn)) == 120
    copied = conn.execute("select * from queue_events where event_id = ?", [rows[5]["event_id"]])
    row = dict(copied.fetchone())
    assert row["occurred_at"] == "2025-03-03T00:03:05.000000+00:00"  # 5 x 37 s after the start
    assert row["detected_platform"] == "jd"
    assert row["details_json"] == rows[5]["details_json"]


def test_a_sync_with_nothing_new_does_nothing(conn, sync_rows):
    rows = [synthetic_event(i) for i in range(60)]
    sync_rows(rows)
    assert sync_rows(rows) == SyncReport(0, 0, 0)


def test_a_reloaded_clip_is_replaced_and_a_vanished_clip_dropped(conn, sync_rows):
    rows = [synthetic_event(i) for i in range(100)]  # clip000000 and clip000001
    sync_rows(rows)
    reloaded = [{**row, "load_id": "L2"} for row in rows[:40]]  # clip 0 lost 10 events
    assert sync_rows(reloaded) == SyncReport(1, 1, 40)
    assert set(queued(conn).values()) == {"L2"}
    assert len(queued(conn)) == 40


def test_decisions_outlive_a_resync(conn, sync_rows, people, policy):
    rows = [synthetic_event(i) for i in range(3)]
    sync_rows(rows)
    reviewer, now = people["reviewer"], utc_now()
    for row, disposition in zip(rows[:2], ("education", "warning"), strict=True):
        change = DecisionChange(decision="confirmed", disposition=disposition)
        decide(conn, row["event_id"], change, 0, reviewer, now, policy, evidence="intact")
    sync_rows([{**row, "load_id": "L2"} for row in rows])
    assert current_decision(conn, rows[0]["event_id"]).decision == "confirmed"
    statuses = dict(conn.execute("select event_id, review_status from queue_events").fetchall())
    assert statuses[rows[0]["event_id"]] == "confirmed"
    assert statuses[rows[1]["event_id"]] == "awaiting_second"  # wrong-way: double review
    assert statuses[rows[2]["event_id"]] == "pending"


def test_optional_columns_may_be_missing_from_the_source(conn):
    optional = ["signal_id", "camera_name", "evidence_sha256_json"]
    table = pa.Table.from_pylist([synthetic_event(0)]).drop_columns(optional)
    sync_queue(conn, duckdb.connect().from_arrow(table))
    row = conn.execute(f"select {', '.join(optional)} from queue_events").fetchone()
    assert tuple(row) == (None, None, None)


def test_a_source_without_the_needed_columns_is_named(conn):
    table = pa.Table.from_pylist([synthetic_event(0)]).drop_columns(["rule", "zone_id"])
    with pytest.raises(InputError, match="rule, zone_id.*fct_violations"):
        sync_queue(conn, duckdb.connect().from_arrow(table))
