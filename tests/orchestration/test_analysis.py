"""Analysing a registered clip into the store's staging outputs and the warehouse, keeping each
failure; a detector that sees nobody stands in for the model (the real model runs in
tests/dags)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
import yaml

from detectors.config.errors import InputError
from detectors.outputs import TABLES
from orchestration.analysis import (
    NOT_FINISHED,
    analysis_report,
    detect_registered,
    failure_fix,
    load_registered,
)
from orchestration.ingest import clip_quarantine, ingest_clip
from orchestration.quarantine import reason_path
from orchestration.store import ClipStore
from orchestration.sweep import camera_state

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
NAME = "test-cam-01_20261116T080000.mp4"


@pytest.fixture
def registered(drop_clip, camera_file, locations, landing) -> str:
    drop_clip(NAME, frames=20, size=(640, 480))
    return ingest_clip(landing, NAME, locations, now=NOW).clip_id


def test_outputs_of_a_registered_clip_appear_in_its_staging_folder(
    registered, locations, nobody_detector
):
    out = detect_registered(registered, locations, nobody_detector)

    assert out == ClipStore(locations.store).output_dir(registered)
    assert sorted(p.stem for p in out.glob("*.parquet")) == sorted(TABLES)
    assert [p.name for p in out.parent.iterdir()] == [registered]  # no staging leftovers


def test_a_clip_already_in_the_warehouse_is_not_analysed_again(
    registered, locations, nobody_detector
):
    ClipStore(locations.store).mark_analysed(registered, {"load_id": "x"})

    assert detect_registered(registered, locations, nobody_detector) is None
    assert not ClipStore(locations.store).output_dir(registered).exists()


def test_footage_the_engine_cannot_read_is_quarantined(registered, locations, nobody_detector):
    store = ClipStore(locations.store)
    store.clip_path(store.record(registered)).write_bytes(b"rotten on disk")

    assert detect_registered(registered, locations, nobody_detector) is None

    assert store.record(registered) is None
    moved = clip_quarantine(locations) / f"test-cam-01_20261116T080000-{registered[:8]}.mp4"
    reason = json.loads(reason_path(moved).read_text(encoding="utf-8"))
    assert "not a readable video" in reason["reason"]
    assert reason["record"]["clip_id"] == registered


def test_an_unregistered_clip_is_an_input_error(locations, nobody_detector):
    with pytest.raises(InputError, match="clip 0123456789abcdef is not registered"):
        detect_registered("0123456789abcdef", locations, nobody_detector)


def test_a_camera_file_gone_since_registration_is_an_error_not_a_quarantine(
    registered, locations, camera_file, nobody_detector
):
    camera_file.unlink()

    with pytest.raises(InputError, match="camera 'test-cam-01' is unknown"):
        detect_registered(registered, locations, nobody_detector)
    assert ClipStore(locations.store).record(registered) is not None


def test_a_load_marks_the_clip_analysed_with_what_made_its_results(
    registered, locations, nobody_detector
):
    from analytics.warehouse import connect

    store = ClipStore(locations.store)
    detect_registered(registered, locations, nobody_detector)

    load = load_registered(registered, locations, now=NOW)

    camera = camera_state("test-cam-01", locations.cameras)
    assert load["model_version"] == "nobody@0"
    assert load["camera_config_sha256"] == camera.config_sha256
    assert load["analysed_at"] == NOW.isoformat()
    assert store.analysed(registered) == load
    assert not store.output_dir(registered).exists()
    rows = connect(locations.warehouse).sql("select clip_id, camera_config_sha256 from fct_clips")
    assert rows.fetchall() == [(registered, camera.config_sha256)]


def test_a_load_retried_after_it_finished_loads_nothing(registered, locations, nobody_detector):
    detect_registered(registered, locations, nobody_detector)
    first = load_registered(registered, locations, now=NOW)

    again = load_registered(registered, locations)

    assert again == first
    assert len(list((locations.warehouse / "clips").glob("week=*/clip=*/load=*"))) == 1


def test_a_clip_analysed_with_this_model_and_camera_is_skipped_unless_requested(
    registered, locations, nobody_detector
):
    store = ClipStore(locations.store)
    detect_registered(registered, locations, nobody_detector)
    load_registered(registered, locations)

    assert detect_registered(registered, locations, nobody_detector) is None
    store.request_reanalysis(registered, {"requested_at": NOW.isoformat()})
    assert detect_registered(registered, locations, nobody_detector) is not None


def test_a_failed_detection_is_kept_with_its_error_and_inputs(
    registered, locations, camera_file, camera_dict, nobody_detector
):
    camera_file.write_text(yaml.safe_dump(camera_dict(timezone="Mars/Olympus")), "utf-8")

    with pytest.raises(InputError, match="Mars/Olympus"):
        detect_registered(registered, locations, nobody_detector)

    failure = ClipStore(locations.store).failure(registered)
    assert (failure["stage"], failure["is_input_error"], failure["model_version"]) == (
        "detect",
        True,
        "nobody@0",
    )
    assert (
        failure["camera_file_sha256"] == camera_state("test-cam-01", locations.cameras).file_sha256
    )
    assert "Mars/Olympus" in failure["error"]


def test_the_report_tells_analysed_quarantined_failed_and_unfinished_clips(
    drop_clip, camera_file, locations, landing
):
    ids = []
    for hour in range(4):
        name = f"test-cam-01_20261116T{8 + hour:02d}0000.mp4"
        drop_clip(name, frames=20 + hour)
        ids.append(ingest_clip(landing, name, locations, now=NOW).clip_id)
    store = ClipStore(locations.store)
    store.mark_analysed(ids[0], {"load_id": "x"})
    store.forget(ids[1])  # quarantined by the engine
    store.record_failure(ids[2], {"stage": "load", "error": "disk full"})

    report = analysis_report(store, ids)

    assert report["analysed"] == [ids[0]]
    assert report["quarantined"] == [ids[1]]
    assert [(f["clip_id"], f["stage"], f["error"]) for f in report["failed"]] == [
        (ids[2], "load", "disk full"),
        (ids[3], "detect or load", NOT_FINISHED),
    ]
    assert report["failed"][0]["source"] == "test-cam-01_20261116T100000.mp4"
    retried, killed = (f["fix"] for f in report["failed"])
    assert "the next sweep retries it: 1 of 8 attempts" in retried
    assert "the worker's memory" in killed


def test_the_fix_follows_what_the_next_sweep_does_with_the_clip():
    assert "once its camera file or the model has changed" in failure_fix(
        "c1", {"is_input_error": True, "count_failures": 1}
    )
    assert "no more automatic retries" in failure_fix("c1", {"count_failures": 8})
    assert "`civility clips reanalyse --clip c1`" in failure_fix("c1", {"count_failures": 8})


def test_the_next_clip_of_a_camera_carries_on_from_the_previous_one(
    registered, drop_clip, locations, landing, nobody_detector
):
    following = "test-cam-01_20261116T080002.mp4"  # starts where the 2 s clip ends
    drop_clip(following, frames=21, size=(640, 480))
    next_id = ingest_clip(landing, following, locations, now=NOW).clip_id
    store = ClipStore(locations.store)

    fresh = detect_registered(next_id, locations, nobody_detector)  # before its predecessor
    assert pq.read_table(fresh / "clip.parquet")["continued_from_clip_id"][0].as_py() is None

    detect_registered(registered, locations, nobody_detector)
    store.mark_analysed(registered, {"load_id": "x"})  # its outputs go, its state stays
    out = detect_registered(next_id, locations, nobody_detector)

    assert pq.read_table(out / "clip.parquet")["continued_from_clip_id"][0].as_py() == registered
    assert store.boundary_path(next_id).is_file()


def test_a_clip_after_an_unreadable_state_is_analysed_alone(
    registered, drop_clip, locations, landing, caplog, nobody_detector
):
    following = "test-cam-01_20261116T080002.mp4"
    drop_clip(following, frames=21, size=(640, 480))
    next_id = ingest_clip(landing, following, locations, now=NOW).clip_id
    store = ClipStore(locations.store)
    detect_registered(registered, locations, nobody_detector)
    store.boundary_path(registered).write_text('{"version": 0}', encoding="utf-8")  # older engine

    out = detect_registered(next_id, locations, nobody_detector)

    assert pq.read_table(out / "clip.parquet")["continued_from_clip_id"][0].as_py() is None
    assert f"clip {next_id} starts fresh" in caplog.text and "version 0" in caplog.text
