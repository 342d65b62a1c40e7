"""Where everything lives in a warehouse folder, and the names that order its loads.

Facts are immutable Parquet files; a load or a compaction becomes visible by one directory
rename, and the views pick the newest load of each clip. Nothing is ever rewritten in place, so
readers never wait for writers and a crash leaves only a hidden staging folder behind.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

ENV_WAREHOUSE = "CIVILITY_WAREHOUSE"
DEFAULT_WAREHOUSE = Path("warehouse")
UNKNOWN_WEEK = "unknown"
# The schema of the raw sources and staging models: out of an analyst's default listing, where
# only the marts are (analytics.warehouse.connection).
SOURCE_SCHEMA = "staging"

# The engine's five per-clip tables plus the exposure counts derived from them at load time.
CLIP_TABLES = ("clip", "events", "track_summaries", "zone_passages", "signal_timeline", "exposures")


def warehouse_root(path: str | Path | None = None) -> Path:
    """The warehouse folder: the argument, else $CIVILITY_WAREHOUSE, else ./warehouse."""
    return Path(path or os.environ.get(ENV_WAREHOUSE) or DEFAULT_WAREHOUSE)


def iso_week(moment: datetime | None) -> str:
    """'YYYY-Www' of a UTC moment: the partition a clip is filed under (its start, in UTC)."""
    if moment is None:
        return UNKNOWN_WEEK
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def new_stamp(now: datetime | None = None) -> str:
    """A sortable unique name for a load or a compaction: newer loads sort after older ones."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:6]}"


def clips_dir(root: Path) -> Path:
    return root / "clips"


def load_dir(root: Path, week: str, clip_id: str, load_id: str) -> Path:
    return clips_dir(root) / f"week={week}" / f"clip={clip_id}" / f"load={load_id}"


def evidence_root(root: Path) -> Path:
    """The evidence store: apart from the tables, so that compaction never moves it."""
    return root / "evidence"


def evidence_dir(root: Path, clip_id: str, load_id: str) -> Path:
    return evidence_root(root) / f"clip={clip_id}" / f"load={load_id}"


def compacted_dir(root: Path, week: str, generation: str) -> Path:
    return root / "compacted" / f"week={week}" / f"gen={generation}"


def accident_records_dir(root: Path) -> Path:
    return root / "accidents" / "records"


def review_store(root: Path) -> Path:
    return root / "review" / "review.sqlite"


def boards_dir(root: Path) -> Path:
    return root / "boards"
