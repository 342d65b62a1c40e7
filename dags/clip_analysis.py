"""
### clip_analysis: registered clips -> engine outputs -> warehouse

Runs whenever `clip_ingest` updates the asset `civility_registered_clips`, and every
`$CIVILITY_SWEEP_CRON` (default every 30 minutes) as a catch-up sweep, and on demand. Each run
sweeps the clip store (`orchestration.sweep`), whatever started it, for the clips due: never
analysed (clips registered while the DAG was paused, whose trigger was lost or whose worker
crashed), failed for a passing reason, asked for with `civility clips reanalyse`, or analysed
with another model or camera file than today's. At most `$CIVILITY_ANALYSIS_BATCH` (default
200) per run: new footage first, oldest first.

Per clip, a mapped task group `analyse`, independent of every other clip's:
- `detect` runs the engine (model `$CIVILITY_MODEL`) into
  `$CIVILITY_CLIP_STORE/outputs/<clip_id>/`, in the pool `civility_detection`, whose slots bound
  the detections running at once; it logs its progress every 15 s. The folder appears
  atomically, so a killed task leaves nothing half-written; footage the engine cannot decode is
  quarantined (task skipped); a broken camera file fails the clip at once, without retries.
- `load` copies the outputs into the warehouse (`analytics.warehouse.load_clip`, atomic, newest
  load wins) as soon as that clip's `detect` is done, and marks the clip analysed.

`report` then lists what became of each clip. It is where a failed clip is told: one alert per
failed clip (its camera, error and fix), whether its task failed or was killed before it could
say so; then it fails, so the run shows red. `detect` and `load` send no alert of their own.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task, task_group
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from civility_common import (
    DEFAULT_ARGS,
    DETECTION_POOL,
    REGISTERED_CLIPS,
    RETRY_DELAY,
    START_DATE,
    AlertedFailure,
    count_in_metrics,
)

log = logging.getLogger(__name__)


@task
def due_clips() -> list[str]:
    from detectors.detections.detector import default_model, model_version
    from orchestration.settings import Locations
    from orchestration.store import ClipStore
    from orchestration.sweep import due_clips as sweep

    locations = Locations.from_env()
    batch = int(os.environ.get("CIVILITY_ANALYSIS_BATCH", "200"))
    store = ClipStore(locations.store)
    due = sweep(store, locations.cameras, model_version(default_model()), limit=batch)
    for clip in due:
        log.info("clip %s: due (%s)", clip.clip_id, clip.reason)
    return [clip.clip_id for clip in due]


# No failure callback: a failed clip is told by `report`, once, with its camera and fix.
@task(pool=DETECTION_POOL, retries=3, retry_delay=2 * RETRY_DELAY, on_failure_callback=[])
def detect(clip_id: str) -> str:
    from detectors.config.errors import InputError
    from detectors.progress import ProgressLog
    from orchestration.analysis import detect_registered
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    locations = Locations.from_env()
    record = ClipStore(locations.store).record(clip_id)
    duration_s = record.duration_s if record else 0.0
    try:
        with ProgressLog(f"detect clip {clip_id}", duration_s, log.info) as progress:
            out = detect_registered(clip_id, locations, progress=progress)
    except InputError as error:
        raise AirflowFailException(str(error)) from None
    if out is None:
        raise AirflowSkipException(f"clip {clip_id}: analysed already, or quarantined")
    return clip_id


@task(retries=3, on_failure_callback=[])  # told by `report`, as detect
def load(clip_id: str) -> dict[str, Any]:
    from detectors.config.errors import InputError
    from orchestration.analysis import load_registered
    from orchestration.settings import Locations

    try:
        return load_registered(clip_id, Locations.from_env())
    except InputError as error:
        raise AirflowFailException(str(error)) from None


@task_group
def analyse(clip_id: str) -> None:
    load(detect(clip_id))


@task(trigger_rule="all_done")
def report(clip_ids: list[str], run_id: str | None = None) -> dict[str, Any]:
    from orchestration.alerts import AlertSettings, clip_failure_alert, send
    from orchestration.analysis import analysis_report
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    outcome = analysis_report(ClipStore(Locations.from_env().store), clip_ids)
    count_in_metrics("clips", {name: len(clips) for name, clips in outcome.items()})
    log.info("%d analysed, %d quarantined", len(outcome["analysed"]), len(outcome["quarantined"]))
    if outcome["failed"]:
        settings = AlertSettings.from_env()
        for failed in outcome["failed"]:
            send(clip_failure_alert(failed, "clip_analysis", str(run_id)), settings)
        lines = [
            f"{f['clip_id']} ({f['source']}, {f['stage']}): {f['error']}" for f in outcome["failed"]
        ]
        raise AlertedFailure(
            f"{len(outcome['failed'])} of {len(clip_ids)} clip(s) failed, each alerted:\n"
            + "\n".join(lines)
        )
    return outcome


@dag(
    dag_id="clip_analysis",
    doc_md=__doc__,
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable(
            os.environ.get("CIVILITY_SWEEP_CRON", "*/30 * * * *"), timezone="UTC"
        ),
        assets=[REGISTERED_CLIPS],
    ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,  # runs sweep the whole store, so they must not overlap
    default_args=DEFAULT_ARGS,
    tags=["traffic-civility", "engine", "warehouse"],
)
def clip_analysis():
    clip_ids = due_clips()
    analyse.expand(clip_id=clip_ids) >> report(clip_ids)


clip_analysis()
