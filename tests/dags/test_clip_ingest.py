"""clip_ingest on the demo landing area (through a file:// ObjectStoragePath): the good clips
registered; the unreadable, partial and too-short drops and the duplicate quarantined with their
reasons, none of them in the warehouse; the asset updated."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.slow


def test_every_landed_file_is_ingested_and_announced(pipeline):
    run = pipeline.runs["ingest"]

    assert run.state == "success"
    assert sorted(run.tasks.values()) == ["success"] * 9  # requeue, find, 6 x ingest, announce


def test_good_clips_are_registered_under_their_ids(pipeline):
    registered = pipeline.data / "clips" / "clips"

    assert sorted(p.name for p in registered.iterdir()) == sorted(pipeline.clip_ids)


def test_refused_drops_and_one_of_the_twins_are_quarantined_with_reasons(pipeline):
    folder = pipeline.data / "quarantine" / "clips"
    documents = [json.loads(p.read_text()) for p in folder.glob("*.reason.json")]
    refusals = {doc["landing_key"]: doc["refusal"] for doc in documents}
    reasons = {doc["landing_key"]: doc["reason"] for doc in documents}
    # Ingest tasks run in any order: whichever copy of clip A came second is the duplicate.
    twins = {pipeline.first_key, pipeline.duplicate_key}

    assert len(reasons) == 4
    for kind, key in pipeline.refused_keys.items():
        assert refusals[key] == kind
    assert "not a readable video" in reasons.pop(pipeline.refused_keys["unreadable"])
    assert re.search(
        r"only \d\d of its 80 frames decode", reasons.pop(pipeline.refused_keys["partial"])
    )
    assert "0.5 s long, less than 1 s" in reasons.pop(pipeline.refused_keys["too_short"])
    [(twin, reason)] = reasons.items()
    assert twin in twins
    assert reason.startswith(f"same footage (SHA-256) as clip {pipeline.clip_ids[0]}")
    assert (
        f"from {(twins - {twin}).pop()}; nothing to do unless this file was meant to be "
        "different footage" in reason
    )


def test_no_refused_footage_reaches_the_warehouse(pipeline):
    from analytics.warehouse import connect

    clips = connect(pipeline.data / "warehouse").sql("select clip_path from fct_clips").fetchall()
    paths = [path for (path,) in clips]

    assert len(paths) == len(pipeline.clip_ids)
    assert not any(
        key.removesuffix(".mp4") in path for key in pipeline.refused_keys.values() for path in paths
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


def test_ingest_counts_reach_statsd(pipeline, statsd_lines):
    assert any(line.startswith("airflow.civility.ingest.registered:2|c") for line in statsd_lines)
