"""
### clip_ingest: landing area -> registered clips, or quarantine

Every few minutes, picks up the clips that cameras or uploaders dropped into the landing area
(`$CIVILITY_LANDING`: a folder, or an object-store URL read through Airflow's
`ObjectStoragePath` with the connection `$CIVILITY_LANDING_CONN_ID`). Files younger than
`$CIVILITY_LANDING_SETTLE_S` seconds (default 60) wait for the next run: they may still be
uploading.

For each clip, one mapped task: fetch it, bind it to its camera and wall-clock start (sidecar
`CLIP.json` or the name `<camera_id>_<YYYYMMDD>T<HHMMSS>.mp4`, docs/clips.md), skip footage
already registered (same SHA-256), check that it decodes with a usable rate and length and
that `$CIVILITY_CAMERAS/<camera_id>.yaml` describes its camera, then move it into the clip
store (`$CIVILITY_CLIP_STORE/clips/<clip_id>/`, with `record.json`). A refused clip goes to
`$CIVILITY_QUARANTINE/clips/` with a `.reason.json` beside it; the others carry on.

Before that, `requeue` puts clips quarantined for an unknown camera back into the landing area
once `$CIVILITY_CAMERAS/<camera_id>.yaml` exists (onboarding a camera: docs/airflow.md). Checks
before registering: the clip decodes to its end (a file cut short in copying is quarantined as
`partial`), lasts at least 1 s, and its timestamps neither run backwards nor jump; identical files
dropped together register once (a lock on the footage's hash), the others are duplicates.

When clips were registered, the asset `civility_registered_clips` is updated with their ids,
which starts `clip_analysis`. More: docs/airflow.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from airflow.sdk import Metadata, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from civility_common import (
    DEFAULT_ARGS,
    REGISTERED_CLIPS,
    START_DATE,
    count_in_metrics,
    landing_area,
)


@task
def requeue() -> list[str]:
    from orchestration.ingest import requeue_known_cameras
    from orchestration.settings import Locations

    locations = Locations.from_env()
    return requeue_known_cameras(
        landing_area(locations.landing, locations.landing_conn_id), locations
    )


@task
def find_new_clips() -> list[str]:
    from orchestration.landing import CLIP_SUFFIXES, settled_keys
    from orchestration.settings import Locations

    locations = Locations.from_env()
    area = landing_area(locations.landing, locations.landing_conn_id)
    return settled_keys(area, CLIP_SUFFIXES, locations.settle_s)


@task(max_active_tis_per_dagrun=4)
def ingest(key: str) -> dict[str, Any]:
    from orchestration.ingest import ingest_clip
    from orchestration.settings import Locations

    locations = Locations.from_env()
    outcome = ingest_clip(
        landing_area(locations.landing, locations.landing_conn_id), key, locations
    )
    return asdict(outcome)


@task(outlets=[REGISTERED_CLIPS])
def announce(outcomes: list[dict[str, Any]]):
    count_in_metrics("ingest", dict(Counter(outcome["status"] for outcome in outcomes)))
    new = [outcome["clip_id"] for outcome in outcomes if outcome["status"] == "registered"]
    if not new:
        raise AirflowSkipException("no new clips: the asset stays as it was")
    yield Metadata(REGISTERED_CLIPS, {"clip_ids": new})


@dag(
    dag_id="clip_ingest",
    doc_md=__doc__,
    schedule=timedelta(minutes=5),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["traffic-civility", "ingest"],
)
def clip_ingest():
    keys = find_new_clips()
    requeue() >> keys
    announce(ingest.expand(key=keys))


clip_ingest()
