"""Ingesting one landing file: registered, duplicate (also when dropped at the same moment),
leftover of a killed run, or quarantined; in every case it leaves the landing area. Clips refused
for an unknown camera go back to the landing area once the camera's file exists."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import yaml

from orchestration.ingest import clip_quarantine, ingest_clip, requeue_known_cameras
from orchestration.quarantine import reason_path
from orchestration.store import ClipStore

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
NAME = "test-cam-01_20261116T080000.mp4"


def sha16(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_a_good_clip_is_registered_and_leaves_the_landing_area(
    drop_clip, camera_file, locations, landing
):
    clip = drop_clip(f"cam/{NAME}", frames=30)
    clip_id = sha16(clip)

    outcome = ingest_clip(landing, f"cam/{NAME}", locations, now=NOW)

    store = ClipStore(locations.store)
    assert (outcome.status, outcome.clip_id, outcome.is_new_clip) == ("registered", clip_id, True)
    assert outcome.detail == str(store.clip_dir(clip_id) / NAME)
    assert store.record(clip_id).source == f"cam/{NAME}"
    assert store.pending() == [clip_id]
    assert list(landing.rglob("*.mp4")) == []


def test_the_same_footage_under_another_name_is_a_quarantined_duplicate(
    drop_clip, camera_file, locations, landing
):
    first = drop_clip(NAME, frames=30)
    clip_id = sha16(first)
    shutil.copy(first, landing / "test-cam-01_20261117T080000.mp4")
    ingest_clip(landing, NAME, locations, now=NOW)

    outcome = ingest_clip(landing, "test-cam-01_20261117T080000.mp4", locations, now=NOW)

    assert (outcome.status, outcome.clip_id) == ("duplicate", clip_id)
    assert f"same footage (SHA-256) as clip {clip_id}" in outcome.detail
    moved = clip_quarantine(locations) / f"test-cam-01_20261117T080000-{clip_id[:8]}.mp4"
    reason = json.loads(reason_path(moved).read_text(encoding="utf-8"))
    assert reason["duplicate_of"] == clip_id
    assert ClipStore(locations.store).pending() == [clip_id]
    assert list(landing.iterdir()) == []


def test_a_clip_registered_by_a_killed_run_is_only_removed(
    drop_clip, camera_file, locations, landing
):
    clip = drop_clip(NAME, frames=30)
    kept, written = clip.read_bytes(), clip.stat().st_mtime
    registered_at = datetime.fromtimestamp(written + 1, UTC)
    ingest_clip(landing, NAME, locations, now=registered_at)
    clip.write_bytes(kept)  # the run died before removing it from the landing area
    os.utime(clip, (written, written))

    outcome = ingest_clip(landing, NAME, locations, now=NOW)

    assert outcome.status == "already_registered"
    assert "removed now, the clip is in the store" in outcome.detail
    assert not clip_quarantine(locations).exists()
    assert list(landing.iterdir()) == []


def test_the_same_footage_dropped_again_under_its_name_is_a_quarantined_duplicate(
    drop_clip, camera_file, locations, landing
):
    clip = drop_clip(NAME, frames=30)
    kept = clip.read_bytes()
    first = ingest_clip(landing, NAME, locations, now=datetime(2026, 1, 1, tzinfo=UTC))
    clip.write_bytes(kept)  # dropped again, later

    outcome = ingest_clip(landing, NAME, locations, now=NOW)

    assert (outcome.status, outcome.clip_id) == ("duplicate", first.clip_id)
    assert f"civility clips reanalyse --clip {first.clip_id}" in outcome.detail
    [reason] = clip_quarantine(locations).glob("*.reason.json")
    assert json.loads(reason.read_text(encoding="utf-8"))["refusal"] == "duplicate"
    assert list(landing.iterdir()) == []


def test_a_bad_clip_is_quarantined_with_its_sidecar_and_the_reason(
    drop_clip, camera_file, locations, landing
):
    clip = drop_clip("upload-17.mp4", sidecar={"camera_id": "test-cam-77", "start_time": None})
    clip_id = sha16(clip)

    outcome = ingest_clip(landing, "upload-17.mp4", locations, now=NOW)

    assert (outcome.status, outcome.clip_id) == ("quarantined", clip_id)
    folder = clip_quarantine(locations)
    assert sorted(p.name for p in folder.iterdir()) == [
        f"upload-17-{clip_id[:8]}.json",
        f"upload-17-{clip_id[:8]}.mp4",
        f"upload-17-{clip_id[:8]}.mp4.reason.json",
    ]
    reason = json.loads(reason_path(folder / f"upload-17-{clip_id[:8]}.mp4").read_text())
    assert reason["reason"].startswith("camera 'test-cam-77' is unknown")
    assert reason["landing_key"] == "upload-17.mp4"
    assert ClipStore(locations.store).pending() == []
    assert list(landing.iterdir()) == []


def test_a_refusal_names_the_landing_key_not_the_private_copy(camera_file, locations, landing):
    (landing / "cam").mkdir()
    (landing / "cam" / NAME).write_bytes(b"not a video at all")

    outcome = ingest_clip(landing, f"cam/{NAME}", locations, now=NOW)

    assert outcome.detail.startswith(f"clip cam/{NAME}: not a readable video")


def _ingest_in_another_process(landing, key, locations) -> str:
    return ingest_clip(landing, key, locations).status


def test_identical_files_dropped_together_register_once(drop_clip, camera_file, locations, landing):
    first = drop_clip(NAME, frames=30)
    keys = [NAME] + [f"test-cam-01_20261116T08000{i}.mp4" for i in range(1, 4)]
    for key in keys[1:]:
        shutil.copy(first, landing / key)

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(keys), mp_context=context) as pool:
        count = len(keys)
        statuses = list(
            pool.map(_ingest_in_another_process, [landing] * count, keys, [locations] * count)
        )

    assert sorted(statuses) == ["duplicate"] * 3 + ["registered"]
    assert len(ClipStore(locations.store).records()) == 1
    assert len(list(clip_quarantine(locations).glob("*.reason.json"))) == 3


def test_clips_of_an_unknown_camera_go_back_to_landing_once_its_file_exists(
    drop_clip, camera_file, locations, landing, camera_dict
):
    sidecar = {"camera_id": "test-cam-77", "start_time": "2026-11-16T08:00:00+08:00"}
    drop_clip("cam77/upload-17.mp4", sidecar=sidecar)
    refused = ingest_clip(landing, "cam77/upload-17.mp4", locations, now=NOW)
    assert refused.status == "quarantined"
    assert requeue_known_cameras(landing, locations) == []  # still unknown

    camera = camera_dict(camera_id="test-cam-77")
    (locations.cameras / "test-cam-77.yaml").write_text(yaml.safe_dump(camera), "utf-8")
    requeued = requeue_known_cameras(landing, locations)

    assert requeued == ["cam77/upload-17.mp4"]
    assert sorted(p.name for p in (landing / "cam77").iterdir()) == [
        "upload-17.json",
        "upload-17.mp4",
    ]
    assert list(clip_quarantine(locations).iterdir()) == []
    again = ingest_clip(landing, "cam77/upload-17.mp4", locations, now=NOW)
    assert (again.status, again.clip_id) == ("registered", refused.clip_id)


def test_only_unknown_camera_refusals_are_requeued(drop_clip, camera_file, locations, landing):
    drop_clip(NAME, frames=5)  # too short: stays in quarantine whatever camera files appear
    ingest_clip(landing, NAME, locations, now=NOW)

    assert requeue_known_cameras(landing, locations) == []
    assert len(list(clip_quarantine(locations).glob("*.reason.json"))) == 1
