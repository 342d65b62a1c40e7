"""The decision store's file: ``WAREHOUSE/review/review.sqlite``, opened per use.

SQLite in WAL mode lets readers (the warehouse's ``raw_review_decisions``, queue pages) go on
while one writer commits; ``busy_timeout`` makes a second writer wait its turn instead of failing,
and every write transaction starts with ``begin immediate`` so two writers never deadlock halfway.

The file holds password hashes and who decided what: it is created readable by its owner only
(0600, in a 0700 folder; SQLite gives its WAL files the same mode), and only inside an existing
warehouse folder, so a mistyped path is an error instead of a new, empty store.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from analytics.warehouse.layout import review_store
from detectors.config.errors import InputError

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000
_SQL_DIR = Path(__file__).with_name("sql")
_STATEMENT_NAME = re.compile(r"^-- name: (\w+)[ \t]*$", re.MULTILINE)


def store_path(root: str | Path) -> Path:
    return review_store(Path(root))


class StoreUnavailable(InputError):
    """The warehouse folder is missing, or the store in it cannot be read; the message names
    the path and the fix."""


def open_store(root: str | Path) -> sqlite3.Connection:
    """A read-write connection in autocommit mode (transactions are explicit: ``writing``); the
    store and its tables are created on first use, inside an existing warehouse folder."""
    root = Path(root)
    if not root.is_dir():
        raise StoreUnavailable(
            f"{root}: no warehouse here, so no review store; pass --warehouse DIR or set "
            "$CIVILITY_WAREHOUSE to the warehouse folder"
        )
    path = store_path(root)
    _create_private(path)
    try:
        conn = _connect(str(path), uri=False)
        conn.execute("pragma foreign_keys = on")
        conn.execute("pragma synchronous = normal")  # durable enough under WAL, and much faster
        if conn.execute("pragma user_version").fetchone()[0] < SCHEMA_VERSION:
            _create_schema(conn)
    except sqlite3.DatabaseError as error:
        raise StoreUnavailable(
            f"{path}: the review store cannot be read ({error}); restore it from a backup, or "
            "move it aside to start an empty one"
        ) from None
    return conn


def open_store_read_only(root: str | Path) -> sqlite3.Connection | None:
    """A connection that cannot write (``mode=ro``), for readers outside the workbench; None
    while there is no store yet, including while the workbench is creating one (the file is
    there before its tables are committed, and a reader must not fail in between)."""
    path = store_path(root)
    if not path.is_file():
        return None
    try:
        conn = _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        version = conn.execute("pragma user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise StoreUnavailable(
            f"{path}: the review store cannot be read ({error}); restore it from a backup"
        ) from None
    if version == 0:
        conn.close()
        return None
    return conn


def _create_private(path: Path) -> None:
    """The store's folder (0700) and file (0600), before SQLite opens it; an older store made
    readable by others is made private."""
    path.parent.mkdir(mode=0o700, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for item in (path.parent, path):
        status = item.stat()
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            item.chmod(stat.S_IMODE(status.st_mode) & 0o700)


def _connect(database: str, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(
        database,
        uri=uri,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables, after migrating an older store's: in one transaction, all or none,
    and only by the first of several processes opening the store at once."""
    # journal_mode cannot change inside a transaction; it is a property of the file from now on.
    conn.execute("pragma journal_mode = wal")
    with writing(conn):
        version = conn.execute("pragma user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        # Version 0 is a new, empty file: nothing to migrate.
        migrations = (
            [f"migrate_v{old}.sql" for old in range(version, SCHEMA_VERSION)] if version else []
        )
        for script in [*migrations, "schema.sql"]:
            for statement in _split_script((_SQL_DIR / script).read_text(encoding="utf-8")):
                conn.execute(statement)


def _split_script(script: str) -> list[str]:
    """The statements of a script (``executescript`` would commit the open transaction)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s.strip(" \n;")]


@contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: takes the write lock at once (waiting up to the busy timeout),
    commits on success, rolls back on any error."""
    conn.execute("begin immediate")
    try:
        yield conn
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")


@contextmanager
def store_session(root: str | Path) -> Iterator[sqlite3.Connection]:
    conn = open_store(root)
    try:
        yield conn
    finally:
        conn.close()


def sql(file: str, name: str) -> str:
    """Statement ``name`` of ``sql/<file>.sql`` (blocks headed ``-- name: <name>``)."""
    return _statements(file)[name]


@functools.cache
def _statements(file: str) -> dict[str, str]:
    parts = _STATEMENT_NAME.split((_SQL_DIR / f"{file}.sql").read_text(encoding="utf-8"))
    return {
        name: body.strip().rstrip(";") for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """The store's timestamp text: UTC, fixed width, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {moment} has no time zone; the store keeps UTC instants")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)
