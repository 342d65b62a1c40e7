"""
### daily_summary: what the pipeline did in the last 24 hours, to the operators

Every morning (`$CIVILITY_SUMMARY_CRON`, default `30 8 * * *` in `$CIVILITY_BOARD_TIMEZONE`),
sends through the alert channels (`$CIVILITY_ALERT_WEBHOOK`, `$CIVILITY_ALERT_EMAIL`,
docs/airflow.md) the clips that came in, were analysed (with their events) and were quarantined
(by reason), the clips whose analysis failed with their errors, the clips still waiting, the
state of last week's board and the disk use of the last `housekeeping` run. Kept as
`$CIVILITY_OPERATIONS/summaries/<date>.json`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from airflow.sdk import dag, task
from civility_common import DEFAULT_ARGS, START_DATE, local_cron


@task
def send_summary(data_interval_end=None, dag_run=None) -> dict[str, Any]:
    from analytics.board.config import load_board_config
    from analytics.board.weeks import last_complete_week
    from orchestration.alerts import AlertSettings, send
    from orchestration.settings import Locations
    from orchestration.store import write_json
    from orchestration.summary import daily_summary, summary_alert

    until = data_interval_end or dag_run.run_after
    locations = Locations.from_env()
    config = load_board_config(os.environ.get("CIVILITY_BOARD_CONFIG") or None)
    week = last_complete_week(config.timezone, until)
    summary = daily_summary(locations, until - timedelta(days=1), until, week)
    write_json(locations.operations / "summaries" / f"{until:%Y-%m-%d}.json", summary)
    alert = summary_alert(summary)
    return {**summary, "delivered": send(alert, AlertSettings.from_env())}


@dag(
    dag_id="daily_summary",
    doc_md=__doc__,
    schedule=local_cron("CIVILITY_SUMMARY_CRON", "30 8 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["traffic-civility", "operations"],
)
def daily_summary():
    send_summary()


daily_summary()
