"""The board's accident section: trends, the campaign before/after comparison and the
violation-accident correlation, from the accident marts (analytics/accidents, docs/accidents.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import duckdb

from analytics.accidents.trends import AccidentTrends, accident_trends
from analytics.board.config import BoardConfig
from analytics.board.queries import rows

COUNT_PERIODS = 13  # periods shown: weeks, or months with accident_period: month
SEGMENT_NAMES = {
    "all": "全部事故",
    "pedestrian": "涉及行人",
    "non_motor_vehicle": "涉及非机动车",
    "courier": "涉及外卖/快递骑手",
    "motor_vehicle": "涉及机动车",
    "property_damage": "仅财产损失",
    "minor_injury": "轻伤",
    "serious_injury": "重伤",
    "injury": "受伤（伤情未记录）",
    "fatal": "死亡",
}


@dataclass(frozen=True)
class AccidentSection:
    trends: AccidentTrends
    correlations: list[dict[str, Any]]  # intersection_accident_correlation rows, strongest first

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self.trends), "correlations": self.correlations}


def accident_section(
    con: duckdb.DuckDBPyConnection, week: str, config: BoardConfig
) -> AccidentSection | None:
    """The section for ``week``, or None when no accident records were imported."""
    campaign_start = date.fromisoformat(config.campaign_start) if config.campaign_start else None
    trends = accident_trends(
        con, week, campaign_start, count_periods=COUNT_PERIODS, period=config.accident_period
    )
    if not trends.periods:
        return None
    correlations = rows(
        con,
        "select intersection_id, district, rule, count_weeks, count_exposures, rate_per_1000, "
        "count_accidents, count_related_accidents, corr_rate_related_accidents "
        "from intersection_accident_correlation where corr_rate_related_accidents is not null "
        "order by rule, corr_rate_related_accidents desc, intersection_id",
    )
    return AccidentSection(trends, correlations)
