from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from detectors.config.errors import InputError
from detectors.events.violation import TrackPoint
from detectors.evidence.scene import (
    box_at,
    build_scene,
    crop_box,
    folder_name,
    local_clip_start,
    plan_window,
    trace_until,
)
from detectors.frames.exact import FrameIndex, index_frames

TRACK = (
    TrackPoint(t_s=1.0, frame_index=10, xyxy=(0, 0, 10, 20)),
    TrackPoint(t_s=1.4, frame_index=14, xyxy=(40, 8, 50, 28)),
)


@pytest.mark.parametrize(
    ("frame_index", "expected"),
    [
        (10, (0, 0, 10, 20)),
        (11, (10, 2, 20, 22)),
        (13, (30, 6, 40, 26)),
        (14, (40, 8, 50, 28)),
        (9, None),
        (15, None),
    ],
)
def test_box_is_interpolated_between_track_points_and_absent_outside(
    frame_index: int, expected: tuple[float, ...] | None
) -> None:
    box = box_at(TRACK, frame_index)

    assert box == (pytest.approx(expected) if expected else None)


def test_a_one_point_track_has_its_box_on_that_frame_only() -> None:
    assert box_at(TRACK[:1], 10) == (0, 0, 10, 20)
    assert box_at(TRACK[:1], 11) is None


def test_trace_holds_the_feet_seen_so_far_and_the_current_one() -> None:
    assert trace_until(TRACK, 12).tolist() == [[5.0, 20.0], [25.0, 24.0]]
    assert trace_until(TRACK, 9).shape == (0, 2)


def test_window_spans_three_seconds_before_to_two_after_the_end(clip_path, make_violation) -> None:
    window = plan_window(
        make_violation(t_end_s=3.8, frame_index=35, t_s=3.5), index_frames(clip_path)
    )

    assert (window.clip_first, window.clip_last) == (5, 58)
    assert window.stills == {"before": 25, "at": 35, "after": 45}


def test_window_without_an_end_runs_three_seconds_and_is_clamped_to_the_clip(
    clip_path, make_violation
) -> None:
    window = plan_window(
        make_violation(t_end_s=None, frame_index=5, t_s=0.5), index_frames(clip_path)
    )

    assert (window.clip_first, window.clip_last) == (0, 35)
    assert window.stills == {"before": 0, "at": 5, "after": 15}
    # the track goes on to frame 57: decoded (its boxes are interpolated) but not put in the clip
    assert (window.decode_first, window.decode_last) == (0, 57)


def test_scene_finds_the_lane_and_its_legal_direction(camera, make_violation) -> None:
    violation = make_violation(rule="wrong_way", zone_id="wb", signal_id=None, signal_state=None)

    scene = build_scene(violation, camera, clip_start=None)

    assert scene.zone_kind == "lane"
    assert scene.direction == (-1.0, 0.0)
    assert scene.polygon.tolist() == [[0, 60], [320, 60], [320, 230], [0, 230]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"camera_id": "other-cam"}, "camera 'other-cam' but the camera config is 'test-cam-01'"),
        ({"zone_id": "south"}, "crosswalk 'south'.*its crosswalks: north"),
        ({"track": ()}, "no track points"),
    ],
)
def test_scene_refuses_a_violation_that_does_not_match_the_camera(
    camera, make_violation, changes: dict, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        build_scene(make_violation(**changes), camera, clip_start=None)


def test_naive_clip_start_is_local_to_the_camera_and_aware_is_converted() -> None:
    naive = local_clip_start(datetime(2025, 3, 1, 8, 0), "Asia/Shanghai")
    aware = local_clip_start(datetime(2025, 3, 1, 0, 0, tzinfo=UTC), "Asia/Shanghai")

    assert naive.isoformat() == "2025-03-01T08:00:00+08:00"
    assert aware.isoformat() == "2025-03-01T08:00:00+08:00"
    assert local_clip_start(None, "Asia/Shanghai") is None


def test_crop_is_padded_and_clamped_to_the_frame() -> None:
    frame = np.arange(100 * 200 * 3, dtype=np.uint32).reshape(100, 200, 3)

    crop = crop_box(frame, (10, 20, 30, 60), pad_ratio=0.5)
    edge = crop_box(frame, (190, 90, 200, 100), pad_ratio=0.5)

    assert crop.shape[:2] == (80, 40)
    assert np.array_equal(crop, frame[0:80, 0:40])
    assert edge.shape[:2] == (15, 15)
    with pytest.raises(InputError, match="outside the 200x100 frame"):
        crop_box(frame, (300, 300, 320, 340), pad_ratio=0.1)


def test_folder_name_is_the_event_id_as_one_safe_path_segment(make_violation) -> None:
    violation = make_violation(clip_id="3f9a0c")

    assert folder_name(violation.event_id) == "3f9a0c-pedestrian_red_light-north-17-30"
    assert folder_name("cam/../x:y") == "cam_.._x_y"


def test_a_long_stay_in_the_zone_shows_only_its_first_seconds(make_violation) -> None:
    ten_minutes = FrameIndex(Path("long.mp4"), 320, 240, tuple(range(6000)), Fraction(1, 10))

    window = plan_window(make_violation(t_end_s=600.0, frame_index=5, t_s=0.5), ten_minutes)

    # from 3 s before the event to 15 s into the stay plus the 2 s tail, not to minute ten
    assert (window.clip_first, window.clip_last) == (0, 175)
