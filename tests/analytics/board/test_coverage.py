"""Week coverage: analysed clips per camera (board_week_coverage) and the week's summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics.board.coverage import coverage_from

CAMERAS = [
    {"camera_id": "c1", "intersection_id": "A", "district": "D1"},
    {"camera_id": "c2", "intersection_id": "A", "district": "D1"},
    {"camera_id": "c3", "intersection_id": "B", "district": "D2"},
]


def clip(camera_id: str, started_at: datetime, **columns) -> dict:
    duration_s = columns.get("duration_s", 3600.0)
    view_changed_s = columns.get("view_changed_s")
    return {
        "camera_id": camera_id,
        "started_at": started_at,
        "duration_s": duration_s,
        "covered_s": duration_s if view_changed_s is None else view_changed_s,
        "is_partial": columns.get("is_partial", False),
        "is_view_changed": view_changed_s is not None,
        "engine_version": columns.get("engine_version", "traffic-civility-engine/0.1.0"),
    }


def test_cameras_without_clips_count_as_uncovered(board_con, week_at):
    clips = [
        clip("c1", week_at(0)),
        clip("c1", week_at(0, 30), is_partial=True, duration_s=900.0),
        clip("c2", week_at(0), engine_version="synthetic"),
        clip("c3", week_at(-1)),  # the week before: c3 sent nothing this week
        clip("c3", None),  # start unknown: in no week
    ]
    coverage = coverage_from(board_con(clips=clips, cameras=CAMERAS), "2026-W47")
    assert (coverage.count_cameras, coverage.count_cameras_covered) == (3, 2)
    assert coverage.fraction_covered == pytest.approx(2 / 3)
    assert (coverage.count_clips, coverage.count_synthetic_clips) == (3, 1)
    assert coverage.footage_h == pytest.approx(2.25)
    by_camera = {camera.camera_id: camera for camera in coverage.cameras}
    assert (by_camera["c1"].count_clips, by_camera["c1"].count_partial_clips) == (2, 1)
    assert by_camera["c3"].count_clips == 0


def test_footage_after_a_view_change_does_not_cover_its_camera(board_con, week_at):
    clips = [
        clip("c1", week_at(0), view_changed_s=0.0),  # the view changed at once: nothing covered
        # two hours filmed, the first before the change: the minimum hour is covered
        clip("c2", week_at(0), duration_s=7200.0, view_changed_s=3600.0),
        clip("c3", week_at(0), duration_s=7200.0, view_changed_s=1800.0),  # half an hour only
    ]
    coverage = coverage_from(board_con(clips=clips, cameras=CAMERAS), "2026-W47")
    by_camera = {camera.camera_id: camera for camera in coverage.cameras}
    assert [by_camera[c].is_covered for c in ("c1", "c2", "c3")] == [False, True, False]
    assert coverage.footage_h == pytest.approx(1.5)


def test_a_clip_starting_sunday_night_local_time_covers_that_week(board_con):
    # 2026-11-22 23:00 in Asia/Shanghai (15:00 UTC) is the last hour of ISO week 47 there.
    late_sunday = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    coverage = coverage_from(
        board_con(clips=[clip("c1", late_sunday)], cameras=CAMERAS), "2026-W47"
    )
    assert coverage.count_cameras_covered == 1


def test_a_week_with_no_clips_at_all_has_zero_coverage(board_con, week_at):
    coverage = coverage_from(board_con(clips=[clip("c1", week_at(0))], cameras=CAMERAS), "2026-W50")
    assert (coverage.count_cameras, coverage.fraction_covered) == (0, 0.0)


def test_a_camera_silent_beyond_the_baseline_weeks_is_no_longer_expected(board_con, week_at):
    clips = [clip("c1", week_at(0)), clip("c2", week_at(-4)), clip("c3", week_at(-5))]
    coverage = coverage_from(board_con(clips=clips, cameras=CAMERAS), "2026-W47")
    assert [camera.camera_id for camera in coverage.cameras] == ["c1", "c2"]
    assert coverage.fraction_covered == pytest.approx(0.5)


def test_a_camera_counts_as_covered_only_with_the_minimum_of_analysed_hours(board_con, week_at):
    clips = [clip("c1", week_at(0), duration_s=24.0), clip("c2", week_at(0), duration_s=5400.0)]
    con = board_con(clips=clips, cameras=CAMERAS)
    covered = {
        camera.camera_id: camera.is_covered for camera in coverage_from(con, "2026-W47").cameras
    }
    assert covered == {"c1": False, "c2": True}
    con.execute("set variable board_min_camera_hours = 2.0")
    assert coverage_from(con, "2026-W47").count_cameras_covered == 0
