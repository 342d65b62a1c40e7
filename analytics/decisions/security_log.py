"""The security log: logins, failed logins, account changes and evidence views, one row each,
written in the same transaction as the change it records."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from analytics.decisions.store import from_text, sql, to_text, writing

SecurityAction = Literal[
    "login",
    "login_failed",
    "login_locked",
    "logout",
    "logout_everywhere",
    "user_added",
    "password_reset",
    "role_changed",
    "districts_changed",
    "user_stopped",
    "user_allowed",
    "evidence_viewed",
]


@dataclass(frozen=True)
class SecurityEntry:
    logged_at: datetime
    action: SecurityAction
    username: str | None
    client_ip: str | None
    target: str | None
    detail: str | None


def log_security(
    conn: sqlite3.Connection,
    action: SecurityAction,
    now: datetime,
    username: str | None = None,
    client_ip: str | None = None,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """One row; inside the caller's transaction when there is one, else in its own."""
    row = {
        "logged_at": to_text(now),
        "action": action,
        "username": username,
        "client_ip": client_ip,
        "target": target,
        "detail": detail,
    }
    if conn.in_transaction:
        conn.execute(sql("security", "insert_entry"), row)
    else:
        with writing(conn):
            conn.execute(sql("security", "insert_entry"), row)


def viewed_since(conn: sqlite3.Connection, username: str, target: str, since: datetime) -> bool:
    """Whether ``username``'s view of ``target`` was logged at ``since`` or later."""
    params = {"username": username, "target": target, "since": to_text(since)}
    return bool(conn.execute(sql("security", "viewed_since"), params).fetchone()["is_viewed"])


def recent_entries(conn: sqlite3.Connection, limit: int = 200) -> list[SecurityEntry]:
    rows = conn.execute(sql("security", "recent_entries"), {"limit": limit}).fetchall()
    return [
        SecurityEntry(**{**dict(row), "logged_at": from_text(row["logged_at"])}) for row in rows
    ]
