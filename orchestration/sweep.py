"""Which registered clips an analysis run should take on, and why.

Every run sweeps the whole store rather than trusting the event that started it, so a clip that
arrived while the DAG was paused, whose trigger was lost or whose worker crashed is picked up
by the next run. A clip is due when:

- ``new``: it was never analysed;
- ``retry``: its last attempt failed for a reason that may pass (a killed worker, a full disk),
  fewer than ``MAX_FAILED_ATTEMPTS`` times in a row (two runs with their retries);
- ``requested``: an operator asked for it (``civility clips reanalyse``);
- ``model_changed`` / ``camera_changed``: it was analysed with another model, or its camera
  file has changed since; the new results replace the old in the warehouse.

A clip that failed on bad input (a broken camera file, a missing model) waits until that input
changes: analysing it again unchanged would only fail again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detectors.config.camera import CameraConfig, camera_config_sha256, load_camera
from detectors.config.errors import InputError
from detectors.outputs import file_sha256
from orchestration.store import ClipRecord, ClipStore

MAX_FAILED_ATTEMPTS = 8
# The order clips are taken in: footage never analysed first, re-analysis last.
REASONS = ("new", "retry", "requested", "model_changed", "camera_changed")


@dataclass(frozen=True)
class CameraState:
    """What a camera's file holds now: its bytes' hash (None: no file), and its configuration's
    hash (None: the file does not validate)."""

    file_sha256: str | None
    config_sha256: str | None


@dataclass(frozen=True)
class DueClip:
    clip_id: str
    reason: str


def due_reason(
    analysed: dict[str, Any] | None,
    failure: dict[str, Any] | None,
    request: dict[str, Any] | None,
    model_version: str,
    camera: CameraState,
) -> str | None:
    """Why the clip should be analysed now, or None if it should not."""
    if request is not None:
        return "requested"
    if failure is not None and not _may_retry(failure, model_version, camera):
        return None
    if analysed is None:
        return "retry" if failure else "new"
    if failure is not None:
        return "retry"  # a re-analysis that failed
    if analysed.get("model_version") not in (None, model_version):
        return "model_changed"
    if analysed.get("camera_config_sha256") not in (None, camera.config_sha256):
        return "camera_changed"
    return None


def _may_retry(failure: dict[str, Any], model_version: str, camera: CameraState) -> bool:
    inputs_changed = (
        failure.get("model_version") != model_version
        or failure.get("camera_file_sha256") != camera.file_sha256
    )
    return inputs_changed or retried_unchanged(failure)


def retried_unchanged(failure: dict[str, Any]) -> bool:
    """Whether a sweep takes the failed clip on again though nothing it depends on changed: a
    failure that may pass, not yet ``MAX_FAILED_ATTEMPTS`` times in a row."""
    return (
        not failure.get("is_input_error") and failure.get("count_failures", 1) < MAX_FAILED_ATTEMPTS
    )


def camera_state(camera_id: str, cameras: Path, loaded: CameraConfig | None = None) -> CameraState:
    """``loaded``: the camera as the caller has just read it from that file, not read again."""
    path = cameras / f"{camera_id}.yaml"
    if not path.is_file():
        return CameraState(None, None)
    try:
        config_sha256 = camera_config_sha256(loaded or load_camera(path))
    except InputError:
        config_sha256 = None
    return CameraState(file_sha256(path), config_sha256)


def due_clips(
    store: ClipStore, cameras: Path, model_version: str, limit: int | None = None
) -> list[DueClip]:
    """The clips to analyse now, at most ``limit``: by reason (see ``REASONS``), then oldest
    footage first."""
    states: dict[str, CameraState] = {}
    due = []
    for record in store.records():
        if record.camera_id not in states:
            states[record.camera_id] = camera_state(record.camera_id, cameras)
        reason = clip_due_reason(store, record, model_version, states[record.camera_id])
        if reason is not None:
            due.append(DueClip(record.clip_id, reason))
    due.sort(key=lambda clip: REASONS.index(clip.reason))  # stable: footage order within
    return due[:limit]


def clip_due_reason(
    store: ClipStore, record: ClipRecord, model_version: str, camera: CameraState
) -> str | None:
    clip_id = record.clip_id
    return due_reason(
        store.analysed(clip_id),
        store.failure(clip_id),
        store.reanalysis_request(clip_id),
        model_version,
        camera,
    )
