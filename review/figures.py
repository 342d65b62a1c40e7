"""The workbench's own review figures, from its store: the default of the figures hook."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from analytics.decisions.models import NO_PLATFORM
from analytics.decisions.queue_filter import UNKNOWN_PLATFORM, QueueQuery
from analytics.decisions.queue_read import QueueCounts, confirmed_by_rule_platform, queue_counts
from analytics.decisions.store import store_session
from review.schemas import BoardFigures

STORE_SOURCE = "审核库（实时）"


def store_figures(warehouse: Path, districts: tuple[str, ...] | None = None) -> BoardFigures:
    with store_session(warehouse) as conn:
        counts = queue_counts(conn, QueueQuery(status="all"), "UTC", districts)
        return figures_from_counts(counts, confirmed_by_rule_platform(conn, districts))


def figures_from_counts(counts: QueueCounts, confirmed: Iterable[Mapping]) -> BoardFigures:
    """Figures from status counts and confirmed counts per (rule, courier_platform,
    disposition) with their fines."""
    by_rule: Counter[str] = Counter()
    by_platform: Counter[str] = Counter()
    by_disposition: Counter[str] = Counter()
    fines = 0
    for row in confirmed:
        by_rule[row["rule"]] += row["count_events"]
        if row["courier_platform"] not in (None, NO_PLATFORM, UNKNOWN_PLATFORM):
            by_platform[row["courier_platform"]] += row["count_events"]
        if row["disposition"] is not None:
            by_disposition[row["disposition"]] += row["count_events"]
        fines += row["fine_yuan_total"] or 0
    return BoardFigures(
        count_pending=counts.count_pending,
        count_awaiting_second=counts.count_awaiting_second,
        count_disputed=counts.count_disputed,
        count_confirmed=counts.count_confirmed,
        count_rejected=counts.count_rejected,
        confirmed_by_rule=dict(sorted(by_rule.items())),
        confirmed_by_platform=dict(sorted(by_platform.items())),
        confirmed_by_disposition=dict(sorted(by_disposition.items())),
        fine_yuan_total=fines,
        source=STORE_SOURCE,
    )
