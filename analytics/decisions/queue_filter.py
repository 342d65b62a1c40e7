"""The one filter helper of the review queue: a query's filters and sort order as SQL fragments.

Fragments name columns from fixed tables below; every value travels as a named parameter, so a
filter value (a camera id like ``x' or 1=1 --``) is only ever compared, never executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from analytics.decisions.store import to_text
from detectors.events.violation import Rule

Status = Literal["pending", "awaiting_second", "disputed", "confirmed", "rejected", "all"]
STATUSES: tuple[Status, ...] = get_args(Status)
Sort = Literal["newest", "oldest", "most_confident", "least_confident"]
UNKNOWN_PLATFORM = "unknown"  # filter value for events with no detected courier platform

# Sort keys are never null (the same expressions as the store's indexes), so that the next
# event after one can be found by comparing keys.
_TIME_KEY = "ifnull(q.occurred_at, '')"
_CONFIDENCE_KEY = "ifnull(q.confidence, 0)"
SORT_KEYS: dict[Sort, tuple[str, Literal["asc", "desc"]]] = {
    "newest": (_TIME_KEY, "desc"),
    "oldest": (_TIME_KEY, "asc"),
    "most_confident": (_CONFIDENCE_KEY, "desc"),
    "least_confident": (_CONFIDENCE_KEY, "asc"),
}
_EQUALS_COLUMNS = {"camera": "q.camera_id", "district": "q.district", "rule": "q.rule"}


class QueueQuery(BaseModel):
    """What a reviewer asks the queue for; blank form fields count as not given."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    status: Status = "pending"
    camera: str | None = Field(default=None, max_length=200)
    district: str | None = Field(default=None, max_length=200)
    rule: Rule | None = None
    platform: str | None = Field(default=None, max_length=100)
    date_from: date | None = None
    date_to: date | None = None
    confidence_min: float | None = Field(default=None, ge=0, le=1)
    confidence_max: float | None = Field(default=None, ge=0, le=1)
    # An event id (or its start), a camera id, or a rider code (一人一码).
    search: str | None = Field(default=None, max_length=100)
    sort: Sort = "newest"

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @model_validator(mode="after")
    def _ranges_run_forwards(self) -> QueueQuery:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        low, high = self.confidence_min, self.confidence_max
        if low is not None and high is not None and low > high:
            raise ValueError("confidence_min is above confidence_max")
        return self


@dataclass(frozen=True)
class SqlFilter:
    where: str
    params: dict[str, object]


def filter_sql(
    query: QueueQuery, timezone: str, districts: tuple[str, ...] | None = None
) -> SqlFilter:
    """The ``where`` condition over ``queue_events q``; calendar dates are whole days in
    ``timezone`` (the workbench's), compared as UTC instants. ``districts``: the reviewer's
    districts (None: all), which no filter can widen."""
    clauses: list[str] = []
    params: dict[str, object] = {}
    if districts is not None:
        names = [f":scope_{index}" for index in range(len(districts))]
        clauses.append(f"q.district in ({', '.join(names) or 'null'})")
        params.update({name[1:]: district for name, district in zip(names, districts, strict=True)})
    if query.status != "all":
        clauses.append("q.review_status = :status")
        params["status"] = query.status
    for name, column in _EQUALS_COLUMNS.items():
        if (value := getattr(query, name)) is not None:
            clauses.append(f"{column} = :{name}")
            params[name] = value
    if query.platform == UNKNOWN_PLATFORM:
        clauses.append("q.detected_platform is null")
    elif query.platform is not None:
        clauses.append("q.detected_platform = :platform")
        params["platform"] = query.platform
    if query.date_from is not None:
        clauses.append("q.occurred_at >= :occurred_from")
        params["occurred_from"] = to_text(day_start(query.date_from, timezone))
    if query.date_to is not None:
        clauses.append("q.occurred_at < :occurred_before")
        params["occurred_before"] = to_text(day_start(query.date_to + timedelta(days=1), timezone))
    if query.confidence_min is not None:
        clauses.append("q.confidence >= :confidence_min")
        params["confidence_min"] = query.confidence_min
    if query.confidence_max is not None:
        clauses.append("q.confidence <= :confidence_max")
        params["confidence_max"] = query.confidence_max
    if query.search is not None:
        clauses.append(
            "(q.event_id >= :search and q.event_id < :search_end or q.camera_id = :search"
            " or q.event_id in (select d.event_id from decisions as d"
            " where d.rider_code = :search))"
        )
        # Event ids starting with the text: every id between it and it followed by the
        # highest character (ids sort by their UTF-8 bytes).
        params.update(search=query.search, search_end=query.search + "\U0010ffff")
    return SqlFilter(" and ".join(clauses) or "1 = 1", params)


def order_sql(sort: Sort, reverse: bool = False) -> str:
    key, direction = SORT_KEYS[sort]
    if reverse:
        direction = "asc" if direction == "desc" else "desc"
    return f"{key} {direction}, q.event_id {direction}"


def after_sql(sort: Sort, reverse: bool = False) -> str:
    """Rows strictly after ``(:after_key, :after_event_id)`` in the sort order (before it when
    reversed). Spelled out rather than as a row-value comparison, which SQLite cannot match
    to an expression index: this way the search starts at the key instead of scanning to it."""
    key, direction = SORT_KEYS[sort]
    beyond = ">" if (direction == "asc") != reverse else "<"
    return (
        f"{key} {beyond}= :after_key"
        f" and ({key} {beyond} :after_key or q.event_id {beyond} :after_event_id)"
    )


def sort_key_sql(sort: Sort) -> str:
    return SORT_KEYS[sort][0]


def day_start(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone))
