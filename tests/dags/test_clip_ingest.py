"""clip_ingest on the demo landing area (through a file:// ObjectStoragePath): the good clips
registered, the corrupt one and the duplicate quarantined with reasons, the asset updated."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_every_landed_file_is_ingested_and_announced(pipeline):
    run = pipeline.runs["ingest"]

    assert run.state == "success"
    assert sorted(run.tasks.values()) == ["success"] * 6  # find, 4 x ingest, announce


def test_good_clips_are_registered_under_their_ids(pipeline):
    registered = pipeline.data / "clips" / "clips"

    assert sorted(p.name for p in registered.iterdir()) == sorted(pipeline.clip_ids)


def test_the_corrupt_clip_and_one_of_the_twins_are_quarantined_with_reasons(pipeline):
    folder = pipeline.data / "quarantine" / "clips"
    reasons = {
        doc["landing_key"]: doc["reason"]
        for doc in (json.loads(p.read_text()) for p in folder.glob("*.reason.json"))
    }
    # Ingest tasks run in any order: whichever copy of clip A came second is the duplicate.
    twins = {pipeline.first_key, pipeline.duplicate_key}

    assert len(reasons) == 2
    assert "not a readable video" in reasons.pop(pipeline.corrupt_key)
    [(twin, reason)] = reasons.items()
    assert twin in twins
    assert reason.startswith(f"same footage (SHA-256) as clip {pipeline.clip_ids[0]}")
    assert reason.endswith(
        f"from {(twins - {twin}).pop()}; nothing to do unless this file was "
        "meant to be different footage"
    )


def test_the_landing_area_is_emptied(pipeline):
    assert list((pipeline.data / "landing" / "clips").iterdir()) == []


def test_the_asset_event_names_the_new_clips_once(pipeline):
    assert len(pipeline.asset_extras) == 1
    assert sorted(pipeline.asset_extras[0]["clip_ids"]) == sorted(pipeline.clip_ids)


def test_a_run_with_nothing_landed_skips_the_announcement(pipeline):
    run = pipeline.runs["ingest_again"]

    assert run.state == "success"
    assert run.tasks[("find_new_clips", -1)] == "success"
    assert run.tasks[("announce", -1)] == "skipped"
