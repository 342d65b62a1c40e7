"""Quarantine: the refused file and its companions moved aside, the reason written beside it;
entries listed, released back to where they came from, and pruned by age."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from orchestration.quarantine import prune, quarantine, quarantined, reason_path, release

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


def quarantined_at(tmp_path, name: str, sha: str, when: datetime, companion: bool = False):
    files = [tmp_path / name]
    files[0].write_bytes(name.encode())
    if companion:
        files.append(files[0].with_suffix(".json"))
        files[1].write_text("{}", encoding="utf-8")
    return quarantine(files, tmp_path / "q", f"reason of {name}", sha, when, {"landing_key": name})


def test_entries_are_listed_oldest_first_with_their_reasons(tmp_path):
    later = quarantined_at(tmp_path, "b.mp4", "b" * 64, NOW)
    earlier = quarantined_at(tmp_path, "a.mp4", "a" * 64, NOW - timedelta(days=1), companion=True)

    entries = quarantined(tmp_path / "q")

    assert [entry.path for entry in entries] == [earlier, later]
    assert entries[0].reason["reason"] == "reason of a.mp4"
    assert entries[0].files == [earlier.with_suffix(".json"), earlier]
    assert entries[0].quarantined_at == NOW - timedelta(days=1)


def test_a_released_entry_hands_over_its_files_sidecar_first_and_leaves(tmp_path):
    quarantined_at(tmp_path, "a.mp4", "a" * 64, NOW, companion=True)
    [entry] = quarantined(tmp_path / "q")
    handed = []

    release(entry, lambda path, suffix: handed.append((path.read_bytes(), suffix)))

    assert handed == [(b"{}", ".json"), (b"a.mp4", ".mp4")]
    assert list((tmp_path / "q").iterdir()) == []


def test_pruning_deletes_only_entries_older_than_the_cutoff(tmp_path):
    quarantined_at(tmp_path, "old.mp4", "a" * 64, NOW - timedelta(days=31), companion=True)
    kept = quarantined_at(tmp_path, "new.mp4", "b" * 64, NOW - timedelta(days=1))

    pruned = prune(tmp_path / "q", NOW - timedelta(days=30))

    assert [entry.reason["landing_key"] for entry in pruned] == ["old.mp4"]
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == [kept.name, reason_path(kept).name]
