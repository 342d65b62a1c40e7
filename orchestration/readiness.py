"""Is a week ready for its board? Ready once every registered clip that overlaps the week (in
the board's timezone) is in the warehouse; due anyway once the publishing deadline has passed,
and then the board states the coverage it had.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from analytics.board.weeks import week_monday
from orchestration.store import ClipStore


@dataclass(frozen=True)
class WeekReadiness:
    week: str
    count_pending: int  # registered clips of the week not yet in the warehouse
    deadline_at: datetime
    is_complete: bool
    is_due: bool  # publish now: complete, or past the deadline

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "deadline_at": self.deadline_at.isoformat()}


def week_window(week: str, timezone: str) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) of ``week`` in ``timezone``, as aware datetimes."""
    start = datetime.combine(week_monday(week), time(), tzinfo=ZoneInfo(timezone))
    return start, start + timedelta(days=7)


def publish_deadline(week: str, timezone: str, deadline_hours: float) -> datetime:
    """The latest a board waits for late clips: this long after its week ended."""
    return week_window(week, timezone)[1] + timedelta(hours=deadline_hours)


def decide(week: str, count_pending: int, deadline_at: datetime, now: datetime) -> WeekReadiness:
    is_complete = count_pending == 0
    return WeekReadiness(
        week, count_pending, deadline_at, is_complete, is_complete or now >= deadline_at
    )


def week_readiness(
    store: ClipStore, week: str, timezone: str, deadline_hours: float, now: datetime
) -> WeekReadiness:
    start, end = week_window(week, timezone)
    pending = store.backlog(start, end)
    return decide(week, len(pending), publish_deadline(week, timezone, deadline_hours), now)
