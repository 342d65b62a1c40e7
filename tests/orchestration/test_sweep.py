"""Which clips an analysis run takes on: new ones, retries that may pass, requests, and those
whose model or camera changed; never a clip stuck on bad input that did not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from orchestration.store import ClipStore
from orchestration.sweep import (
    MAX_FAILED_ATTEMPTS,
    CameraState,
    camera_state,
    due_clips,
    due_reason,
)

MODEL = "yolo@1"
CAMERA = CameraState("file-1", "config-1")
ANALYSED = {"model_version": MODEL, "camera_config_sha256": "config-1"}


def failure(**fields):
    return {"model_version": MODEL, "camera_file_sha256": "file-1", "count_failures": 1, **fields}


@pytest.mark.parametrize(
    ("analysed", "failed", "asked", "camera", "reason"),
    [
        (None, None, None, CAMERA, "new"),
        (ANALYSED, None, None, CAMERA, None),
        ({**ANALYSED, "model_version": "yolo@0"}, None, None, CAMERA, "model_changed"),
        (ANALYSED, None, None, CameraState("file-2", "config-2"), "camera_changed"),
        (ANALYSED, None, None, CameraState("file-2", "config-1"), None),  # a comment changed
        ({"load_id": "older marker"}, None, None, CAMERA, None),  # provenance unknown
        (ANALYSED, None, {"requested_at": "now"}, CAMERA, "requested"),
        (None, failure(is_input_error=True), None, CAMERA, None),
        (None, failure(is_input_error=True), None, CameraState("file-2", None), "retry"),
        (None, failure(is_input_error=False), None, CAMERA, "retry"),
        (None, failure(count_failures=MAX_FAILED_ATTEMPTS), None, CAMERA, None),
        (ANALYSED, failure(is_input_error=False), None, CAMERA, "retry"),  # re-analysis failed
        (None, failure(is_input_error=True), {"requested_at": "now"}, CAMERA, "requested"),
    ],
)
def test_due_reason(analysed, failed, asked, camera, reason):
    assert due_reason(analysed, failed, asked, MODEL, camera) == reason


def test_a_camera_state_hashes_its_file_and_its_configuration(tmp_path, camera_dict):
    path = tmp_path / "test-cam-01.yaml"
    path.write_text(yaml.safe_dump(camera_dict()), encoding="utf-8")
    state = camera_state("test-cam-01", tmp_path)
    path.write_text("# a comment\n" + yaml.safe_dump(camera_dict()), encoding="utf-8")
    commented = camera_state("test-cam-01", tmp_path)
    path.write_text(yaml.safe_dump(camera_dict(timezone="Mars/Olympus")), encoding="utf-8")
    broken = camera_state("test-cam-01", tmp_path)

    assert commented.config_sha256 == state.config_sha256 != None  # noqa: E711
    assert commented.file_sha256 != state.file_sha256
    assert broken.config_sha256 is None and broken.file_sha256 is not None
    assert camera_state("test-cam-99", tmp_path) == CameraState(None, None)


def test_new_footage_comes_first_then_retries_then_reanalysis(
    drop_clip, camera_file, locations, landing
):
    from orchestration.ingest import ingest_clip

    now = datetime(2026, 11, 23, tzinfo=UTC)
    ids = []
    for hour in range(4):
        name = f"test-cam-01_20261116T{8 + hour:02d}0000.mp4"
        drop_clip(name, frames=20 + hour)
        ids.append(ingest_clip(landing, name, locations, now=now).clip_id)
    store = ClipStore(locations.store)
    model = "m@1"
    camera = camera_state("test-cam-01", locations.cameras)
    store.mark_analysed(
        ids[0], {"model_version": "m@0", "camera_config_sha256": camera.config_sha256}
    )
    store.record_failure(ids[1], {"is_input_error": False, "model_version": model})
    store.mark_analysed(
        ids[3], {"model_version": model, "camera_config_sha256": camera.config_sha256}
    )

    due = due_clips(store, locations.cameras, model)

    assert [(clip.clip_id, clip.reason) for clip in due] == [
        (ids[2], "new"),
        (ids[1], "retry"),
        (ids[0], "model_changed"),
    ]
    assert [clip.clip_id for clip in due_clips(store, locations.cameras, model, limit=1)] == [
        ids[2]
    ]
