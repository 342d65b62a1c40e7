"""ISO weeks ('YYYY-Www') in a board's timezone: parsing, the default week, the weeks around it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from detectors.config.errors import InputError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_monday(week: str) -> date:
    """The Monday that starts ``week``; bad text is an InputError naming the expected form."""
    match = _WEEK.match(week)
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    raise InputError(f"week '{week}' is not an ISO week; write it as YYYY-Www, e.g. 2026-W47")


def week_of(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def last_complete_week(timezone: str, now: datetime | None = None) -> str:
    """The latest ISO week that has ended in ``timezone``: last week, whatever today is."""
    today = (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date()
    return week_of(today - timedelta(days=7))


def weeks_up_to(week: str, count: int) -> list[str]:
    """``count`` consecutive weeks ending with ``week``, oldest first."""
    monday = week_monday(week)
    return [week_of(monday - timedelta(days=7 * back)) for back in range(count - 1, -1, -1)]


def weeks_between(first: date, last: date) -> list[str]:
    """Every ISO week that holds a day from ``first`` to ``last``, oldest first."""
    mondays = range((last - first).days // 7 + 2)
    return sorted({week_of(min(first + timedelta(days=7 * step), last)) for step in mondays})


def chinese_date_range(monday: date) -> str:
    """The week as the public reads it: 2026年11月16日—22日, 2026年11月30日—12月6日."""
    sunday = monday + timedelta(days=6)
    end = f"{sunday.day}日"
    if sunday.month != monday.month:
        end = f"{sunday.month}月{end}"
    if sunday.year != monday.year:
        end = f"{sunday.year}年{end}"
    return f"{monday.year}年{monday.month}月{monday.day}日—{end}"
