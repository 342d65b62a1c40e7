"""Publishing a week's board from the pipeline, on the board's own terms.

``analytics.board.publish.publish_week`` refuses a week that is not over, has no analysed clip
or too little coverage (``PublishRefused``, with a ``reason``) unless forced, and writes no new
revision when the content equals the latest one (``PublishOutcome.unchanged``). This turns each
answer into an outcome the DAG acts on, and keeps the last one of every week in
``OPERATIONS/boards/<week>.json`` for the daily summary.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orchestration.settings import Locations
from orchestration.store import read_json, write_json

# Refusals that only mean "nothing to publish yet"; any other needs a person (e.g. too few
# cameras covered: fix them, or publish anyway with force).
EXPECTED_REFUSALS = frozenset({"future_week", "week_not_over", "no_clips"})


def publish_board(
    locations: Locations,
    week: str,
    config: Any,
    count_clips_pending: int = 0,
    force: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Publish ``week``; what happened: ``status`` published | unchanged | refused, with the
    revision or the refusal's ``reason`` and message."""
    from analytics.board.publish import PublishRefused, publish_week
    from analytics.warehouse import warehouse_root

    root = warehouse_root(locations.warehouse)
    outcome: dict[str, Any] = {"week": week, "forced": force}
    try:
        published = publish_week(
            root, week, config, force=force, count_clips_pending=count_clips_pending
        )
    except PublishRefused as refusal:
        outcome.update(status="refused", reason=refusal.reason, message=str(refusal))
    else:
        outcome.update(
            status="unchanged" if published.unchanged else "published",
            revision=published.revision,
            folder=str(published.folder),
        )
    outcome["count_clips_pending"] = count_clips_pending
    outcome["at"] = (now or datetime.now(UTC)).isoformat()
    write_json(outcome_path(locations, week), outcome)
    return outcome


def last_outcome(locations: Locations, week: str) -> dict[str, Any] | None:
    return read_json(outcome_path(locations, week))


def outcome_path(locations: Locations, week: str) -> Path:
    return locations.operations / "boards" / f"{week}.json"
