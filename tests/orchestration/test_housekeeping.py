"""Housekeeping: which weeks to compact, what killed tasks left, old quarantine, disk use."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from analytics.warehouse import compact_week, load_clip
from orchestration.housekeeping import (
    STALE_OUTPUT_S,
    compact_past_weeks,
    disk_use,
    folder_bytes,
    prune_quarantine,
    remove_stale_outputs,
    weeks_to_compact,
)
from orchestration.ingest import ingest_clip
from orchestration.store import ClipStore

AFTER_W47 = datetime(2026, 11, 26, tzinfo=UTC)  # W47 ended Monday 23 00:00 UTC, 3 days before


def test_a_finished_week_with_new_loads_is_compacted_once(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    load_clip(root, make_clip_outputs("a", clip_id="a" * 16))

    assert weeks_to_compact(root, AFTER_W47 - timedelta(days=2)) == []  # late clips may land
    assert compact_past_weeks(root, AFTER_W47) == ["2026-W47"]
    assert weeks_to_compact(root, AFTER_W47) == []  # the loads are in the newest generation
    load_clip(root, make_clip_outputs("b", clip_id="b" * 16))
    assert weeks_to_compact(root, AFTER_W47) == ["2026-W47"]


def test_an_unknown_week_is_never_compacted(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    load_clip(root, make_clip_outputs("a", started_at=None))
    compact_week(root, "2026-W01")  # nothing there

    assert weeks_to_compact(root, AFTER_W47) == []


def test_staging_folders_of_killed_detections_go_a_day_later(tmp_path):
    store = ClipStore(tmp_path / "store")
    stale = store.root / "outputs" / ".c0ffee.partial-1"
    recent = store.root / "outputs" / ".c0ffee.partial-2"
    for folder in (stale, recent):
        folder.mkdir(parents=True)
    old = time.time() - STALE_OUTPUT_S - 60
    os.utime(stale, (old, old))

    assert remove_stale_outputs(store) == [stale]
    assert recent.exists()


def test_quarantine_older_than_the_retention_is_pruned(drop_clip, camera_file, locations, landing):
    now = datetime(2026, 11, 23, tzinfo=UTC)
    drop_clip("upload-1.mp4")
    ingest_clip(landing, "upload-1.mp4", locations, now=now - timedelta(days=40))
    drop_clip("upload-2.mp4", frames=31)
    ingest_clip(landing, "upload-2.mp4", locations, now=now - timedelta(days=2))

    pruned = prune_quarantine(locations, keep_days=30, now=now)

    assert [name.split("-")[:2] for name in pruned] == [["upload", "1"]]
    assert len(list((locations.quarantine / "clips").glob("*.reason.json"))) == 1


def test_disk_use_says_what_each_location_holds_and_what_is_free(
    drop_clip, camera_file, locations, landing
):
    drop_clip("test-cam-01_20261116T080000.mp4")
    ingest_clip(landing, "test-cam-01_20261116T080000.mp4", locations)

    use = disk_use(locations)

    assert use["store"]["used_bytes"] == folder_bytes(locations.store) > 0
    assert use["store"]["free_bytes"] > 0
    assert use["warehouse"] == {
        "path": str(locations.warehouse),
        "used_bytes": 0,
        "free_bytes": None,  # not there yet
    }
