"""
### housekeeping: keep the disks in order, and say how full they are

Every night (`$CIVILITY_HOUSEKEEPING_CRON`, default `0 3 * * *` in `$CIVILITY_BOARD_TIMEZONE`):
- `compact`: merges each week that ended two days ago and has new loads into one file per table
  (`analytics.warehouse.compact_week`; the figures do not change);
- `vacuum`: removes loads, evidence and compactions superseded more than
  `$CIVILITY_VACUUM_GRACE_MINUTES` (default 60) ago, and the half-built folders that killed loads
  and compactions left;
- `tidy_store`: removes the staging folders of detections and fetches killed a day ago or more;
- `prune_quarantine`: deletes quarantined files older than `$CIVILITY_QUARANTINE_KEEP_DAYS`
  (default 30);
- `report`: the bytes each location holds and the room left, into
  `$CIVILITY_OPERATIONS/housekeeping.json` (the daily summary quotes it); it fails, and so tells
  the operators, when a location has less than `$CIVILITY_MIN_FREE_GB` (default 10) free.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from civility_common import DEFAULT_ARGS, START_DATE, local_cron

log = logging.getLogger(__name__)


def warehouse():
    from analytics.warehouse import warehouse_root
    from orchestration.settings import Locations

    root = warehouse_root(Locations.from_env().warehouse)
    if not root.is_dir():
        raise AirflowSkipException(f"{root}: no warehouse yet")
    return root


@task
def compact() -> list[str]:
    from orchestration.housekeeping import compact_past_weeks

    return compact_past_weeks(warehouse())


@task
def vacuum() -> dict[str, int]:
    from analytics.warehouse import vacuum as vacuum_warehouse

    grace = timedelta(minutes=float(os.environ.get("CIVILITY_VACUUM_GRACE_MINUTES", "60")))
    report = vacuum_warehouse(warehouse(), grace=grace)
    for folder in report.removed:
        log.info("removed %s", folder)
    return {"count_removed": len(report.removed), "count_kept_for_grace": report.kept_for_grace}


@task
def tidy_store() -> list[str]:
    from orchestration.housekeeping import remove_stale_outputs
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    return [str(path) for path in remove_stale_outputs(ClipStore(Locations.from_env().store))]


@task
def prune_quarantine() -> list[str]:
    from datetime import UTC, datetime

    from orchestration.housekeeping import prune_quarantine as prune
    from orchestration.settings import Locations

    keep_days = float(os.environ.get("CIVILITY_QUARANTINE_KEEP_DAYS", "30"))
    return prune(Locations.from_env(), keep_days, datetime.now(UTC))


@task(trigger_rule="all_done")
def report() -> dict[str, Any]:
    from datetime import UTC, datetime

    from orchestration.housekeeping import disk_use
    from orchestration.settings import Locations
    from orchestration.store import write_json

    locations = Locations.from_env()
    disk = disk_use(locations)
    write_json(
        locations.operations / "housekeeping.json",
        {"at": datetime.now(UTC).isoformat(), "disk": disk},
    )
    min_free = float(os.environ.get("CIVILITY_MIN_FREE_GB", "10")) * 1e9
    short = [
        f"{use['path']}: {use['free_bytes'] / 1e9:.1f} GB free"
        for use in disk.values()
        if use["free_bytes"] is not None and use["free_bytes"] < min_free
    ]
    if short:
        raise AirflowFailException("disk space is running out: " + "; ".join(short))
    return disk


@dag(
    dag_id="housekeeping",
    doc_md=__doc__,
    schedule=local_cron("CIVILITY_HOUSEKEEPING_CRON", "0 3 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["traffic-civility", "operations"],
)
def housekeeping():
    disk = report()
    compact() >> vacuum() >> disk
    [tidy_store(), prune_quarantine()] >> disk


housekeeping()
