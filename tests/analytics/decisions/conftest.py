"""The decision store's test factory: a store in a temporary warehouse, users of each role,
and synthetic events put through the real queue sync."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from analytics.decisions.policy import ReviewPolicy, load_policy
from analytics.decisions.queue_sync import SOURCE_SCHEMA, SyncReport, sync_queue
from analytics.decisions.store import open_store
from analytics.decisions.synthetic import synthetic_event
from analytics.decisions.users import User, add_user

PASSWORD = "correct horse 42"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "warehouse"
    folder.mkdir()
    return folder


@pytest.fixture
def conn(root: Path) -> Iterator[sqlite3.Connection]:
    connection = open_store(root)
    yield connection
    connection.close()


@pytest.fixture
def people(conn: sqlite3.Connection) -> dict[str, User]:
    """Users named after their roles, a second reviewer and a second supervisor."""
    roles = {
        "reviewer": "reviewer",
        "reviewer2": "reviewer",
        "supervisor": "supervisor",
        "supervisor2": "supervisor",
    }
    return {name: add_user(conn, name, role, PASSWORD) for name, role in roles.items()}


@pytest.fixture
def sync_rows(conn: sqlite3.Connection) -> Callable[[list[dict]], SyncReport]:
    """Sync the queue from a DuckDB relation holding exactly ``rows``."""
    duck = duckdb.connect()

    def sync(rows: list[dict]) -> SyncReport:
        return sync_queue(conn, duck.from_arrow(pa.Table.from_pylist(rows, schema=SOURCE_SCHEMA)))

    yield sync
    duck.close()


@pytest.fixture
def policy() -> ReviewPolicy:
    """The shipped policy: wrong-way confirmations need a second reviewer, red-light ones not."""
    return load_policy()


@pytest.fixture
def queued(sync_rows) -> dict[str, str]:
    """Four queued events by rule: ``red`` and ``red2`` red-light crossings (东城区, 朝阳区),
    ``wrong`` and ``wrong2`` wrong-way rides (西城区, 海淀区)."""
    rows = [synthetic_event(index) for index in range(4)]
    sync_rows(rows)
    names = ("red", "wrong", "red2", "wrong2")
    return dict(zip(names, (row["event_id"] for row in rows), strict=True))


@pytest.fixture
def single_review_policy(policy: ReviewPolicy) -> ReviewPolicy:
    """The shipped policy with no double review: a confirmation is final at once."""
    rules = {
        rule: entry.model_copy(update={"second_review": False})
        for rule, entry in policy.rules.items()
    }
    return policy.model_copy(update={"rules": rules})
