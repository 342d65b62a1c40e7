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
  clips missing, it says how many; re-run `publish` later for a complete revision. When nothing
  changed since the latest revision, no new one is written. The board refuses a week not yet
  over or without analysed clips (the task is skipped: nothing to publish) and one below its
  coverage threshold (the task fails and the operators are told); trigger with the param
  `force` to publish anyway. The outcome is kept in `$CIVILITY_OPERATIONS/boards/<week>.json`.

One run at a time: two runs publishing the same week would race for revisions.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from airflow.sdk import Param, PokeReturnValue, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from civility_common import DEFAULT_ARGS, START_DATE, local_cron

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
def publish(readiness: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    from orchestration.boards import EXPECTED_REFUSALS, publish_board
    from orchestration.settings import Locations

    week, pending = readiness["week"], readiness["count_pending"]
    outcome = publish_board(
        Locations.from_env(), week, board_config(), pending, force=bool(params.get("force"))
    )
    if outcome["status"] == "refused":
        if outcome["reason"] in EXPECTED_REFUSALS:
            raise AirflowSkipException(f"{week}: not published ({outcome['message']})")
        raise AirflowFailException(
            f"{week}: not published ({outcome['message']}); fix the cause, or trigger "
            f'weekly_board with {{"week": "{week}", "force": true}} to publish anyway'
        )
    if outcome["status"] == "unchanged":
        log.info("%s: nothing changed since revision %d; none written", week, outcome["revision"])
    elif not readiness["is_complete"]:
        log.warning("%s: published at the deadline, %d clip(s) not analysed", week, pending)
    return {**readiness, **outcome}


@dag(
    dag_id="weekly_board",
    doc_md=__doc__,
    schedule=local_cron("CIVILITY_BOARD_CRON", "0 8 * * 1"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={
        "week": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-W\d{2}$",
            description="ISO week to publish, e.g. 2026-W47; default: the week before the run",
        ),
        "force": Param(
            False,
            type="boolean",
            description="Publish even a week the board refuses (not over, no clips, low coverage)",
        ),
    },
    tags=["traffic-civility", "board"],
)
def weekly_board():
    publish(week_processed(board_week()))


weekly_board()
