"""Analyse a registered clip: the engine into the store's staging outputs, then the warehouse.

The outputs appear atomically (``process_clip``), so a detection killed half-way leaves nothing
a warehouse load could pick up, and running it again simply starts over. A clip already analysed
with the current model and camera file is not analysed again. Footage the engine cannot decode is
quarantined with the engine's reason; a broken camera file is not the clip's fault and stays an
error to fix. Every failed attempt is kept in the store (``failures/<clip_id>.json``) with its
error, for the run's report, the daily summary and the next run's sweep.

Clip continuity: a detection carries on from the boundary state of the camera's previous clip
(``ClipStore.previous_clip``) when that clip is analysed and ended where this one starts; each
clip's own state is kept in the store after its outputs are loaded and removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from detectors.config.errors import InputError
from detectors.continuity import MAX_GAP_S, BoundaryState, read_state
from detectors.detections.detector import Detector, DetectorSettings, default_model, model_version
from detectors.frames.binding import sidecar_path
from detectors.frames.source import ClipError
from detectors.pipeline import Progress
from detectors.process import process_clip
from orchestration.ingest import clip_quarantine
from orchestration.quarantine import quarantine
from orchestration.settings import Locations
from orchestration.store import ClipRecord, ClipStore, write_json
from orchestration.sweep import (
    MAX_FAILED_ATTEMPTS,
    camera_state,
    due_reason,
    retried_unchanged,
)
from orchestration.validate import camera_for

log = logging.getLogger(__name__)

NOT_FINISHED = (
    "no error recorded: the task did not finish (worker killed, out of memory or lost); "
    "see the task's log"
)


def detect_registered(
    clip_id: str,
    locations: Locations,
    detector: Detector | None = None,
    progress: Progress | None = None,
) -> Path | None:
    """The clip's output folder, freshly written; None if the clip is analysed already with
    this model and camera file, or was quarantined because the engine cannot read it."""
    store = ClipStore(locations.store)
    record = registered(store, clip_id, locations)
    model = detector.version if detector else model_version(default_model())
    with failure_recorded(store, record, "detect", locations, model):
        camera = camera_for(record.camera_id, locations.cameras)
        state = camera_state(record.camera_id, locations.cameras, loaded=camera)
        request = store.reanalysis_request(clip_id)
        if due_reason(store.analysed(clip_id), None, request, model, state) is None:
            return None
        detector = detector or Detector(DetectorSettings(model=default_model()), version=model)
        out = store.output_dir(clip_id)
        try:
            processed = process_clip(
                store.clip_path(record),
                camera,
                out,
                detector,
                clip_start=record.started_at,
                progress=progress,
                after=previous_state(store, record),
            )
        except ClipError as error:
            refuse_registered(store, record, locations, str(error))
            return None
        boundary = processed.result.boundary.model_dump(mode="json")
        write_json(store.boundary_path(clip_id), boundary)
    return out


def load_registered(
    clip_id: str, locations: Locations, now: datetime | None = None
) -> dict[str, Any]:
    """Load the clip's staged outputs into the warehouse and mark it analysed; what the store
    then says about it. Safe to repeat: a retry after the marker was written loads nothing."""
    from analytics.warehouse import load_clip, warehouse_root

    store = ClipStore(locations.store)
    record = registered(store, clip_id, locations)
    out = store.output_dir(clip_id)
    with failure_recorded(store, record, "load", locations):
        done = store.analysed(clip_id)
        if not out.is_dir():
            if done is None:
                raise InputError(
                    f"clip {clip_id}: no outputs in {out} to load; its detect task writes them, "
                    "run clip_analysis again"
                )
            return done  # a retry after the marker was written and the outputs removed
        clip = pq.read_table(out / "clip.parquet").to_pylist()[0]
        processed_at = clip["processed_at"].isoformat()
        if done is not None and done.get("processed_at") == processed_at:
            return store.mark_analysed(clip_id, done)  # loaded; a retry only tidies up
        result = load_clip(warehouse_root(locations.warehouse), out)
        return store.mark_analysed(
            clip_id,
            {
                "clip_id": clip_id,
                "load_id": result.load_id,
                "week": result.week,
                "count_events": result.count_events,
                "model_version": clip["model_version"],
                "camera_config_sha256": clip["camera_config_sha256"],
                "processed_at": processed_at,
                "analysed_at": (now or datetime.now(UTC)).isoformat(),
            },
        )


def analysis_report(store: ClipStore, clip_ids: list[str]) -> dict[str, Any]:
    """What became of the clips a run took on: analysed, quarantined by the engine, or failed
    with the error of their last attempt and what to do about it (``failure_fix``)."""
    report: dict[str, Any] = {"analysed": [], "quarantined": [], "failed": []}
    for clip_id in clip_ids:
        record = store.record(clip_id)
        failure = store.failure(clip_id)
        if record is None:
            report["quarantined"].append(clip_id)
        elif failure is None and store.analysed(clip_id) and not store.reanalysis_request(clip_id):
            report["analysed"].append(clip_id)
        else:
            fix = failure_fix(clip_id, failure)
            failure = failure or {"stage": "detect or load", "error": NOT_FINISHED}
            report["failed"].append(
                {
                    "clip_id": clip_id,
                    "camera_id": record.camera_id,
                    "source": record.source,
                    "stage": failure["stage"],
                    "error": failure["error"],
                    "fix": fix,
                }
            )
    return report


def failure_fix(clip_id: str, failure: dict[str, Any] | None) -> str:
    """What an operator does about a failed clip (Chinese, then English), from its failure
    record (None: the task ended without one) and what the next sweep will do with it."""
    reanalyse = f"`civility clips reanalyse --clip {clip_id}`"
    if failure is None:
        return (
            "查看任务日志和工作节点的内存（dmesg），下一次扫描会自动重试 "
            "(check the task's log and the worker's memory; the next sweep retries the clip)"
        )
    if failure.get("is_input_error"):
        return (
            "改正原因中指出的输入：摄像头配置文件或模型改好后，下一次扫描会重新分析；其他输入改好后"
            f"运行 {reanalyse} (fix the input the error names: the next sweep analyses the clip "
            f"again once its camera file or the model has changed; otherwise run {reanalyse})"
        )
    count = failure.get("count_failures", 1)
    if retried_unchanged(failure):
        return (
            f"下一次扫描会自动重试（已连续失败 {count} 次，最多 {MAX_FAILED_ATTEMPTS} 次）；"
            f"反复失败请查看任务日志 (the next sweep retries it: {count} of "
            f"{MAX_FAILED_ATTEMPTS} attempts; if it keeps failing, see the task's log)"
        )
    return (
        f"已连续失败 {count} 次，不再自动重试：按任务日志排除故障后运行 {reanalyse} "
        f"(no more automatic retries: fix what the task's log shows, then run {reanalyse})"
    )


def registered(store: ClipStore, clip_id: str, locations: Locations) -> ClipRecord:
    record = store.record(clip_id)
    if record is None:
        raise InputError(
            f"clip {clip_id} is not registered in {store.root}; it may have been quarantined "
            f"(see {clip_quarantine(locations)}) — run clip_ingest for new clips"
        )
    return record


@contextmanager
def failure_recorded(
    store: ClipStore,
    record: ClipRecord,
    stage: str,
    locations: Locations,
    model: str | None = None,
) -> Iterator[None]:
    """Keep any error raised inside in the store, with what the attempt ran with (the model,
    when it ran one), and re-raise."""
    try:
        yield
    except Exception as error:
        store.record_failure(
            record.clip_id,
            {
                "clip_id": record.clip_id,
                "stage": stage,
                "error": str(error) or type(error).__name__,
                "error_type": type(error).__name__,
                "is_input_error": isinstance(error, InputError),
                "model_version": model,
                "camera_file_sha256": camera_state(record.camera_id, locations.cameras).file_sha256,
                "failed_at": datetime.now(UTC).isoformat(),
            },
        )
        raise


def previous_state(store: ClipStore, record: ClipRecord) -> BoundaryState | None:
    """The boundary state of the camera's previous clip, where that clip is analysed and ended
    where this one starts; None (a fresh start) otherwise, e.g. while it is still being analysed
    by another worker, or when its state cannot be read (written by another engine version,
    damaged): the clip is then analysed alone rather than not at all."""
    previous = store.previous_clip(record, MAX_GAP_S)
    if previous is None or not store.boundary_path(previous.clip_id).is_file():
        return None
    try:
        return read_state(store.boundary_path(previous.clip_id))
    except InputError as error:
        log.warning("clip %s starts fresh: %s", record.clip_id, error)
        return None


def refuse_registered(
    store: ClipStore, record: ClipRecord, locations: Locations, reason: str
) -> Path:
    """Move a registered clip the engine refused into quarantine and drop it from the store."""
    clip = store.clip_path(record)
    files = [clip] + [p for p in (sidecar_path(clip),) if p.is_file()]
    details = {
        "landing_key": record.source,
        "refusal": "unreadable",
        "record": record.model_dump(mode="json"),
    }
    now = datetime.now(UTC)
    moved = quarantine(files, clip_quarantine(locations), reason, record.sha256, now, details)
    store.forget(record.clip_id)
    return moved
