"""The tracker on synthetic detections: a pedestrian walking right, and a rider on a motorcycle
riding right with the person box on the vehicle box (10 analysed frames per second)."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.tracks.history import ON_TWO_WHEELER, mark_riders
from detectors.tracks.tracker import (
    CONFIRM_IOU,
    FASTEST_BOX_LENGTHS_PER_S,
    TWO_WHEELER_SURE_CONFIDENCE,
    Tracker,
    match_buffer,
)

FPS = 10.0
MEMORY_S = 2.0  # 20 frames


def pedestrian(frame: int) -> tuple[float, float, float, float]:
    return (100 + 5 * frame, 200, 130 + 5 * frame, 280)


def rider(frame: int) -> tuple[float, float, float, float]:
    return (300 + 8 * frame, 150, 340 + 8 * frame, 230)


def motorcycle(frame: int) -> tuple[float, float, float, float]:
    return (295 + 8 * frame, 190, 345 + 8 * frame, 260)


ROAD_USERS = {
    "pedestrian": (pedestrian, "person"),
    "rider": (rider, "person"),
    "motorcycle": (motorcycle, "motorcycle"),
}


@pytest.fixture
def tracker() -> Tracker:
    return Tracker(FPS, memory_s=MEMORY_S)


def run(tracker, make_detections, frames: int, absent: dict[str, range] | None = None):
    """Feed ``frames`` frames; returns per frame {road user: tracker id} for those tracked."""
    absent = absent or {}
    seen = []
    for frame in range(frames):
        present = [name for name in ROAD_USERS if frame not in absent.get(name, ())]
        boxes = [ROAD_USERS[name][0](frame) for name in present]
        detections = make_detections(
            boxes, [ROAD_USERS[name][1] for name in present], confidence=0.85
        )
        tracked = tracker.update(mark_riders(detections))
        by_box = {tuple(box): name for name, box in zip(present, boxes, strict=True)}
        pairs = zip(tracked.xyxy.tolist(), tracked.tracker_id, strict=True)
        seen.append({by_box[tuple(box)]: int(track_id) for box, track_id in pairs})
    return seen


def test_ids_are_stable_and_distinct_over_frames(tracker, make_detections):
    seen = run(tracker, make_detections, frames=10)

    assert all(set(frame) == set(ROAD_USERS) for frame in seen)
    for name in ROAD_USERS:
        assert len({frame[name] for frame in seen}) == 1, name
    assert len(set(seen[0].values())) == 3


def test_a_person_and_a_motorcycle_never_share_an_id(tracker, make_detections):
    person_ids, vehicle_ids = set(), set()
    for frame in range(10):
        detections = make_detections([rider(frame), motorcycle(frame)], ["person", "motorcycle"])
        tracked = tracker.update(detections)
        person_ids |= set(tracked.tracker_id[tracked.class_id == 0].tolist())
        vehicle_ids |= set(tracked.tracker_id[tracked.class_id == 3].tolist())

    assert person_ids and vehicle_ids
    assert not person_ids & vehicle_ids


def test_tracked_boxes_are_the_detectors_own(tracker, make_detections):
    for frame in range(6):
        boxes = [pedestrian(frame), rider(frame), motorcycle(frame)]
        tracked = tracker.update(make_detections(boxes, ["person", "person", "motorcycle"]))

        assert sorted(map(tuple, tracked.xyxy.tolist())) == sorted(boxes)


def test_rider_marks_travel_with_their_boxes(tracker, make_detections):
    for frame in range(5):
        detections = make_detections(
            [motorcycle(frame), pedestrian(frame), rider(frame)], ["motorcycle", "person", "person"]
        )
        tracked = tracker.update(mark_riders(detections))

        riding = {
            tuple(box): bool(flag)
            for box, flag in zip(tracked.xyxy.tolist(), tracked.data[ON_TWO_WHEELER], strict=True)
        }
        assert riding == {rider(frame): True, pedestrian(frame): False, motorcycle(frame): False}


@pytest.mark.parametrize(
    ("gap_frames", "same_id"),
    [(1, True), (5, True), (15, True), (30, False)],  # memory: 20 frames
)
def test_a_box_missing_for_less_than_the_memory_keeps_its_id(
    tracker, make_detections, gap_frames, same_id
):
    absent = {"pedestrian": range(5, 5 + gap_frames)}
    seen = run(tracker, make_detections, frames=5 + gap_frames + 4, absent=absent)

    before = seen[4]["pedestrian"]
    after = {frame["pedestrian"] for frame in seen[5 + gap_frames + 1 :]}
    assert all("pedestrian" not in frame for frame in seen[5 : 5 + gap_frames])
    assert (after == {before}) is same_id
    assert len({frame["rider"] for frame in seen}) == 1  # the others are unaffected


def test_a_rider_hidden_by_a_passing_bus_keeps_its_track_by_default(make_detections):
    """Waiting at a stop line, hidden for 3.5 s, seen again moving off: one road user."""
    tracker = Tracker(FPS)
    waiting = (500, 300, 540, 360)
    ids = []
    for frame in range(80):
        hidden = 10 <= frame < 45
        moved = max(0, frame - 45) * 4
        box = (waiting[0], waiting[1] - moved, waiting[2], waiting[3] - moved)
        boxes = [] if hidden else [box]
        tracked = tracker.update(make_detections(boxes, ["motorcycle"] * len(boxes)))
        ids += tracked.tracker_id.tolist()

    assert len(ids) >= 40
    assert set(ids) == {1}


def test_a_frame_without_detections_is_empty_with_an_id_column(tracker, make_detections):
    tracked = tracker.update(make_detections([], []))

    assert len(tracked) == 0
    assert tracked.tracker_id is not None
    assert np.asarray(tracked.tracker_id).shape == (0,)


def test_ids_are_never_reused_for_new_road_users(tracker, make_detections):
    ids = []
    for frame in range(84):  # three pedestrians on the same path, 4 s apart: beyond the memory
        walking = frame % 40 < 4
        boxes = [pedestrian(frame % 40)] if walking else []
        tracked = tracker.update(make_detections(boxes, ["person"] * len(boxes)))
        ids += tracked.tracker_id.tolist()

    # A new track is confirmed on its second frame (except on the tracker's very first frame).
    assert ids == [1] * 4 + [2] * 3 + [3] * 3


def test_no_match_buffer_at_the_default_rate_and_a_growing_one_below_it():
    assert match_buffer(10.0) == 0.0
    assert match_buffer(25.0) == 0.0
    assert match_buffer(5.0) == pytest.approx(0.4286, abs=1e-4)  # (1 * 1.3 / 0.7 - 1) / 2
    assert match_buffer(4.0) > match_buffer(5.0) > match_buffer(6.0) > 0.0


def test_the_buffer_keeps_the_fastest_road_user_at_the_confirming_overlap():
    fps = 5.0
    length = 40.0
    step = FASTEST_BOX_LENGTHS_PER_S / fps * length
    grown = length * (1 + 2 * match_buffer(fps))
    overlap_1d = (grown - step) / (grown + step)
    assert overlap_1d == pytest.approx(CONFIRM_IOU)


def test_a_faint_two_wheeler_is_tracked_and_a_faint_person_is_not(tracker, make_detections):
    """Riders half hidden in a dense group score just under ByteTrack's 0.25 for seconds on end:
    a two-wheeler box that faint still starts a track; a person box does not (a walker that
    faint is too often a ghost)."""
    faint = TWO_WHEELER_SURE_CONFIDENCE + 0.01
    assert faint < 0.25
    tracked = [
        tracker.update(
            make_detections([motorcycle(frame), pedestrian(frame)], ["motorcycle", "person"], faint)
        )
        for frame in range(5)
    ]

    assert all(frame.class_id.tolist() == [3] for frame in tracked[1:])
    assert len({int(frame.tracker_id[0]) for frame in tracked[1:]}) == 1


def test_a_two_wheeler_fainter_still_starts_no_track(tracker, make_detections):
    faint = TWO_WHEELER_SURE_CONFIDENCE - 0.05
    tracked = [
        tracker.update(make_detections([motorcycle(frame)], ["motorcycle"], faint))
        for frame in range(5)
    ]

    assert all(len(frame) == 0 for frame in tracked)


def motorcycle_coming_fast(frame: int) -> tuple[float, float, float, float]:
    """40 px wide, 36 px further every frame: at 5 fps, 4.5 box lengths per second."""
    return (100 + 36 * frame, 200, 140 + 36 * frame, 240)


@pytest.mark.parametrize("fps", [5.0, 6.0])
def test_a_fast_two_wheeler_keeps_one_track_at_a_low_rate(fps, make_detections):
    tracker = Tracker(fps, memory_s=MEMORY_S)
    ids = []
    for frame in range(8):
        detections = make_detections([motorcycle_coming_fast(frame)], ["motorcycle"], 0.85)
        ids += tracker.update(detections).tracker_id.tolist()
    # Plain overlap of consecutive boxes is 4 / 76 = 0.05, too little to confirm a track at all.
    assert len(ids) >= 6
    assert len(set(ids)) == 1


def test_a_tracker_warmed_up_on_carried_boxes_keeps_their_ids_and_counts_on(make_detections):
    """The previous clip's last second of boxes, replayed, rebuilds its tracks under their old
    ids; road users first seen afterwards get ids after the ones the previous clip used."""
    carried = []
    for frame in range(10):
        detections = make_detections(
            [pedestrian(frame), motorcycle(frame)], ["person", "motorcycle"]
        )
        detections.data["carried_id"] = np.array([7, 12])
        carried.append(detections)
    tracker = Tracker(FPS, memory_s=MEMORY_S, first_id=20)
    tracker.warm_up(carried)

    newcomer = (500, 300, 530, 380)
    seen = [
        tracker.update(
            make_detections(
                [pedestrian(frame), motorcycle(frame), newcomer], ["person", "motorcycle", "person"]
            )
        )
        for frame in range(10, 14)
    ]

    assert sorted(seen[-1].tracker_id.tolist()) == [7, 12, 20]
    assert tracker.next_id == 21
