"""Courier attribution reads each wrong-way road user's crops at its track points."""

from __future__ import annotations

from detectors.events.attribution import attribute_couriers
from detectors.events.courier import courier_crop_box
from detectors.events.violation import CourierAttribution, TrackPoint, Violation


def violation(rule: str, frames: range, box=(20.0, 20.0, 40.0, 44.0)) -> Violation:
    return Violation(
        rule=rule,
        camera_id="c",
        zone_id="z",
        track_id=frames.start,
        class_name="motorcycle",
        t_s=frames.start / 10,
        frame_index=frames.start,
        x=30.0,
        y=44.0,
        confidence=0.5,
        track=tuple(TrackPoint(i / 10, i, box) for i in frames),
    )


def test_only_wrong_way_events_are_attributed_from_their_own_frames(make_clip, frame_level):
    clip = make_clip(frames=30, size=(64, 48))
    seen: list[list[int]] = []

    def attribute(crops):
        seen.append([int(c.mean()) for c in crops])
        return CourierAttribution("meituan", 0.8)

    events = [violation("wrong_way", range(5, 9)), violation("pedestrian_red_light", range(3, 6))]
    attributed = attribute_couriers(clip, events, attribute)

    assert attributed[0].courier == CourierAttribution("meituan", 0.8)
    assert attributed[1].courier is None
    # frame i of the test clip is flat grey at frame_level(i): the crops came from frames 5..8
    assert len(seen) == 1
    assert all(
        abs(level - frame_level(i)) <= 3 for level, i in zip(seen[0], range(5, 9), strict=True)
    )


def test_crops_hold_the_rider_above_the_vehicle(make_clip):
    clip = make_clip(frames=10, size=(64, 48))
    shapes = []
    attribute_couriers(
        clip,
        [violation("wrong_way", range(2, 4))],
        lambda crops: shapes.extend(c.shape for c in crops) or CourierAttribution(None, 0.0),
    )

    x1, y1, x2, y2 = courier_crop_box((20.0, 20.0, 40.0, 44.0), (48, 64))
    assert shapes == [(y2 - y1, x2 - x1, 3)] * 2
    assert y1 < 20  # reaches above the vehicle box


def test_no_wrong_way_event_reads_nothing(tmp_path):
    missing = tmp_path / "not-read.mp4"

    assert attribute_couriers(missing, [violation("pedestrian_red_light", range(1, 3))], None)
