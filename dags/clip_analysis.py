"""
### clip_analysis: registered clips -> engine outputs -> warehouse

Runs whenever `clip_ingest` updates the asset `civility_registered_clips`, and on demand.
It analyses every registered clip that is not yet in the warehouse (the asset event names the
new ones, but a run also picks up clips an earlier run failed on), at most
`$CIVILITY_ANALYSIS_BATCH` (default 200) per run, oldest footage first.

Per clip, two mapped tasks:
- `detect` runs the engine (`detectors.process.process_clip`, model `$CIVILITY_MODEL`) into
  `$CIVILITY_CLIP_STORE/outputs/<clip_id>/`. It runs in the pool `civility_detection`, whose
  slots bound the detections running at once. The folder appears atomically, so a killed task
  leaves nothing half-written; footage the engine cannot decode is quarantined (task skipped).
- `load` copies the outputs into the warehouse (`analytics.warehouse.load_clip`, atomic and
  idempotent per clip) and marks the clip analysed, so a re-run does nothing for it.

Both retry with exponential backoff; bad input (a broken camera file) fails without retries.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from civility_common import DEFAULT_ARGS, DETECTION_POOL, REGISTERED_CLIPS, START_DATE


@task
def pending_clips() -> list[str]:
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    batch = int(os.environ.get("CIVILITY_ANALYSIS_BATCH", "200"))
    return ClipStore(Locations.from_env().store).pending(limit=batch)


@task(
    pool=DETECTION_POOL,
    retries=3,
    retry_delay=timedelta(minutes=2),
    execution_timeout=timedelta(hours=2),
)
def detect(clip_id: str) -> str:
    from detectors.config.errors import InputError
    from orchestration.analysis import detect_registered
    from orchestration.settings import Locations

    try:
        out = detect_registered(clip_id, Locations.from_env())
    except InputError as error:
        raise AirflowFailException(str(error)) from None
    if out is None:
        raise AirflowSkipException(f"clip {clip_id}: already in the warehouse, or quarantined")
    return clip_id


@task(retries=3)
def load(clip_id: str) -> dict[str, Any]:
    from analytics.warehouse import load_clip, warehouse_root
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    locations = Locations.from_env()
    store = ClipStore(locations.store)
    if (done := store.analysed(clip_id)) is not None:  # a retry after the marker was written
        return done
    result = load_clip(warehouse_root(locations.warehouse), store.output_dir(clip_id))
    fields = ("clip_id", "load_id", "week", "count_events")
    return store.mark_analysed(clip_id, {name: getattr(result, name) for name in fields})


@dag(
    dag_id="clip_analysis",
    doc_md=__doc__,
    schedule=[REGISTERED_CLIPS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,  # runs take the whole backlog, so they must not overlap
    default_args=DEFAULT_ARGS,
    tags=["traffic-civility", "engine", "warehouse"],
)
def clip_analysis():
    load.expand(clip_id=detect.expand(clip_id=pending_clips()))


clip_analysis()
