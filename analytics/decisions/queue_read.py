"""Reading the review queue: one page, its counts, an event's neighbours, the filter choices.

Every reader takes the reviewer's districts (None: all): a reviewer limited to districts sees,
counts and steps through only their events.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from analytics.decisions.queue_filter import (
    QueueQuery,
    after_sql,
    filter_sql,
    order_sql,
    sort_key_sql,
)
from analytics.decisions.store import sql, to_text
from analytics.decisions.users import User

# Columns a reviewer can pick values of, by the name the filter form uses.
OPTION_COLUMNS = {"camera": "camera_id", "district": "district", "platform": "detected_platform"}


@dataclass(frozen=True)
class QueueCounts:
    """Events matching the filters, by review status."""

    count_pending: int = 0
    count_awaiting_second: int = 0
    count_disputed: int = 0
    count_confirmed: int = 0
    count_rejected: int = 0

    @property
    def count_all(self) -> int:
        return (
            self.count_pending
            + self.count_awaiting_second
            + self.count_disputed
            + self.count_confirmed
            + self.count_rejected
        )

    @property
    def count_undecided(self) -> int:
        """Not yet counted either way: pending, awaiting a second review, or disputed."""
        return self.count_pending + self.count_awaiting_second + self.count_disputed

    def for_status(self, status: str) -> int:
        return getattr(self, f"count_{status}")


def queue_page(
    conn: sqlite3.Connection,
    query: QueueQuery,
    timezone: str,
    page: int,
    page_size: int,
    now: datetime,
    districts: tuple[str, ...] | None = None,
) -> list[sqlite3.Row]:
    """Page ``page`` (from 1) of the events matching ``query``, in its sort order, with who
    holds each event at ``now``."""
    condition = filter_sql(query, timezone, districts)
    statement = sql("queue", "queue_page").format(
        where=condition.where, order=order_sql(query.sort)
    )
    params = {
        **condition.params,
        "limit": page_size,
        "offset": (page - 1) * page_size,
        "now": to_text(now),
    }
    return conn.execute(statement, params).fetchall()


def queue_counts(
    conn: sqlite3.Connection,
    query: QueueQuery,
    timezone: str,
    districts: tuple[str, ...] | None = None,
) -> QueueCounts:
    """Counts of the events matching ``query``'s filters, whatever status it asks for."""
    condition = filter_sql(query.model_copy(update={"status": "all"}), timezone, districts)
    statement = sql("queue", "status_counts").format(where=condition.where)
    rows = conn.execute(statement, condition.params).fetchall()
    return QueueCounts(**{f"count_{status}": count for status, count in rows})


def neighbour(
    conn: sqlite3.Connection,
    query: QueueQuery,
    timezone: str,
    event_id: str,
    reviewer: User,
    now: datetime,
    reverse: bool = False,
) -> str | None:
    """The event after ``event_id`` in the queue's order (before it with ``reverse``), among
    those matching ``query`` that ``reviewer`` can work on at ``now``: held by nobody else,
    and not their own confirmation waiting for a second reviewer. ``event_id`` itself need
    not match (it may have just been decided and so have left the pending queue)."""
    key = conn.execute(
        sql("queue", "sort_key").format(key=sort_key_sql(query.sort)), {"event_id": event_id}
    ).fetchone()
    if key is None:
        return None
    condition = filter_sql(query, timezone, reviewer.districts)
    statement = sql("queue", "queue_neighbour").format(
        where=condition.where,
        after=after_sql(query.sort, reverse),
        order=order_sql(query.sort, reverse),
    )
    params = {
        **condition.params,
        "after_key": key["sort_key"],
        "after_event_id": event_id,
        "me": reviewer.username,
        "now": to_text(now),
    }
    row = conn.execute(statement, params).fetchone()
    return row["event_id"] if row else None


def queue_event(conn: sqlite3.Connection, event_id: str) -> sqlite3.Row | None:
    return conn.execute(sql("queue", "queue_event"), {"event_id": event_id}).fetchone()


def filter_options(
    conn: sqlite3.Connection, districts: tuple[str, ...] | None = None
) -> dict[str, list[str]]:
    """The values present in the queue for each pick-list filter, sorted; within the
    reviewer's districts when limited to some."""
    if districts is None:
        return {
            name: [
                row["value"]
                for row in conn.execute(sql("queue", "distinct_values").format(column=column))
            ]
            for name, column in OPTION_COLUMNS.items()
        }
    condition = filter_sql(QueueQuery(status="all"), "UTC", districts)
    return {
        name: [
            row["value"]
            for row in conn.execute(
                sql("queue", "distinct_values_where").format(column=column, where=condition.where),
                condition.params,
            )
        ]
        for name, column in OPTION_COLUMNS.items()
    }


def confirmed_by_rule_platform(
    conn: sqlite3.Connection, districts: tuple[str, ...] | None = None
) -> list[sqlite3.Row]:
    """Confirmed events per (rule, courier platform, disposition), with their fines: the
    reviewed platform where given."""
    condition = filter_sql(QueueQuery(status="all"), "UTC", districts)
    statement = sql("queue", "confirmed_by_rule_platform").format(where=condition.where)
    return conn.execute(statement, condition.params).fetchall()


def evidence_event(conn: sqlite3.Connection, evidence_path: str) -> sqlite3.Row | None:
    """The event (``event_id``, ``district``) whose evidence folder this is; None: no such
    event."""
    return conn.execute(
        sql("queue", "event_of_evidence"), {"evidence_path": evidence_path}
    ).fetchone()


def camera_names(conn: sqlite3.Connection, camera_ids: list[str]) -> dict[str, str]:
    """Camera id -> the name its events carry (one index seek each); the id when unnamed."""
    names = {}
    for camera_id in camera_ids:
        row = conn.execute(sql("queue", "camera_name"), {"camera_id": camera_id}).fetchone()
        names[camera_id] = (row["camera_name"] if row else None) or camera_id
    return names
