"""The login rate limit: per account, per source address and overall, atomic under parallel
requests, and checked before any password is hashed.

``admit_attempt`` counts the recent failures and, in the same ``begin immediate`` transaction,
writes the new attempt as pending, which counts as a failure from then on. Thirty parallel
guesses therefore cannot all pass the check before the first of them is recorded: the first
``max_per_account`` are admitted (and hashed), the rest refused without hashing. A success
deletes its attempt; a failure stays for the window.

- per account: guesses at one user name from anywhere (a rotated source address gains nothing);
- per source: guesses from one address at any names (spraying one password over many names);
- overall: failures of every source together, a brake on spraying from many addresses.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from analytics.decisions.security_log import log_security
from analytics.decisions.store import from_text, sql, to_text, writing
from analytics.decisions.users import normalise_username

Scope = Literal["account", "source", "overall"]


@dataclass(frozen=True)
class LoginLimit:
    max_per_account: int
    max_per_source: int
    max_overall: int
    window: timedelta

    def maximum(self, scope: Scope) -> int:
        maxima = {
            "account": self.max_per_account,
            "source": self.max_per_source,
            "overall": self.max_overall,
        }
        return maxima[scope]


@dataclass(frozen=True)
class Admission:
    """An admitted attempt (``attempt_id``), or a refusal saying which limit and for how long."""

    attempt_id: int | None
    locked_by: Scope | None = None
    retry_after_s: int = 0


def admit_attempt(
    conn: sqlite3.Connection, name: str, client_ip: str, limit: LoginLimit, now: datetime
) -> Admission:
    username = normalise_username(name)
    since = to_text(now - limit.window)
    with writing(conn):
        conn.execute(sql("login_limit", "delete_old_attempts"), {"since": since})
        counts = conn.execute(
            sql("login_limit", "recent_failures"),
            {"username": username, "client_ip": client_ip, "since": since},
        ).fetchone()
        for scope in ("account", "source", "overall"):
            if counts[f"count_{scope}"] >= limit.maximum(scope):
                unlocked_at = from_text(counts[f"first_{scope}"]) + limit.window
                wait_s = max(1, int((unlocked_at - now).total_seconds() + 0.999))
                return Admission(None, scope, wait_s)
        cursor = conn.execute(
            sql("login_limit", "insert_attempt"),
            {"username": username, "client_ip": client_ip, "attempted_at": to_text(now)},
        )
        return Admission(cursor.lastrowid)


def settle_attempt(
    conn: sqlite3.Connection,
    attempt_id: int,
    name: str,
    client_ip: str,
    succeeded: bool,
    limit: LoginLimit,
    now: datetime,
) -> None:
    """Record how an admitted attempt ended, with its security log entries."""
    username = normalise_username(name)
    with writing(conn):
        if succeeded:
            conn.execute(
                sql("login_limit", "clear_failures"),
                {"username": username, "client_ip": client_ip},
            )
            log_security(conn, "login", now, username, client_ip)
            return
        conn.execute(sql("login_limit", "fail_attempt"), {"attempt_id": attempt_id})
        log_security(conn, "login_failed", now, username, client_ip)
        counts = conn.execute(
            sql("login_limit", "recent_failures"),
            {"username": username, "client_ip": client_ip, "since": to_text(now - limit.window)},
        ).fetchone()
        for scope in ("account", "source", "overall"):
            if counts[f"count_{scope}"] == limit.maximum(scope):
                log_security(conn, "login_locked", now, username, client_ip, detail=scope)
