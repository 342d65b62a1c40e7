"""Login sessions (server-side, with expiry and a per-session CSRF token) and the login rate limit.

The browser holds a random token; the store holds its SHA-256, the user, the CSRF token and
when the session ends. The rate limit counts failed logins per (user name, client address) in a
sliding window.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from analytics.decisions.store import from_text, sql, to_text, writing
from analytics.decisions.users import User, normalise_username


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class LoginLimit:
    max_failures: int
    window: timedelta


def new_token() -> str:
    return secrets.token_urlsafe(32)


def start_session(
    conn: sqlite3.Connection, user: User, lifetime: timedelta, now: datetime
) -> tuple[str, Session]:
    """A new session for ``user``: the cookie's token and the session it opens."""
    token = new_token()
    session = Session(user, new_token(), now + lifetime)
    row = {
        "token_sha256": _digest(token),
        "user_id": user.user_id,
        "csrf_token": session.csrf_token,
        "created_at": to_text(now),
        "expires_at": to_text(session.expires_at),
    }
    with writing(conn):
        conn.execute(sql("sessions", "delete_expired_sessions"), {"now": to_text(now)})
        conn.execute(sql("sessions", "insert_session"), row)
    return token, session


def live_session(conn: sqlite3.Connection, token: str, now: datetime) -> Session | None:
    """The session this cookie token opens, unless it expired or its user was deactivated."""
    row = conn.execute(
        sql("sessions", "live_session"), {"token_sha256": _digest(token), "now": to_text(now)}
    ).fetchone()
    if row is None:
        return None
    user = User(row["user_id"], row["username"], row["role"])
    return Session(user, row["csrf_token"], from_text(row["expires_at"]))


def end_session(conn: sqlite3.Connection, token: str) -> None:
    with writing(conn):
        conn.execute(sql("sessions", "delete_session"), {"token_sha256": _digest(token)})


def seconds_locked_out(
    conn: sqlite3.Connection, name: str, client_ip: str, limit: LoginLimit, now: datetime
) -> int:
    """How long this user name stays locked for this client (0: it may try to log in)."""
    row = conn.execute(
        sql("sessions", "count_recent_failures"),
        {
            "username": normalise_username(name),
            "client_ip": client_ip,
            "since": to_text(now - limit.window),
        },
    ).fetchone()
    if row["count_failures"] < limit.max_failures:
        return 0
    unlocked_at = from_text(row["first_failed_at"]) + limit.window
    return max(1, int((unlocked_at - now).total_seconds() + 0.999))


def record_failure(
    conn: sqlite3.Connection, name: str, client_ip: str, limit: LoginLimit, now: datetime
) -> None:
    with writing(conn):
        conn.execute(sql("sessions", "delete_old_failures"), {"since": to_text(now - limit.window)})
        conn.execute(
            sql("sessions", "insert_failure"),
            {
                "username": normalise_username(name),
                "client_ip": client_ip,
                "failed_at": to_text(now),
            },
        )


def clear_failures(conn: sqlite3.Connection, name: str, client_ip: str) -> None:
    with writing(conn):
        conn.execute(
            sql("sessions", "clear_failures"),
            {"username": normalise_username(name), "client_ip": client_ip},
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
