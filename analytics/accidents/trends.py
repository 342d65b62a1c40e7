"""The accident figures of one board week, read from the trend marts as plain dataclasses.

Every number here is a column of ``accident_trends_weekly``, ``accident_trends_monthly`` or
``accident_before_after`` (docs/accidents.md gives the query behind each); this module only
chooses the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Literal

import duckdb

Period = Literal["week", "month"]
# SegmentPeriod's fields that the weekly and monthly marts name after their period.
_PERIOD_COLUMNS: dict[str, dict[str, str]] = {
    "week": {
        "period": "week",
        "period_start_date": "week_start_date",
        "count_accidents_prev_period": "count_accidents_prev_week",
        "change_prev_pct": "change_wow_pct",
        "rolling_short_mean_count": "rolling_4w_mean_count",
        "rolling_long_mean_count": "rolling_13w_mean_count",
    },
    "month": {
        "period": "month",
        "period_start_date": "month_start_date",
        "count_accidents_prev_period": "count_accidents_prev_month",
        "change_prev_pct": "change_mom_pct",
        "rolling_short_mean_count": "rolling_3m_mean_count",
        "rolling_long_mean_count": "rolling_12m_mean_count",
    },
}


@dataclass(frozen=True)
class SegmentPeriod:
    """One week or month of one segment: the weekly or monthly mart's row, in words that fit
    both (prev_period: the week or month before; short/long: 4 and 13 weeks, or 3 and 12 months)."""

    period: str  # 'YYYY-Www' or 'YYYY-MM'
    period_start_date: date
    segment_kind: str
    segment: str
    count_accidents: int
    count_deaths: int
    count_injuries: int
    count_synthetic_accidents: int
    count_placeholder_time_accidents: int
    count_accidents_prev_period: int | None
    change_prev_pct: float | None
    count_accidents_last_year: int | None
    change_yoy_pct: float | None
    rolling_short_mean_count: float | None
    rolling_long_mean_count: float | None
    is_partial: bool
    is_last_year_partial: bool


@dataclass(frozen=True)
class SegmentBeforeAfter:
    segment_kind: str
    segment: str
    count_before: int
    count_after: int
    count_last_year: int
    change_pct: float | None  # after against before (环比)
    change_yoy_pct: float | None  # after against the same dates a year earlier (同比)


@dataclass(frozen=True)
class CampaignWindows:
    campaign_start_date: date
    window_days: int
    before_from_date: date
    before_to_date: date
    after_from_date: date
    after_to_date: date
    last_year_from_date: date
    last_year_to_date: date
    is_before_covered: bool
    is_after_covered: bool
    is_last_year_covered: bool


@dataclass(frozen=True)
class AccidentTrends:
    week: str
    period: Period  # what this_period and periods count in
    this_period: list[SegmentPeriod]  # the week's, or the last whole month's; one per segment
    periods: list[SegmentPeriod]  # the periods up to it, oldest first, for charts
    campaign: CampaignWindows | None  # None without a campaign start (or if it is after week)
    before_after: list[SegmentBeforeAfter]

    @property
    def is_synthetic(self) -> bool:
        return any(row.count_synthetic_accidents for row in self.periods)


def accident_trends(
    con: duckdb.DuckDBPyConnection,
    week: str,
    campaign_start: date | None = None,
    count_periods: int = 13,
    period: Period = "week",
) -> AccidentTrends:
    """The accident trends as of ISO ``week`` ('YYYY-Www'): per segment, that week's figures and
    the ``count_periods`` weeks up to it, or with ``period='month'`` the last whole month ending
    by the week's Sunday and the months up to it; and the campaign comparison with the after
    window ending on the week's Sunday. Sets the DuckDB variables campaign_start and
    campaign_end on ``con``.
    """
    # Imported here: the board package imports this module, so a top-level import would cycle.
    from analytics.board.weeks import week_monday

    sunday = week_monday(week) + timedelta(days=6)
    before_after, campaign = [], None
    if campaign_start is not None:
        con.execute(f"set variable campaign_start = date '{campaign_start.isoformat()}'")
        con.execute(f"set variable campaign_end = date '{sunday.isoformat()}'")
        query = "accident_before_after order by display_order"
        before_after = _select(con, SegmentBeforeAfter, query)
        campaign = next(iter(_select(con, CampaignWindows, query + " limit 1")), None)
    periods, current = _periods(con, period, sunday, count_periods)
    return AccidentTrends(
        week=week,
        period=period,
        this_period=[row for row in periods if row.period == current],
        periods=periods,
        campaign=campaign,
        before_after=before_after,
    )


def _periods(
    con: duckdb.DuckDBPyConnection, period: Period, sunday: date, count: int
) -> tuple[list[SegmentPeriod], str]:
    """The ``count`` weeks or months up to the last one ending by ``sunday``, oldest first, and
    the name of that last one."""
    if period == "week":
        first, last = sunday - timedelta(days=7 * count - 1), sunday - timedelta(days=6)
        current = f"{last:%G-W%V}"
    else:
        last = sunday.replace(day=1)
        if (sunday + timedelta(days=1)).day != 1:  # the week's month is not over yet
            last = (last - timedelta(days=1)).replace(day=1)
        first, current = _months_before(last, count - 1), f"{last:%Y-%m}"
    names = _PERIOD_COLUMNS[period]
    source = (
        f"accident_trends_{period}ly where {names['period_start_date']} between ? and ? "
        f"order by {names['period_start_date']}, display_order"
    )
    return _select(con, SegmentPeriod, source, [first, last], renamed=names), current


def _months_before(month_start: date, count: int) -> date:
    index = month_start.year * 12 + month_start.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _select(
    con: duckdb.DuckDBPyConnection, row_type, source: str, parameters=None, renamed=None
) -> list:
    """Rows of ``source`` as ``row_type``; ``renamed`` maps a field to the column it reads."""
    renamed = renamed or {}
    names = [
        f"{renamed[f.name]} as {f.name}" if f.name in renamed else f.name for f in fields(row_type)
    ]
    rows = con.execute(f"select {', '.join(names)} from {source}", parameters).fetchall()
    return [row_type(*row) for row in rows]
