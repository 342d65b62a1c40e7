"""Each road user attributed once from the crops kept in its lane; wrong-way events from the votes
of every track merged into them."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from detectors.config.platforms import load_platform_profiles
from detectors.events.attribution import CourierBook
from detectors.events.courier import CourierAttributor
from detectors.events.violation import CourierAttribution, TrackPoint, Violation

MEITUAN_YELLOW = (0, 195, 255)  # BGR
BIKE = (80.0, 250.0, 140.0, 350.0)  # 60 x 100 px, wheels in the test camera's lane nb


def frame(courier: bool) -> np.ndarray:
    """A dark two-wheeler and its rider on grey road, with a yellow rear box if ``courier``."""
    image = np.full((480, 640, 3), 110, np.uint8)
    x1, y1, x2, y2 = (int(v) for v in BIKE)
    cv2.rectangle(image, (x1 + 15, y1), (x2 - 15, y2), (40, 40, 45), -1)
    cv2.rectangle(image, (x1 + 10, y1 - 55), (x2 - 10, y1 + 20), (150, 140, 135), -1)
    if courier:
        cv2.rectangle(image, (x1 + 13, y1 - 12), (x2 - 13, y1 + 23), MEITUAN_YELLOW, -1)
    return image


@pytest.fixture
def book(make_camera) -> CourierBook:
    return CourierBook(make_camera().lanes, CourierAttributor(load_platform_profiles(region="CN")))


def ride(book: CourierBook, make_detections, track_id: int, liveries: list[bool]) -> None:
    """One frame every 0.3 s (one crop slot each) of the two-wheeler, showing the box or not."""
    for i, courier in enumerate(liveries):
        tracked = make_detections([BIKE], ["motorcycle"], 0.9, [track_id])
        book.add(i * 0.3, frame(courier), tracked)


def wrong_way(track_id: int, merged: list[int] | None = None) -> Violation:
    return Violation(
        rule="wrong_way",
        camera_id="test-cam-01",
        zone_id="nb",
        track_id=track_id,
        class_name="motorcycle",
        t_s=0.0,
        frame_index=0,
        x=110.0,
        y=350.0,
        confidence=0.9,
        track=(TrackPoint(0.0, 0, BIKE),),
        details={"merged_track_ids": merged} if merged else {},
    )


def test_a_rider_with_a_yellow_box_is_meituan_and_its_crops_are_dropped(book, make_detections):
    ride(book, make_detections, 1, [True, True, True])

    courier = book.attribute_track(1, went_wrong_way=False)

    assert courier.platform == "meituan" and courier.confidence >= 0.4
    assert len(book.crops) == 0


def test_a_road_user_never_in_a_lane_is_no_courier(book):
    assert book.attribute_track(5, went_wrong_way=False) == CourierAttribution(None, 0.0)


def test_a_wrong_way_event_pools_the_votes_of_its_merged_tracks(book, make_detections):
    ride(book, make_detections, 1, [True, False, False])  # 1 of 3 crops: too few alone
    ride(book, make_detections, 2, [True, True])
    first = book.attribute_track(1, went_wrong_way=True)
    second = book.attribute_track(2, went_wrong_way=True)

    single, merged = book.attribute_events([wrong_way(1), wrong_way(1, merged=[2])])

    assert first.platform is None and single.courier == first
    assert second.platform == "meituan"  # confidence = the box's colour strength, 2 of 2 agreeing
    assert merged.courier.platform == "meituan"  # 3 of 5 crops show the box
    assert merged.courier.confidence == pytest.approx(3 / 5 * second.confidence, abs=0.001)


def test_only_wrong_way_events_are_attributed(book, make_detections):
    ride(book, make_detections, 3, [True, True])
    book.attribute_track(3, went_wrong_way=False)  # its votes end with its track
    red_light = replace(wrong_way(3), rule="pedestrian_red_light")

    crossed, rode = book.attribute_events([red_light, wrong_way(3)])

    assert crossed.courier is None
    assert rode.courier == CourierAttribution(None, 0.0)
