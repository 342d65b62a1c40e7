"""The workbench's own review figures, from its store: the default of the figures hook."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from analytics.decisions.decisions import NO_PLATFORM
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_read import QueueCounts, confirmed_by_rule_platform, queue_counts
from analytics.decisions.store import store_session
from review.schemas import BoardFigures

STORE_SOURCE = "审核库（实时）"


def store_figures(warehouse: Path) -> BoardFigures:
    with store_session(warehouse) as conn:
        counts = queue_counts(conn, QueueQuery(status="all"), "UTC")
        return figures_from_counts(counts, confirmed_by_rule_platform(conn))


def figures_from_counts(counts: QueueCounts, confirmed: Iterable[Mapping]) -> BoardFigures:
    """Figures from status counts and confirmed counts per (rule, courier_platform)."""
    by_rule: Counter[str] = Counter()
    by_platform: Counter[str] = Counter()
    for row in confirmed:
        by_rule[row["rule"]] += row["count_events"]
        if row["courier_platform"] not in (None, NO_PLATFORM):
            by_platform[row["courier_platform"]] += row["count_events"]
    return BoardFigures(
        count_pending=counts.count_pending,
        count_confirmed=counts.count_confirmed,
        count_rejected=counts.count_rejected,
        confirmed_by_rule=dict(sorted(by_rule.items())),
        confirmed_by_platform=dict(sorted(by_platform.items())),
        source=STORE_SOURCE,
    )
