"""
### weekly_board: the 文明交通红黑榜 of the previous ISO week

Runs on `$CIVILITY_BOARD_CRON` (default `0 8 * * 1`, Mondays 08:00) in
`$CIVILITY_BOARD_TIMEZONE` (default `Asia/Shanghai`); a schedule has to be known when the file
is parsed, so these two are read then, from the environment. Everything else is read at run
time: the board config YAML `$CIVILITY_BOARD_CONFIG` (ranking rules and the board's timezone,
`analytics/board/board.example.yaml`), `$CIVILITY_BOARD_DEADLINE_HOURS` and the folders.

- `board_week`: the last ISO week that ended before the run's logical date, in the board's
  timezone (a run at Monday 07:30 in Shanghai, Sunday 23:30 UTC, publishes the week that just
  ended there). Trigger with the param `week` (`YYYY-Www`) to publish a given week.
- `week_processed`: waits (reschedule mode, a poke every 15 min) until every registered clip
  that overlaps the week is in the warehouse, or until the deadline,
  `$CIVILITY_BOARD_DEADLINE_HOURS` (default 32) after the week ended: Tuesday 08:00.
- `publish`: `analytics.board.publish.publish_week` writes a new revision `boards/week=W/rev=NNN`
  with the accident trends; the board states its coverage. Published at the deadline with
  clips missing, it says how many; re-run `publish` later for a complete revision.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from airflow.sdk import CronTriggerTimetable, Param, PokeReturnValue, dag, task
from civility_common import DEFAULT_ARGS, START_DATE

log = logging.getLogger(__name__)


def board_config():
    from analytics.board.config import load_board_config

    return load_board_config(os.environ.get("CIVILITY_BOARD_CONFIG") or None)


@task
def board_week(params: dict[str, Any], logical_date=None, dag_run=None) -> str:
    from analytics.board.weeks import last_complete_week

    if params.get("week"):
        return params["week"]
    return last_complete_week(board_config().timezone, logical_date or dag_run.run_after)


@task.sensor(poke_interval=15 * 60, timeout=4 * 24 * 3600, mode="reschedule")
def week_processed(week: str) -> PokeReturnValue:
    from datetime import UTC, datetime

    from orchestration.readiness import week_readiness
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    deadline_hours = float(os.environ.get("CIVILITY_BOARD_DEADLINE_HOURS", "32"))
    store = ClipStore(Locations.from_env().store)
    readiness = week_readiness(
        store, week, board_config().timezone, deadline_hours, datetime.now(UTC)
    )
    return PokeReturnValue(is_done=readiness.is_due, xcom_value=readiness.as_dict())


@task
def publish(readiness: dict[str, Any]) -> dict[str, Any]:
    from analytics.board.publish import publish_week
    from analytics.warehouse import warehouse_root
    from orchestration.settings import Locations

    root = warehouse_root(Locations.from_env().warehouse)
    folder = publish_week(
        root, readiness["week"], board_config(), count_clips_pending=readiness["count_pending"]
    ).folder
    if not readiness["is_complete"]:
        pending = readiness["count_pending"]
        log.warning("%s: published at the deadline, %d clip(s) not analysed", folder, pending)
    return {**readiness, "folder": str(folder)}


@dag(
    dag_id="weekly_board",
    doc_md=__doc__,
    schedule=CronTriggerTimetable(
        os.environ.get("CIVILITY_BOARD_CRON", "0 8 * * 1"),
        timezone=os.environ.get("CIVILITY_BOARD_TIMEZONE", "Asia/Shanghai"),
    ),
    start_date=START_DATE,
    catchup=False,
    default_args=DEFAULT_ARGS,
    params={
        "week": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-W\d{2}$",
            description="ISO week to publish, e.g. 2026-W47; default: the week before the run",
        )
    },
    tags=["traffic-civility", "board"],
)
def weekly_board():
    publish(week_processed(board_week()))


weekly_board()
