from datetime import datetime

import numpy as np
import pytest
import supervision as sv

from detectors.evidence.annotate import (
    BOX_COLOR,
    SIGNAL_COLORS,
    ZONE_COLORS,
    annotate_frame,
    clock_line,
    closeup,
    header_strip,
    place_line,
    rule_line,
    signal_chip_text,
)
from detectors.evidence.scene import build_scene
from detectors.signals.states import SignalState


def near(image: np.ndarray, color: sv.Color, tolerance: int = 40) -> np.ndarray:
    """Mask of the pixels within ``tolerance`` of ``color`` on every channel."""
    return (np.abs(image.astype(int) - np.array(color.as_bgr())) <= tolerance).all(axis=2)


@pytest.fixture
def scene(camera, make_violation):
    return build_scene(make_violation(), camera, datetime(2025, 3, 1, 8, 0))


def test_header_goes_above_the_unchanged_geometry(synthetic, scene) -> None:
    frame = synthetic.frame(30)

    image = annotate_frame(frame, scene, 30, 3.0)

    header = image.shape[0] - frame.shape[0]
    assert image.shape[1] == frame.shape[1]
    assert header > 0 and header % 2 == 0
    assert np.array_equal(image[header:][:40], frame[:40])  # nothing drawn over the sky


@pytest.mark.parametrize("frame_index", [18, 30, 43])  # on and between track points
def test_box_is_drawn_where_the_track_says(synthetic, scene, frame_index: int) -> None:
    frame = synthetic.frame(frame_index)

    image = annotate_frame(frame, scene, frame_index, frame_index / 10)

    below = near(image[image.shape[0] - frame.shape[0] :], BOX_COLOR)
    x1, y1, x2, y2 = (round(v) for v in synthetic.box(frame_index))
    assert below[y2, x1 + 3 : x2 - 3].all()  # bottom edge
    assert below[y1 + 3 : y2 - 3, x1].all()  # left edge
    assert below[y1 + 3 : y2 - 3, x2].all()  # right edge
    assert not below[y1 + 3 : y2 - 3, x1 + 5 : x2 - 5].any()  # the road user stays visible
    assert not below[y2 + 4 :].any() and not below[:, : x1 - 4].any()  # the label sits on top


def test_crosswalk_and_red_signal_are_shown(synthetic, scene) -> None:
    frame = synthetic.frame(30)

    image = annotate_frame(frame, scene, 30, 3.0)

    header = image.shape[0] - frame.shape[0]
    assert near(image[header:], ZONE_COLORS["crosswalk"])[150, 60:100].all()
    assert near(image[:header], SIGNAL_COLORS[SignalState.RED]).sum() > 100


def test_lane_shows_its_legal_direction_and_no_signal(synthetic, camera, make_violation) -> None:
    violation = make_violation(rule="wrong_way", zone_id="wb", signal_id=None, signal_state=None)
    frame = synthetic.frame(30)

    image = annotate_frame(frame, build_scene(violation, camera, None), 30, 3.0)

    header = image.shape[0] - frame.shape[0]
    lane_pixels = near(image[header:], ZONE_COLORS["lane"])
    assert lane_pixels[140:150, 120:200].any()  # the arrow through the lane's centre (160, 145)
    assert not near(image[:header], SIGNAL_COLORS[SignalState.RED]).any()


def test_only_the_clock_line_changes_from_frame_to_frame(scene) -> None:
    early = header_strip(320, scene, 10, 1.0)
    late = header_strip(320, scene, 50, 5.0)

    changed_rows = np.flatnonzero((early != late).any(axis=(1, 2)))
    assert early.shape == late.shape
    assert 0 < len(changed_rows) < early.shape[0] / 2
    third = early.shape[0] // 3
    assert changed_rows.min() >= third * 0.8 and changed_rows.max() <= third * 2.2


@pytest.mark.parametrize(
    ("crop_size", "expected"),
    [((50, 30), (300, 180)), ((120, 60), (360, 180)), ((400, 200), (400, 200))],
)
def test_closeup_is_upscaled_to_a_readable_height_within_limits(
    crop_size: tuple[int, int], expected: tuple[int, int]
) -> None:
    crop = np.zeros((*crop_size, 3), np.uint8)

    assert closeup(crop).shape[:2] == expected


def named(camera):
    """The test camera with display names for its crosswalk, lane and signal."""
    data = camera.model_dump()
    data["crosswalks"][0]["name"] = "北侧人行横道"
    data["lanes"][0]["name"] = "西行非机动车道"
    data["signals"][0]["name"] = "北侧行人灯"
    return type(camera).model_validate(data)


def test_captions_are_chinese_and_name_zones_and_signals_by_their_display_names(
    camera, make_violation
) -> None:
    scene = build_scene(make_violation(), named(camera), datetime(2025, 3, 1, 8, 0))
    assert place_line(scene) == "Đống Đa｜设备编号 test-cam-01｜Test junction, north approach"
    assert clock_line(scene, 30, 3.0) == (
        "2025-03-01 08:00:03.000 UTC+08:00｜视频第 3.00 秒，第 30 帧"
    )
    assert signal_chip_text(scene) == "北侧行人灯：红灯"
    assert rule_line(scene) == "行人闯红灯｜北侧人行横道｜#17 行人"
    for text in (rule_line(scene), signal_chip_text(scene)):
        assert "north" not in text and "ped_" not in text and "Pedestrian" not in text


def test_a_wrong_way_courier_is_captioned_with_its_platform_name(camera, make_violation) -> None:
    from detectors.events.violation import CourierAttribution

    violation = make_violation(
        rule="wrong_way",
        zone_id="wb",
        class_name="motorcycle",
        signal_id=None,
        signal_state=None,
        courier=CourierAttribution("meituan", 0.84),
    )
    scene = build_scene(violation, named(camera), None)
    assert rule_line(scene) == (
        "非机动车逆行｜西行非机动车道（箭头为规定方向）｜#17 电动车/摩托车｜外卖：美团外卖（0.84）"
    )
    assert signal_chip_text(scene) is None
    assert clock_line(scene, 30, 3.0).startswith("时间未知")


def test_unnamed_zones_and_signals_fall_back_to_their_kind_and_id(scene) -> None:
    assert rule_line(scene) == "行人闯红灯｜人行横道 north｜#17 行人"
    assert signal_chip_text(scene) == "信号灯 ped_north：红灯"
