"""Quarantine: the refused file and its companions moved aside, the reason written beside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from orchestration.quarantine import quarantine, reason_path

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SHA = "4d3f0c03" + "0" * 56


def test_files_move_under_names_tagged_with_the_content_hash(tmp_path):
    clip, sidecar = tmp_path / "cam_x.mp4", tmp_path / "cam_x.json"
    clip.write_bytes(b"clip")
    sidecar.write_text("{}", encoding="utf-8")
    folder = tmp_path / "quarantine"

    moved = quarantine([clip, sidecar], folder, "not a video", SHA, NOW, {"landing_key": "k"})

    assert moved == folder / "cam_x-4d3f0c03.mp4"
    assert moved.read_bytes() == b"clip"
    assert (folder / "cam_x-4d3f0c03.json").read_text(encoding="utf-8") == "{}"
    assert not clip.exists() and not sidecar.exists()
    assert json.loads(reason_path(moved).read_text(encoding="utf-8")) == {
        "file": "cam_x-4d3f0c03.mp4",
        "original_name": "cam_x.mp4",
        "companions": ["cam_x-4d3f0c03.json"],
        "sha256": SHA,
        "reason": "not a video",
        "quarantined_at": "2026-11-23T08:00:00+00:00",
        "landing_key": "k",
    }


def test_the_reason_sits_beside_the_file(tmp_path):
    assert reason_path(tmp_path / "a-1234.mp4") == tmp_path / "a-1234.mp4.reason.json"


def test_the_same_file_quarantined_twice_is_one_entry(tmp_path):
    folder = tmp_path / "quarantine"
    for attempt in range(2):
        clip = tmp_path / "cam_x.mp4"
        clip.write_bytes(b"clip")
        quarantine([clip], folder, f"attempt {attempt}", SHA, NOW)

    assert sorted(p.name for p in folder.iterdir()) == [
        "cam_x-4d3f0c03.mp4",
        "cam_x-4d3f0c03.mp4.reason.json",
    ]
    assert (
        json.loads(reason_path(folder / "cam_x-4d3f0c03.mp4").read_text())["reason"] == "attempt 1"
    )
