import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from analytics.decisions.decisions import current_decision
from analytics.decisions.store import (
    SCHEMA_VERSION,
    StoreUnavailable,
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


def test_the_store_is_readable_by_its_owner_only(root, conn):
    assert stat.S_IMODE(store_path(root).stat().st_mode) == 0o600
    assert stat.S_IMODE(store_path(root).parent.stat().st_mode) == 0o700


def test_an_older_store_readable_by_others_is_made_private(root, conn):
    store_path(root).chmod(0o644)
    open_store(root).close()
    assert stat.S_IMODE(store_path(root).stat().st_mode) == 0o600


def test_no_store_is_created_where_there_is_no_warehouse(tmp_path):
    with pytest.raises(StoreUnavailable, match="no warehouse here"):
        open_store(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_a_corrupt_store_is_named_not_a_traceback(root, tmp_path):
    store_path(root).parent.mkdir()
    store_path(root).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable, match="review.sqlite: the review store cannot be read"):
        open_store(root)


V1_SCHEMA = """
create table users (user_id integer primary key, username text not null unique,
    role text not null, password_hash text not null, is_active integer not null default 1,
    created_at text not null);
create table sessions (token_sha256 text primary key, user_id integer not null,
    csrf_token text not null, created_at text not null, expires_at text not null);
create table login_failures (username text not null, client_ip text not null,
    failed_at text not null);
create table decisions (event_id text primary key, decision text not null, reason_code text,
    comment text, courier_platform text, rider_code text, decided_by text not null,
    decided_at text not null, version integer not null);
create table audit_trail (audit_id integer primary key, event_id text not null,
    version integer not null, action text not null check (action in ('decide', 'overturn')),
    changed_by text not null, changed_at text not null, field text not null, value_from text,
    value_to text);
create index audit_by_event on audit_trail (event_id, audit_id);
create table queue_events (event_id text primary key, clip_id text not null);
create table queue_loads (clip_id text primary key, load_id text not null,
    count_events integer not null, synced_at text not null);
insert into decisions values ('e1', 'confirmed', null, null, 'meituan', 'MT-1', 'wang',
    '2025-03-03T00:00:00.000000+00:00', 2);
insert into audit_trail (event_id, version, action, changed_by, changed_at, field, value_to)
    values ('e1', 1, 'decide', 'li', '2025-03-03T00:00:00.000000+00:00', 'decision', 'confirmed');
insert into queue_loads values ('c1', 'l1', 1, 'x');
pragma user_version = 1;
"""


def test_a_version_one_store_is_migrated_keeping_its_decisions(root):
    store_path(root).parent.mkdir()
    old = sqlite3.connect(store_path(root))
    old.executescript(V1_SCHEMA)
    old.close()
    conn = open_store(root)
    assert conn.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
    decision = current_decision(conn, "e1")
    assert (decision.stage, decision.first_reviewed_by, decision.version) == ("final", "li", 2)
    assert conn.execute("select count(*) from audit_trail").fetchone()[0] == 1
    assert conn.execute("select count(*) from queue_loads").fetchone()[0] == 0  # re-synced
    conn.close()
