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

RULE_NAMES = {"pedestrian_red_light": "行人闯红灯", "wrong_way": "非机动车逆行"}
ENTITY_KIND_NAMES = {"intersection": "路口", "district": "街乡", "platform": "外卖/快递平台"}
LIST_NAMES = {
    "black": "黑榜（最差）",
    "red_best": "红榜（最佳）",
    "red_improved": "红榜（进步最大）",
}


@dataclass(frozen=True)
class BoardData:
    """Everything a board shows; its content hash identifies the figures, not the rendering."""

    week: str
    week_start_date: date
    config: BoardConfig
    rankings: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    coverage: WeekCoverage
    accidents: AccidentSection | None  # None: no accident records imported
    campaign: list[dict[str, Any]]  # violation_before_after rows; empty without a campaign start

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
        }

    @property
    def content_hash(self) -> str:
        """SHA-256 of the figures. Floats are rounded to 9 significant digits first: DuckDB sums
        doubles in parallel, in no fixed order, so the last bits of a rate vary between runs."""
        figures = rounded(self.as_json())
        canonical = json.dumps(figures, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def read_board(
    con: duckdb.DuckDBPyConnection,
    week: str,
    config: BoardConfig,
    campaign: list[dict[str, Any]],
) -> BoardData:
    """The board of ``week`` from a warehouse connection that holds its weeks of data, with its
    ``campaign_figures``."""
    set_board_variables(con, config)
    trend_weeks = weeks_up_to(week, config.trend_weeks)
    rankings = [
        {**row, "entity_label": entity_label(row, config)}
        for row in rows(
            con,
            "select * from board_rankings where week = ? "
            "order by entity_kind, rule, list_name, rank",
            [week],
        )
    ]
    trend = [
        {**row, "entity_label": entity_label(row, config)}
        for row in rows(
            con,
            "select week, entity_kind, entity_id, rule, count_exposures, count_violations, "
            "rate_per_1000 from board_weekly_rates "
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
        accidents=accident_section(con, week, config),
        campaign=campaign,
    )


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
    last_year = (before.replace(year=before.year - 1), sunday.replace(year=sunday.year - 1))
    con = connect(root, weeks=weeks_between(before, sunday) + weeks_between(*last_year))
    set_board_variables(con, config)
    con.execute("set variable campaign_start = ?::date", [start])
    con.execute("set variable campaign_end = ?::date", [sunday])
    return rows(con, "select * from violation_before_after order by rule, segment")


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item) for item in value]
    return value


def entity_label(row: dict[str, Any], config: BoardConfig) -> str:
    if row["entity_kind"] == "platform":
        return config.platform_names.get(row["entity_id"], row["entity_id"])
    if row["entity_kind"] == "city":
        return "全市"
    return row["entity_id"]
