"""A week's readiness for its board: complete when its clips are analysed, due at the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from orchestration.readiness import decide, publish_deadline, week_readiness, week_window
from orchestration.store import ClipRecord, ClipStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
W47_START = datetime(2026, 11, 16, tzinfo=SHANGHAI)  # Monday of 2026-W47


def test_a_week_runs_monday_to_monday_in_the_board_timezone():
    start, end = week_window("2026-W47", "Asia/Shanghai")

    assert start == W47_START
    assert end == datetime(2026, 11, 23, tzinfo=SHANGHAI)
    assert start.astimezone(UTC) == datetime(2026, 11, 15, 16, 0, tzinfo=UTC)


def test_the_deadline_counts_from_the_end_of_the_week():
    deadline = publish_deadline("2026-W47", "Asia/Shanghai", 32)

    assert deadline == datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)  # Tuesday 08:00


@pytest.mark.parametrize(
    ("count_pending", "now_vs_deadline", "is_complete", "is_due"),
    [
        (0, timedelta(hours=-30), True, True),
        (2, timedelta(seconds=-1), False, False),
        (2, timedelta(0), False, True),
    ],
)
def test_a_week_is_due_when_complete_or_at_its_deadline(
    count_pending, now_vs_deadline, is_complete, is_due
):
    deadline = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)

    readiness = decide("2026-W47", count_pending, deadline, deadline + now_vs_deadline)

    assert (readiness.is_complete, readiness.is_due) == (is_complete, is_due)
    assert readiness.as_dict()["deadline_at"] == "2026-11-24T00:00:00+00:00"


def test_only_unanalysed_clips_of_the_week_hold_it_back(tmp_path):
    store = ClipStore(tmp_path)
    starts = {
        "a" * 16: W47_START + timedelta(days=6, hours=23),  # Sunday 23:00 in Shanghai
        "b" * 16: W47_START - timedelta(minutes=30),  # the week before, ends before W47
        "c" * 16: W47_START + timedelta(days=1),
    }
    for clip_id, start in starts.items():
        write_record(store, clip_id, start)
    store.mark_analysed("c" * 16, {})
    now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)

    readiness = week_readiness(store, "2026-W47", "Asia/Shanghai", 32, now)

    assert (readiness.count_pending, readiness.is_complete, readiness.is_due) == (1, False, False)


def write_record(store: ClipStore, clip_id: str, start: datetime) -> None:
    record = ClipRecord(
        clip_id=clip_id,
        sha256=clip_id * 4,
        file_name="x.mp4",
        source="x.mp4",
        camera_id="cam",
        started_at=start,
        duration_s=600.0,
        fps=10.0,
        width_px=640,
        height_px=480,
        registered_at=start,
    )
    store.clip_dir(clip_id).mkdir(parents=True)
    (store.clip_dir(clip_id) / "record.json").write_text(record.model_dump_json(), "utf-8")
