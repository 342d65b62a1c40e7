"""The accident figures of one board week, read from the trend marts as plain dataclasses.

Every number here is a column of ``accident_trends_weekly`` or ``accident_before_after``
(docs/accidents.md gives the query behind each); this module only chooses the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

import duckdb


@dataclass(frozen=True)
class SegmentWeek:
    week: str
    segment_kind: str  # 'all', 'party' or 'severity'
    segment: str
    count_accidents: int
    count_deaths: int
    count_injuries: int
    count_synthetic_accidents: int
    count_accidents_prev_week: int | None
    change_wow_pct: float | None
    count_accidents_last_year: int | None
    change_yoy_pct: float | None
    rolling_4w_mean_count: float | None
    rolling_13w_mean_count: float | None


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
    this_week: list[SegmentWeek]  # one per segment, in display order
    history: list[SegmentWeek]  # the weeks up to this one, oldest first, for charts
    campaign: CampaignWindows | None  # None without a campaign start (or if it is after week)
    before_after: list[SegmentBeforeAfter]

    @property
    def is_synthetic(self) -> bool:
        return any(row.count_synthetic_accidents for row in self.history)


def accident_trends(
    con: duckdb.DuckDBPyConnection,
    week: str,
    campaign_start: date | None = None,
    history_weeks: int = 13,
) -> AccidentTrends:
    """The accident trends as of ISO ``week`` ('YYYY-Www'): that week's figures per segment, the
    ``history_weeks`` weeks up to it, and the campaign comparison with the after window ending
    on the week's Sunday. Sets the DuckDB variables campaign_start and campaign_end on ``con``.
    """
    # Imported here: the board package imports this module, so a top-level import would cycle.
    from analytics.board.weeks import week_monday

    sunday = week_monday(week) + timedelta(days=6)
    first_monday = sunday - timedelta(days=7 * history_weeks - 1)
    history = _select(
        con,
        SegmentWeek,
        "accident_trends_weekly where week_start_date between ? and ? "
        "order by week_start_date, display_order",
        [first_monday, sunday],
    )
    before_after, campaign = [], None
    if campaign_start is not None:
        con.execute(f"set variable campaign_start = date '{campaign_start.isoformat()}'")
        con.execute(f"set variable campaign_end = date '{sunday.isoformat()}'")
        query = "accident_before_after order by display_order"
        before_after = _select(con, SegmentBeforeAfter, query)
        campaign = next(iter(_select(con, CampaignWindows, query + " limit 1")), None)
    return AccidentTrends(
        week=week,
        this_week=[row for row in history if row.week == week],
        history=history,
        campaign=campaign,
        before_after=before_after,
    )


def _select(con: duckdb.DuckDBPyConnection, row_type, source: str, parameters=None) -> list:
    names = [field.name for field in fields(row_type)]
    rows = con.execute(f"select {', '.join(names)} from {source}", parameters).fetchall()
    return [row_type(*row) for row in rows]
