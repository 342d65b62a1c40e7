"""Keeping a deployment's disks in order: compact finished weeks, vacuum the warehouse, remove
what killed tasks left, prune old quarantine entries, and say how much room is used and left.

Each step is safe at any time, beside running loads and queries: compaction and vacuum follow
the warehouse's own rules (analytics.warehouse.compaction), leftovers go only once nobody can
still be writing them.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from analytics.board.weeks import week_monday
from analytics.warehouse.layout import UNKNOWN_WEEK, clips_dir, compacted_dir
from orchestration.ingest import clip_quarantine
from orchestration.landing import remove_stale_fetches
from orchestration.quarantine import prune
from orchestration.settings import Locations
from orchestration.store import ClipStore

# A detection's staging folder this old was left by a killed task (the longest clips take hours).
STALE_OUTPUT_S = 24 * 3600
# A week is compacted once this long after it ended (UTC): late clips have landed by then.
COMPACT_AFTER = timedelta(days=2)


def weeks_to_compact(root: Path, now: datetime) -> list[str]:
    """Weeks that ended ``COMPACT_AFTER`` ago and hold a load newer than their newest
    compaction (load and generation names are both time stamps, so they compare)."""
    weeks = []
    for week_dir in sorted(clips_dir(root).glob("week=*")):
        week = week_dir.name.removeprefix("week=")
        if week == UNKNOWN_WEEK or _week_end(week) + COMPACT_AFTER > now:
            continue
        loads = [p.name.removeprefix("load=") for p in week_dir.glob("clip=*/load=*")]
        compacted = compacted_dir(root, week, "*")
        generations = [p.name.removeprefix("gen=") for p in compacted.parent.glob(compacted.name)]
        if loads and max(loads) > max(generations, default=""):
            weeks.append(week)
    return weeks


def compact_past_weeks(root: Path, now: datetime | None = None) -> list[str]:
    from analytics.warehouse import compact_week

    weeks = weeks_to_compact(root, now or datetime.now(UTC))
    for week in weeks:
        compact_week(root, week)
    return weeks


def remove_stale_outputs(store: ClipStore, now: float | None = None) -> list[Path]:
    """Staging folders of detections that were killed and never ran again, and fetch folders of
    killed ingests."""
    cutoff = (now or time.time()) - STALE_OUTPUT_S
    removed = [
        folder
        for folder in (store.root / "outputs").glob(".*.partial-*")
        if folder.stat().st_mtime < cutoff
    ]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed + remove_stale_fetches(store.incoming, now)


def prune_quarantine(locations: Locations, keep_days: float, now: datetime) -> list[str]:
    """Delete quarantined clips and exports older than ``keep_days``; their names."""
    before = now - timedelta(days=keep_days)
    pruned = []
    for folder in (clip_quarantine(locations), locations.quarantine / "accidents"):
        pruned += [entry.path.name for entry in prune(folder, before)]
    return pruned


def disk_use(locations: Locations) -> dict[str, Any]:
    """Bytes held by each location, and free on the filesystem holding it."""
    report: dict[str, Any] = {}
    for name in ("store", "warehouse", "quarantine"):
        folder: Path = getattr(locations, name)
        report[name] = {
            "path": str(folder),
            "used_bytes": folder_bytes(folder),
            "free_bytes": shutil.disk_usage(folder).free if folder.exists() else None,
        }
    return report


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _week_end(week: str) -> datetime:
    return datetime.combine(week_monday(week), dt_time(), UTC) + timedelta(days=7)
