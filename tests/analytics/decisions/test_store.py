import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from analytics.decisions.store import (
    from_text,
    open_store,
    open_store_read_only,
    sql,
    store_path,
    to_text,
    writing,
)


def test_the_store_lives_under_review_in_the_warehouse(root, conn):
    assert store_path(root) == root / "review" / "review.sqlite"
    assert store_path(root).is_file()


def test_the_store_is_in_wal_mode_and_writers_wait_for_the_lock(conn):
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("pragma busy_timeout").fetchone()[0] == 10_000


def test_opening_again_keeps_the_data(root, conn):
    conn.execute("insert into queue_loads values ('c1', 'l1', 3, '2025-01-01')")
    again = open_store(root)
    assert again.execute("select count(*) from queue_loads").fetchone()[0] == 1
    again.close()


def test_a_failed_transaction_leaves_nothing_behind(conn):
    with pytest.raises(RuntimeError), writing(conn):
        conn.execute("insert into queue_loads values ('c1', 'l1', 3, '2025-01-01')")
        raise RuntimeError("half-way")
    assert conn.execute("select count(*) from queue_loads").fetchone()[0] == 0


def test_a_second_writer_waits_for_the_first_instead_of_failing(root, conn):
    first_holds_lock = threading.Event()
    release = threading.Event()
    errors = []

    def first_writer():
        other = open_store(root)
        with writing(other):
            other.execute("insert into queue_loads values ('a', 'l', 1, 'x')")
            first_holds_lock.set()
            release.wait()
        other.close()

    thread = threading.Thread(target=first_writer)
    thread.start()
    first_holds_lock.wait()
    # The second writer starts while the first holds the lock; it must block, then succeed.
    threading.Timer(0.2, release.set).start()
    try:
        with writing(conn):
            conn.execute("insert into queue_loads values ('b', 'l', 1, 'x')")
    except sqlite3.OperationalError as exc:
        errors.append(exc)
    thread.join()
    assert errors == []
    assert conn.execute("select count(*) from queue_loads").fetchone()[0] == 2


def test_a_read_only_connection_cannot_write(root, conn):
    reader = open_store_read_only(root)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("insert into queue_loads values ('c1', 'l1', 3, '2025-01-01')")
    reader.close()


def test_named_statements_are_read_from_the_sql_files():
    statement = sql("decisions", "decision_by_event")
    assert statement.startswith("select")
    assert "where event_id = :event_id" in statement
    assert not statement.endswith(";")


def test_timestamps_are_fixed_width_utc_text():
    moment = datetime(2025, 3, 3, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    assert to_text(moment) == "2025-03-03T00:00:00.000000+00:00"
    assert from_text(to_text(moment)) == datetime(2025, 3, 3, 0, 0, tzinfo=UTC)


def test_a_timestamp_without_zone_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        to_text(datetime(2025, 3, 3))
