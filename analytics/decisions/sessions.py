"""Login sessions: server-side, with an expiry, an idle timeout and a per-session CSRF token.

The browser holds a random token; the store holds its SHA-256, the user, the CSRF token, when
the session ends and when it was last used. A session unused for the idle timeout is over even
before its expiry; using it moves ``last_seen_at`` (at most once a minute, so that reading
pages does not turn into a write per request).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from analytics.decisions.store import from_text, sql, to_text, writing
from analytics.decisions.users import User, user_of

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime
    token_sha256: str = ""
    last_seen_at: datetime | None = None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def start_session(
    conn: sqlite3.Connection, user: User, lifetime: timedelta, now: datetime
) -> tuple[str, Session]:
    """A new session for ``user``: the cookie's token and the session it opens."""
    token = new_token()
    session = Session(user, new_token(), now + lifetime, token_digest(token), now)
    row = {
        "token_sha256": session.token_sha256,
        "user_id": user.user_id,
        "csrf_token": session.csrf_token,
        "created_at": to_text(now),
        "expires_at": to_text(session.expires_at),
        "last_seen_at": to_text(now),
    }
    with writing(conn):
        conn.execute(sql("sessions", "delete_expired_sessions"), {"now": to_text(now)})
        conn.execute(sql("sessions", "insert_session"), row)
    return token, session


def live_session(
    conn: sqlite3.Connection, token: str, now: datetime, idle: timedelta | None = None
) -> Session | None:
    """The session this cookie token opens, unless it expired, sat idle longer than ``idle``,
    or its user was stopped. Using it keeps it from going idle."""
    digest = token_digest(token)
    idle_since = to_text(now - idle) if idle else ""
    row = conn.execute(
        sql("sessions", "live_session"),
        {"token_sha256": digest, "now": to_text(now), "idle_since": idle_since},
    ).fetchone()
    if row is None:
        return None
    last_seen = from_text(row["last_seen_at"])
    if now - last_seen >= TOUCH_EVERY:
        with writing(conn):
            conn.execute(
                sql("sessions", "touch_session"), {"token_sha256": digest, "now": to_text(now)}
            )
        last_seen = now
    return Session(user_of(row), row["csrf_token"], from_text(row["expires_at"]), digest, last_seen)


def end_session(conn: sqlite3.Connection, token: str) -> None:
    with writing(conn):
        conn.execute(sql("sessions", "delete_session"), {"token_sha256": token_digest(token)})


def end_user_sessions(conn: sqlite3.Connection, username: str) -> int:
    """Log a user out everywhere; how many sessions ended."""
    with writing(conn):
        return conn.execute(
            sql("sessions", "delete_user_sessions"), {"username": username}
        ).rowcount


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
