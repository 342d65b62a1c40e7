"""A few crops per two-wheeler in a lane: spread over its passage, each the best of its stretch."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.events.courier import courier_crop_box
from detectors.events.courier_crops import (
    MAX_CROP_HEIGHT_PX,
    KeptCrop,
    LaneCrops,
    TrackCrops,
    small_crop,
)


def tagged(t_s: float, score: float, tag: int) -> KeptCrop:
    """A one-pixel crop whose colour is ``tag``, so the test can tell which crops were kept."""
    return KeptCrop(t_s, score, np.full((1, 1, 3), tag, np.uint8))


def tags(crops: TrackCrops) -> list[int]:
    return [int(image[0, 0, 0]) for image in crops.images()]


def offer(crops: TrackCrops, crop: KeptCrop) -> None:
    if crops.wants(crop.t_s, crop.score):
        crops.keep(crop)


def test_each_stretch_keeps_its_biggest_box():
    crops = TrackCrops(first_s=0.0, cap=8, slot_s=0.25)
    for tag, (t_s, score) in enumerate([(0.0, 5), (0.1, 9), (0.2, 7), (0.3, 1), (0.4, 2)]):
        offer(crops, tagged(t_s, score, tag))

    assert tags(crops) == [1, 4]  # slot [0, 0.25): the 9; slot [0.25, 0.5): the 2


def test_a_long_passage_keeps_at_most_the_cap_spread_over_all_of_it():
    crops = TrackCrops(first_s=0.0, cap=8, slot_s=0.25)
    for i in range(40):  # 4 s at 10 fps, equal boxes: the first of each slot stays
        offer(crops, tagged(i / 10, 1.0, i))

    # 0.25 s slots overflow at 2.0 s; 0.5 s slots then hold the 4 s in 8
    assert tags(crops) == [0, 5, 10, 15, 20, 25, 30, 35]
    assert crops.slot_s == 0.5


def test_merged_slots_keep_the_better_crop_of_each_pair():
    crops = TrackCrops(first_s=0.0, cap=2, slot_s=1.0)
    for tag, (t_s, score) in enumerate([(0.5, 3), (1.5, 8), (2.5, 4)]):
        offer(crops, tagged(t_s, score, tag))

    # the third slot overflows the cap: [0, 2) keeps the 8 over the 3, [2, 4) the 4
    assert tags(crops) == [1, 2]
    assert len(crops.images()) <= crops.cap


def test_a_crop_is_wanted_only_where_it_beats_the_one_kept():
    crops = TrackCrops(first_s=0.0, cap=8, slot_s=0.25)
    crops.keep(tagged(0.0, 5.0, 0))

    assert not crops.wants(0.1, 4.0)
    assert crops.wants(0.1, 6.0)
    assert crops.wants(0.3, 0.1)  # an empty slot


def test_a_tall_crop_is_shrunk_and_a_small_one_copied():
    frame = np.zeros((1080, 1920, 3), np.uint8)
    near = (900.0, 500.0, 1000.0, 700.0)  # 100 x 200 px: its crop is 150 x 400

    shrunk = small_crop(frame, near)

    assert shrunk.shape == (MAX_CROP_HEIGHT_PX, round(150 * MAX_CROP_HEIGHT_PX / 400), 3)
    far = (100.0, 100.0, 120.0, 130.0)
    copied = small_crop(frame, far)
    x1, y1, x2, y2 = courier_crop_box(far, frame.shape)
    assert copied.shape == (y2 - y1, x2 - x1, 3)
    frame[:] = 255
    assert copied.max() == 0  # not a view into the frame, which the decoder reuses


@pytest.fixture
def lane_crops(make_camera) -> LaneCrops:
    return LaneCrops(make_camera().lanes, cap=8)  # lane nb: x 40-180; eb_bikes: x 460-630


def test_only_two_wheelers_with_wheels_in_a_lane_are_kept(lane_crops, make_detections):
    frame = np.full((480, 640, 3), 90, np.uint8)
    tracked = make_detections(
        [(80, 200, 120, 260), (500, 100, 540, 160), (80, 300, 110, 380), (300, 200, 340, 260)],
        ["motorcycle", "bicycle", "person", "motorcycle"],
        tracker_ids=[1, 2, 3, 4],
    )

    lane_crops.add(0.0, frame, tracked)

    assert len(lane_crops) == 2  # the motorcycle in nb, the bicycle in eb_bikes
    assert [c.shape for c in lane_crops.pop(1)] == [(120, 60, 3)]  # 40 x 60 box, rider above
    assert lane_crops.pop(3) == [] and lane_crops.pop(4) == []


def test_a_track_s_crops_are_given_up_once(lane_crops, make_detections):
    frame = np.full((480, 640, 3), 90, np.uint8)
    for i in range(30):
        tracked = make_detections([(80, 400 - 5 * i, 120, 460 - 5 * i)], ["motorcycle"], [1], [7])
        lane_crops.add(i / 10, frame, tracked)

    assert len(lane_crops.pop(7)) == 6  # 3 s in 0.5 s slots
    assert lane_crops.pop(7) == []
    assert len(lane_crops) == 0
