"""The decision store's test factory: a store in a temporary warehouse, users of each role,
and synthetic events put through the real queue sync."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from analytics.decisions.queue_sync import SOURCE_SCHEMA, SyncReport, sync_queue
from analytics.decisions.store import open_store
from analytics.decisions.users import User, add_user

PASSWORD = "correct horse 42"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture
def conn(root: Path) -> Iterator[sqlite3.Connection]:
    connection = open_store(root)
    yield connection
    connection.close()


@pytest.fixture
def people(conn: sqlite3.Connection) -> dict[str, User]:
    """One user per role, named after it."""
    return {role: add_user(conn, role, role, PASSWORD) for role in ("reviewer", "supervisor")}


@pytest.fixture
def sync_rows(conn: sqlite3.Connection) -> Callable[[list[dict]], SyncReport]:
    """Sync the queue from a DuckDB relation holding exactly ``rows``."""
    duck = duckdb.connect()

    def sync(rows: list[dict]) -> SyncReport:
        return sync_queue(conn, duck.from_arrow(pa.Table.from_pylist(rows, schema=SOURCE_SCHEMA)))

    yield sync
    duck.close()
