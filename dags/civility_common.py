"""What the traffic-civility DAG files share; not a DAG file itself (see .airflowignore).

Airflow puts the DAGs folder on ``sys.path``, so the DAG files import this module by name. It
holds only constants and helpers that cost nothing at parse time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset, CronTriggerTimetable
from airflow.sdk.exceptions import AirflowFailException

# Emitted by clip_ingest when it registers clips; schedules clip_analysis. Its events carry the
# new clip ids in extra["clip_ids"].
REGISTERED_CLIPS = Asset(name="civility_registered_clips", uri="civility://clips/registered")

# Bounds how many detections run at once across all workers (one detection takes about one CPU
# core and 1 GB of memory); create it with `airflow pools set civility_detection 8 "..."`
# (the demo scripts do, through the REST API: scripts/airflow_demo.py).
DETECTION_POOL = "civility_detection"

START_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def local_cron(variable: str, default: str) -> CronTriggerTimetable:
    """The cron schedule in ``$variable`` (else ``default``), in the board's time zone
    ``$CIVILITY_BOARD_TIMEZONE`` (default Asia/Shanghai): a schedule is needed when the file is
    parsed, so these two are read then, from the environment."""
    timezone = os.environ.get("CIVILITY_BOARD_TIMEZONE", "Asia/Shanghai")
    return CronTriggerTimetable(os.environ.get(variable, default), timezone=timezone)


class AlertedFailure(AirflowFailException):
    """A task's failure that the task has told the operators about itself, in more detail than
    its failure callback could (clip_analysis's report: one alert per failed clip), so that
    ``alert_on_failure`` sends nothing more. Not retried."""


def alert_on_failure(context: dict[str, Any]) -> None:
    """Every task's ``on_failure_callback``: tell the operators (webhook, email) what failed and
    why, once its retries are used up, unless the task has (``AlertedFailure``). Runs in the
    worker; for a task whose worker died, in the DAG processor, so both need the
    CIVILITY_ALERT_* settings (docs/airflow.md)."""
    if isinstance(context.get("exception"), AlertedFailure):
        return
    from orchestration.alerts import AlertSettings, send, task_failure_alert

    send(task_failure_alert(context), AlertSettings.from_env())


def count_in_metrics(prefix: str, counts: dict[str, int]) -> None:
    """Add ``counts`` to the counters ``civility.<prefix>.<name>`` that Airflow sends to StatsD
    or OpenTelemetry beside its own metrics, when metrics are on (docs/airflow.md)."""
    from airflow.sdk.observability.stats import incr

    for name, count in counts.items():
        incr(f"civility.{prefix}.{name}", count)


# Every task retries with exponential backoff (1, 2, 4 ... minutes, at most 30) unless it sets
# its own; a task that meets bad input raises AirflowFailException instead, which is not retried.
# $CIVILITY_RETRY_DELAY_S (parse time) shortens the first delay, for demos and tests.
RETRY_DELAY = timedelta(seconds=float(os.environ.get("CIVILITY_RETRY_DELAY_S", "60")))
DEFAULT_ARGS: dict[str, Any] = {
    "owner": "traffic-civility",
    "retries": 2,
    "retry_delay": RETRY_DELAY,
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": [alert_on_failure],
}


def landing_area(url: str, conn_id: str | None = None) -> Any:
    """A landing folder or object-store URL as an ObjectStoragePath (``s3://...`` with an
    Airflow connection, ``file:///...`` or a plain local path)."""
    from airflow.sdk import ObjectStoragePath

    return ObjectStoragePath(url, conn_id=conn_id)
