"""Claims: a reviewer who opens an event holds it for a few minutes, so that two reviewers
working one queue never review the same event at once. Others see who holds it and skip it;
a claim ends when its holder decides, or expires on its own (a closed tab holds nothing long).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from analytics.decisions.models import DecisionRefused
from analytics.decisions.store import from_text, sql, to_text, writing
from analytics.decisions.users import User


@dataclass(frozen=True)
class Claim:
    event_id: str
    username: str
    expires_at: datetime


def claim_event(
    conn: sqlite3.Connection, event_id: str, user: User, now: datetime, lifetime: timedelta
) -> Claim:
    """Claim the event for ``user`` (or renew their claim) unless someone else holds it; the
    claim that holds the event afterwards, whoever's it is."""
    with writing(conn):
        held = live_claim(conn, event_id, now)
        if held is not None and held.username != user.username:
            return held
        mine = Claim(event_id, user.username, now + lifetime)
        conn.execute(
            sql("claims", "upsert_claim"),
            {
                "event_id": event_id,
                "username": user.username,
                "claimed_at": to_text(now),
                "expires_at": to_text(mine.expires_at),
            },
        )
        return mine


def live_claim(conn: sqlite3.Connection, event_id: str, now: datetime) -> Claim | None:
    row = conn.execute(
        sql("claims", "live_claim"), {"event_id": event_id, "now": to_text(now)}
    ).fetchone()
    return None if row is None else Claim(event_id, row["username"], from_text(row["expires_at"]))


def refuse_if_claimed(conn: sqlite3.Connection, event_id: str, user: User, now: datetime) -> None:
    held = live_claim(conn, event_id, now)
    if held is not None and held.username != user.username:
        raise DecisionRefused("claimed_by_other", f"{held.username} holds event {event_id}")


def release_claim(conn: sqlite3.Connection, event_id: str, username: str) -> None:
    conn.execute(sql("claims", "delete_claim"), {"event_id": event_id, "username": username})


def release_all(conn: sqlite3.Connection, username: str) -> None:
    """End every claim of a user (logging out)."""
    with writing(conn):
        conn.execute(sql("claims", "delete_user_claims"), {"username": username})
