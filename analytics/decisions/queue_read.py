"""Reading the review queue: one page, its counts, an event's neighbours, the filter choices."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from analytics.decisions.queue_filter import (
    QueueQuery,
    after_sql,
    filter_sql,
    order_sql,
    sort_key_sql,
)
from analytics.decisions.store import sql

# Columns a reviewer can pick values of, by the name the filter form uses.
OPTION_COLUMNS = {"camera": "camera_id", "district": "district", "platform": "detected_platform"}


@dataclass(frozen=True)
class QueueCounts:
    """Events matching the filters, by review status."""

    count_pending: int = 0
    count_confirmed: int = 0
    count_rejected: int = 0

    @property
    def count_all(self) -> int:
        return self.count_pending + self.count_confirmed + self.count_rejected

    def for_status(self, status: str) -> int:
        return getattr(self, f"count_{status}")


def queue_page(
    conn: sqlite3.Connection, query: QueueQuery, timezone: str, page: int, page_size: int
) -> list[sqlite3.Row]:
    """Page ``page`` (from 1) of the events matching ``query``, in its sort order."""
    condition = filter_sql(query, timezone)
    statement = sql("queue", "queue_page").format(
        where=condition.where, order=order_sql(query.sort)
    )
    params = {**condition.params, "limit": page_size, "offset": (page - 1) * page_size}
    return conn.execute(statement, params).fetchall()


def queue_counts(conn: sqlite3.Connection, query: QueueQuery, timezone: str) -> QueueCounts:
    """Counts of the events matching ``query``'s filters, whatever status it asks for."""
    condition = filter_sql(query.model_copy(update={"status": "all"}), timezone)
    statement = sql("queue", "status_counts").format(where=condition.where)
    rows = conn.execute(statement, condition.params).fetchall()
    return QueueCounts(**{f"count_{status}": count for status, count in rows})


def neighbour(
    conn: sqlite3.Connection,
    query: QueueQuery,
    timezone: str,
    event_id: str,
    reverse: bool = False,
) -> str | None:
    """The event after ``event_id`` in the queue's order (before it with ``reverse``), among
    those matching ``query``. ``event_id`` itself need not match (it may have just been
    decided and so have left the pending queue)."""
    key = conn.execute(
        sql("queue", "sort_key").format(key=sort_key_sql(query.sort)), {"event_id": event_id}
    ).fetchone()
    if key is None:
        return None
    condition = filter_sql(query, timezone)
    statement = sql("queue", "queue_neighbour").format(
        where=condition.where,
        after=after_sql(query.sort, reverse),
        order=order_sql(query.sort, reverse),
    )
    params = {**condition.params, "after_key": key["sort_key"], "after_event_id": event_id}
    row = conn.execute(statement, params).fetchone()
    return row["event_id"] if row else None


def queue_event(conn: sqlite3.Connection, event_id: str) -> sqlite3.Row | None:
    return conn.execute(sql("queue", "queue_event"), {"event_id": event_id}).fetchone()


def filter_options(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The values present in the queue for each pick-list filter, sorted."""
    return {
        name: [
            row["value"]
            for row in conn.execute(sql("queue", "distinct_values").format(column=column))
        ]
        for name, column in OPTION_COLUMNS.items()
    }


def confirmed_by_rule_platform(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Confirmed events per (rule, courier platform): the reviewed platform where given."""
    return conn.execute(sql("queue", "confirmed_by_rule_platform")).fetchall()
