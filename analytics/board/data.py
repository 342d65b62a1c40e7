"""The figures of one board, each read from one mart (the queries docs/board.md shows)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from analytics.board.accidents import AccidentSection, accident_section
from analytics.board.config import BoardConfig
from analytics.board.coverage import WeekCoverage, coverage_from
from analytics.board.queries import rows, set_board_variables
from analytics.board.weeks import week_monday, weeks_between, weeks_up_to
from analytics.warehouse import connect
from analytics.warehouse.layout import accident_records_dir

ENTITY_KIND_NAMES = {"intersection": "路口", "district": "街乡", "platform": "外卖/快递平台"}
LIST_NAMES = {
    "red_best": "红榜（守法最好）",
    "red_improved": "红榜（进步最大）",
    "black": "黑榜（违法最多）",
    "ranked": "排名（违法率由低到高）",
}


@dataclass(frozen=True)
class BoardData:
    """Everything a board shows; its content hash identifies the figures, not the rendering."""

    week: str
    week_start_date: date
    config: BoardConfig
    rankings: list[dict[str, Any]]
    trend: list[dict[str, Any]]  # city and platform rates of the trend weeks
    coverage: WeekCoverage
    accidents: AccidentSection | None  # None: no accident records for these weeks
    campaign: list[dict[str, Any]]  # violation_before_after rows; empty without a campaign start
    # enforcement_weekly summed over the week's districts, per rule; empty without penalties
    enforcement: list[dict[str, Any]]
    correlation_window: tuple[date, date]  # the accident correlation's first and last day

    def as_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "week_start_date": self.week_start_date.isoformat(),
            "timezone": self.config.timezone,
            "count_only_confirmed": self.config.count_only_confirmed,
            "config": self.config.model_dump(mode="json"),
            "rankings": self.rankings,
            "trend": self.trend,
            "coverage": asdict(self.coverage),
            "accidents": self.accidents.as_json() if self.accidents else None,
            "campaign": self.campaign,
            "enforcement": self.enforcement,
            "correlation_window": [day.isoformat() for day in self.correlation_window],
        }

    @property
    def content_hash(self) -> str:
        """SHA-256 of the figures. Floats are rounded to 9 significant digits first: DuckDB sums
        doubles in parallel, in no fixed order, so the last bits of a rate vary between runs."""
        figures = rounded(self.as_json())
        canonical = json.dumps(figures, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def city(self, rule: str, week: str | None = None) -> dict[str, Any] | None:
        """The city-wide row of ``rule`` in ``week`` (default: the board's week)."""
        wanted = (week or self.week, "city", rule)
        return next(
            (r for r in self.trend if (r["week"], r["entity_kind"], r["rule"]) == wanted), None
        )


def read_board(
    con: duckdb.DuckDBPyConnection,
    week: str,
    config: BoardConfig,
    campaign: list[dict[str, Any]],
    accidents: AccidentSection | None,
    correlation_window: tuple[date, date],
) -> BoardData:
    """The board of ``week`` from a warehouse connection that holds its weeks of data, with its
    ``campaign_figures`` and ``accident_figures``."""
    set_board_variables(con, config)
    trend_weeks = weeks_up_to(week, config.trend_weeks)
    labels = platform_labels(con)
    rankings = [
        {**row, "entity_label": entity_label(row, config, labels)}
        for row in rows(
            con,
            "select * from board_rankings where week = ? "
            "order by entity_kind, rule, list_name, rank",
            [week],
        )
    ]
    trend = [
        {**row, "entity_label": entity_label(row, config, labels)}
        for row in rows(
            con,
            "select week, week_start_date, entity_kind, entity_id, rule, count_exposures, "
            "count_violations, count_confirmed_violations, count_pending_violations, "
            "count_rejected_violations, rate_per_1000 from board_weekly_rates "
            "where entity_kind in ('city', 'platform') and week between ? and ? "
            "order by rule, entity_kind, entity_id, week",
            [trend_weeks[0], week],
        )
    ]
    return BoardData(
        week=week,
        week_start_date=week_monday(week),
        config=config,
        rankings=rankings,
        trend=trend,
        coverage=coverage_from(con, week),
        accidents=accidents,
        campaign=campaign,
        enforcement=enforcement_figures(con, week),
        correlation_window=correlation_window,
    )


def enforcement_figures(con: duckdb.DuckDBPyConnection, week: str) -> list[dict[str, Any]]:
    """Cases, fines and exposures of the week per rule (the review workbench's dispositions,
    mart ``enforcement_weekly``, which ``connect`` always defines); empty without a penalty."""
    return rows(
        con,
        "select rule, sum(count_cases)::bigint as count_cases, "
        "sum(count_fines)::bigint as count_fines, "
        "sum(fine_yuan_total)::bigint as fine_yuan_total, "
        "sum(count_warnings)::bigint as count_warnings, "
        "sum(count_education)::bigint as count_education, "
        "sum(count_exposure_only)::bigint as count_exposure_only "
        "from enforcement_weekly where week = ? group by rule having sum(count_cases) > 0 "
        "order by rule",
        [week],
    )


def correlation_window(week: str, config: BoardConfig) -> tuple[date, date]:
    """The ``correlation_weeks`` weeks ending with ``week``, first day to last."""
    first = week_monday(weeks_up_to(week, config.correlation_weeks)[0])
    return first, week_monday(week) + timedelta(days=6)


def accident_figures(
    root: Path, week: str, config: BoardConfig, window: tuple[date, date]
) -> AccidentSection | None:
    """The accident section over its own connection: the correlation reads every week of its
    window, which the rankings do not need (and, with the window's variables set, equals the
    documented query over the whole warehouse). None at once without accident records."""
    if not any(accident_records_dir(Path(root)).glob("*.parquet")):
        return None
    con = connect(root, weeks=weeks_between(*window))
    set_board_variables(con, config)
    con.execute("set variable correlation_start = ?::date", [window[0]])
    con.execute("set variable correlation_end = ?::date", [window[1]])
    return accident_section(con, week, config)


def campaign_figures(root: Path, week: str, config: BoardConfig) -> list[dict[str, Any]]:
    """Violations before and after the campaign start, the after window ending with ``week``.
    Its windows reach beyond the board's weeks, so it reads their weeks on a connection of its
    own; empty without a campaign start, or when the campaign starts after the week."""
    if config.campaign_start is None:
        return []
    start, sunday = date.fromisoformat(config.campaign_start), week_monday(week) + timedelta(days=6)
    if start > sunday:
        return []
    before = start - (sunday - start) - timedelta(days=1)
    last_year = (one_year_earlier(before), one_year_earlier(sunday))
    con = connect(root, weeks=weeks_between(before, sunday) + weeks_between(*last_year))
    set_board_variables(con, config)
    con.execute("set variable campaign_start = ?::date", [start])
    con.execute("set variable campaign_end = ?::date", [sunday])
    return rows(con, "select * from violation_before_after order by rule, segment")


def one_year_earlier(day: date) -> date:
    """The same date a year before; 29 February becomes 28 February, as in DuckDB's
    ``date - interval 1 year`` (int_campaign_windows)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item) for item in value]
    return value


def platform_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The courier profiles' display names of the platforms (美团外卖 ...)."""
    return dict(con.execute("select platform, display_name from dim_courier_platforms").fetchall())


def entity_label(row: dict[str, Any], config: BoardConfig, platforms: dict[str, str]) -> str:
    """What the public reads for an entity: a name, never an id where a name is known."""
    kind, entity = row["entity_kind"], row["entity_id"]
    if kind == "platform":
        return config.platform_names.get(entity) or platforms.get(entity, entity)
    if kind == "city":
        return "全市"
    if kind == "intersection":
        return config.intersection_names.get(entity) or synthetic_intersection_name(entity)
    return entity


def synthetic_intersection_name(intersection_id: str) -> str:
    """'syn-建国路-光华路' reads as 建国路与光华路路口; other ids stay as they are."""
    parts = intersection_id.split("-")
    if parts[0] == "syn" and len(parts) == 3:
        return f"{parts[1]}与{parts[2]}路口"
    return intersection_id
