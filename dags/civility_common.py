"""What the traffic-civility DAG files share; not a DAG file itself (see .airflowignore).

Airflow puts the DAGs folder on ``sys.path``, so the DAG files import this module by name. It
holds only constants and helpers that cost nothing at parse time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset

# Emitted by clip_ingest when it registers clips; schedules clip_analysis. Its events carry the
# new clip ids in extra["clip_ids"].
REGISTERED_CLIPS = Asset(name="civility_registered_clips", uri="civility://clips/registered")

# Bounds how many detections run at once across all workers (one detection takes about one CPU
# core and 1 GB of memory); create it with scripts/airflow-setup.sh or `airflow pools set`.
DETECTION_POOL = "civility_detection"

START_DATE = datetime(2026, 1, 1, tzinfo=UTC)

# Every task retries with exponential backoff (1, 2, 4 ... minutes, at most 30) unless it sets
# its own; a task that meets bad input raises AirflowFailException instead, which is not retried.
DEFAULT_ARGS: dict[str, Any] = {
    "owner": "traffic-civility",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
}


def landing_area(url: str, conn_id: str | None = None) -> Any:
    """A landing folder or object-store URL as an ObjectStoragePath (``s3://...`` with an
    Airflow connection, ``file:///...`` or a plain local path)."""
    from airflow.sdk import ObjectStoragePath

    return ObjectStoragePath(url, conn_id=conn_id)
