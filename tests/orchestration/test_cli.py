"""``civility clips``: re-analysis requests by camera, clip and time; the store's status."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from civility.cli import app
from orchestration.ingest import ingest_clip
from orchestration.store import ClipStore

NOW = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.fixture
def registered(drop_clip, camera_file, locations, landing, monkeypatch) -> list[str]:
    """Three clips of test-cam-01 (Hanoi time), 08:00 on the 16th, 17th and 18th of November."""
    monkeypatch.setenv("CIVILITY_DATA", str(locations.store.parent))
    ids = []
    for day in (16, 17, 18):
        name = f"test-cam-01_202611{day}T080000.mp4"
        drop_clip(name, frames=20 + day)
        ids.append(ingest_clip(landing, name, locations, now=NOW).clip_id)
    return ids


def civility(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_cameras_clips_since_a_local_date_are_requested_again(registered, locations):
    result = civility(
        "clips", "reanalyse", "--camera", "test-cam-01", "--since", "2026-11-17", "--json"
    )

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["clip_ids"] == registered[1:]
    store = ClipStore(locations.store)
    assert [store.reanalysis_request(i) is not None for i in registered] == [False, True, True]
    assert store.reanalysis_request(registered[1])["reason"] == "requested by an operator"


def test_a_window_with_an_offset_and_single_clips_can_be_chosen(registered):
    window = civility(
        "clips",
        "reanalyse",
        "--camera",
        "test-cam-01",
        "--until",
        "2026-11-17T01:00:00+00:00",
        "--json",
    )  # 08:00 in Hanoi is 01:00 UTC: the 17th's clip starts exactly then, so it is out
    one = civility("clips", "reanalyse", "--clip", registered[2], "--json")

    assert json.loads(window.stdout)["clip_ids"] == registered[:1]
    assert json.loads(one.stdout)["clip_ids"] == registered[2:]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name the clips to analyse again"),
        (["--camera", "test-cam-99"], "no registered clip matches"),
        (["--camera", "test-cam-01", "--since", "last week"], "is not ISO 8601"),
    ],
)
def test_bad_requests_say_what_to_fix(registered, args, message):
    result = civility("clips", "reanalyse", *args)

    assert result.exit_code == 2
    assert message in result.output


def test_status_counts_due_failed_and_quarantined_clips(registered, locations, drop_clip, landing):
    store = ClipStore(locations.store)
    store.record_failure(
        registered[0], {"stage": "detect", "error": "boom", "is_input_error": False}
    )
    store.mark_analysed(registered[1], {"load_id": "x"})
    drop_clip("test-cam-01_20261119T080000.mp4", frames=5)  # too short
    ingest_clip(landing, "test-cam-01_20261119T080000.mp4", locations, now=NOW)

    result = civility("clips", "status", "--json")

    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert (status["count_registered"], status["count_analysed"]) == (3, 1)
    assert status["due"] == {"new": 1, "retry": 1}
    assert [(f["clip_id"], f["error"]) for f in status["failed"]] == [(registered[0], "boom")]
    assert status["quarantined"] == {"too_short": 1}
