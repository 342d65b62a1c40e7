"""Track histories: who rides, how fast feet move, and when a track is handed to the rules."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.signals.states import SignalState
from detectors.tracks.history import (
    ON_TWO_WHEELER,
    WALKER_HEIGHT,
    Observation,
    TrackBook,
    mark_riders,
    riding_mask,
)

BIKE = (100.0, 200.0, 160.0, 300.0)  # 60 x 100 px; 25 % of its height below it is 325

# person box -> whether it rides the bike above
PEOPLE_NEAR_A_BIKE = {
    "rider_sitting_on_it": ((105, 150, 155, 280), True),
    "rider_with_feet_hanging_below_the_wheels": ((105, 170, 155, 320), True),
    "rider_a_little_off_centre": ((150, 150, 170, 280), True),
    "pedestrian_standing_beside_it": ((170, 190, 200, 300), False),
    "pedestrian_walking_in_front_of_it": ((105, 160, 155, 340), False),  # feet far below wheels
    "person_far_below_it": ((105, 340, 155, 460), False),
    "person_far_behind_it_seen_above": ((105, 60, 155, 210), False),
}


@pytest.mark.parametrize("vehicle", ["motorcycle", "bicycle"])
@pytest.mark.parametrize(
    ("person", "rides"), PEOPLE_NEAR_A_BIKE.values(), ids=PEOPLE_NEAR_A_BIKE.keys()
)
def test_riding_mask_person_on_a_two_wheeler(make_detections, vehicle, person, rides):
    detections = make_detections([person, BIKE], ["person", vehicle])

    assert riding_mask(detections).tolist() == [rides, False]


def test_riding_mask_pairs_each_person_with_any_two_wheeler(make_detections):
    other_bike = (400, 200, 460, 300)
    detections = make_detections(
        [BIKE, (105, 150, 155, 280), (170, 190, 200, 300), other_bike, (405, 150, 455, 280)],
        ["motorcycle", "person", "person", "bicycle", "person"],
    )

    assert riding_mask(detections).tolist() == [False, True, False, False, True]


@pytest.mark.parametrize(
    ("boxes", "classes"),
    [([], []), ([(105, 150, 155, 280)], ["person"]), ([BIKE], ["motorcycle"])],
    ids=["empty", "person_alone", "bike_alone"],
)
def test_riding_mask_needs_both_a_person_and_a_two_wheeler(make_detections, boxes, classes):
    assert not riding_mask(make_detections(boxes, classes)).any()


def test_mark_riders_records_the_riding_mask_in_the_detections_data(make_detections):
    detections = make_detections(
        [BIKE, (105, 150, 155, 280), (170, 190, 200, 300)], ["motorcycle", "person", "person"]
    )

    marked = mark_riders(detections)

    assert marked.data[ON_TWO_WHEELER].tolist() == [False, True, False]
    assert marked[np.array([False, True, True])].data[ON_TWO_WHEELER].tolist() == [True, False]


def test_observation_foot_is_the_box_bottom_centre():
    observation = Observation(0.0, 0, (10.0, 20.0, 30.0, 80.0), 0.9, 0, False, {})

    assert observation.foot == (20.0, 80.0)
    assert observation.height == 60.0


WALK = [(100.0 + 6 * i, 300.0) for i in range(31)]  # 60 px per second: 1 height per second


@pytest.mark.parametrize(
    ("riding_share", "speed_px_per_frame", "is_rider"),
    [
        (0.0, 6, False),
        (0.29, 6, False),
        (0.3, 6, True),
        (1.0, 6, True),
        (0.0, 14, False),
        (0.0, 16, True),
    ],  # 2.33 and 2.67 body heights per second
)
def test_a_person_is_a_rider_when_often_on_a_two_wheeler_or_too_fast_for_feet(
    make_track, riding_share, speed_px_per_frame, is_rider
):
    n = 100
    # Spread over the track: never on the vehicle in most frames of a 2 s stretch.
    riding = [int((i + 1) * riding_share) > int(i * riding_share) for i in range(n)]
    track = make_track([(100.0 + speed_px_per_frame * i, 300.0) for i in range(n)], riding=riding)

    assert track.is_rider is is_rider
    assert track.is_pedestrian is not is_rider


@pytest.mark.parametrize(
    ("riding_frames", "is_rider"),
    [
        (15, True),  # rode up for 1.5 s, then queued a minute with the vehicle under it hidden
        (8, False),  # a walker behind a parked bike for 0.8 s of a 2 s stretch: not most of it
    ],
)
def test_a_person_on_a_two_wheeler_for_most_of_a_2_s_stretch_is_a_rider(
    make_track, riding_frames, is_rider
):
    n = 600  # 60 s, slowly (0.1 body heights per second)
    riding = [20 <= i < 20 + riding_frames for i in range(n)]
    track = make_track([(100.0, 400.0 - 0.6 * i) for i in range(n)], riding=riding)

    assert track.is_rider is is_rider


@pytest.mark.parametrize("cls", ["motorcycle", "bicycle"])
def test_two_wheelers_are_neither_riders_nor_pedestrians(make_track, cls):
    track = make_track(WALK, cls=cls, riding=True)

    assert track.is_two_wheeler
    assert not track.is_rider
    assert not track.is_pedestrian


def test_class_is_the_most_frequent_of_the_observations(make_track):
    person = make_track(WALK[:20], cls="person")
    misread = make_track(WALK[20:], cls="motorcycle", t0=2.0)
    person.observations += misread.observations  # 20 person boxes, 11 read as a motorcycle

    assert person.class_name == "person"
    assert not person.is_two_wheeler


@pytest.mark.parametrize(
    ("points", "fps", "height", "speed"),
    [
        (WALK, 10.0, 60.0, 1.0),
        ([(100.0 + 12 * i, 300.0) for i in range(31)], 10.0, 60.0, 2.0),
        ([(100.0 + 12 * i, 300.0) for i in range(31)], 5.0, 60.0, 1.0),
        ([(100.0 + 2.4 * i, 300.0) for i in range(76)], 25.0, 60.0, 1.0),
        ([(100.0 + 3 * i, 300.0 + 4 * i) for i in range(31)], 10.0, 25.0, 2.0),  # diagonal
        ([(300.0, 300.0)] * 31, 10.0, 60.0, 0.0),
        (WALK[:5], 10.0, 60.0, 0.0),  # 0.4 s: too short to tell
    ],
)
def test_speed_in_body_heights_per_second(make_track, points, fps, height, speed):
    track = make_track(points, fps=fps, height=height)

    assert track.speed_heights_per_s() == pytest.approx(speed, abs=1e-6)


def test_speed_is_robust_to_a_one_frame_box_jump(make_track):
    points = list(WALK)
    points[15] = (points[15][0] + 150, points[15][1] + 80)

    assert make_track(points).speed_heights_per_s() == pytest.approx(1.0)


def test_mean_confidence(make_track):
    track = make_track(WALK[:4], confidence=[0.2, 0.4, 0.6, 0.8])

    assert track.mean_confidence() == pytest.approx(0.5)


# TrackBook: observations per track, and hand-over once a track is forgotten.

SIGNALS = {"ped_south": SignalState.RED}


def test_trackbook_collects_observations_per_track(make_detections):
    book = TrackBook(forget_after_s=1.0)
    for frame, t_s in enumerate((0.0, 0.1, 0.2)):
        detections = make_detections(
            [(105, 150, 155, 280), BIKE, (300, 200, 330, 300)],
            ["person", "motorcycle", "person"],
            confidence=[0.9, 0.8, 0.7],
            tracker_ids=[5, 6, 7],
        )
        book.add(frame, t_s, mark_riders(detections), SIGNALS)

    tracks = {t.track_id: t for t in book.pop_all()}

    assert sorted(tracks) == [5, 6, 7]
    assert [o.t_s for o in tracks[5].observations] == [0.0, 0.1, 0.2]
    assert [o.frame_index for o in tracks[6].observations] == [0, 1, 2]
    first = tracks[5].observations[0]
    assert first.xyxy == (105.0, 150.0, 155.0, 280.0)
    assert first.confidence == pytest.approx(0.9)
    assert first.signals == SIGNALS
    assert tracks[5].is_rider and tracks[7].is_pedestrian
    assert [o.on_two_wheeler for o in tracks[7].observations] == [False] * 3
    assert len(book) == 0


def test_trackbook_hands_over_a_track_only_once_unseen_longer_than_it_remembers(make_detections):
    book = TrackBook(forget_after_s=1.0)
    book.add(
        0,
        0.0,
        make_detections([BIKE, (300, 200, 330, 300)], ["motorcycle", "person"], tracker_ids=[1, 2]),
        SIGNALS,
    )
    book.add(5, 0.5, make_detections([(300, 200, 330, 300)], ["person"], tracker_ids=[2]), SIGNALS)

    assert book.pop_finished(0.9) == []
    assert book.pop_finished(1.0) == []  # unseen for exactly the memory: may still come back
    assert [t.track_id for t in book.pop_finished(1.01)] == [1]
    assert book.pop_finished(1.01) == []  # handed over once
    assert len(book) == 1
    assert [t.track_id for t in book.pop_finished(1.6)] == [2]
    assert len(book) == 0


def test_trackbook_keeps_a_track_seen_again_within_its_memory(make_detections):
    book = TrackBook(forget_after_s=1.0)
    person = make_detections([(300, 200, 330, 300)], ["person"], tracker_ids=[3])
    book.add(0, 0.0, person, SIGNALS)
    book.add(9, 0.9, person, SIGNALS)

    assert book.pop_finished(1.5) == []
    [track] = book.pop_finished(2.0)
    assert [o.t_s for o in track.observations] == [0.0, 0.9]


def test_trackbook_without_rider_marks_records_nobody_on_a_two_wheeler(make_detections):
    book = TrackBook(forget_after_s=1.0)
    detections = make_detections(
        [(105, 150, 155, 280), BIKE], ["person", "motorcycle"], tracker_ids=[1, 2]
    )
    book.add(0, 0.0, detections, SIGNALS)

    assert [t.observations[0].on_two_wheeler for t in book.pop_all()] == [False, False]


def test_trackbook_accepts_a_frame_without_detections(make_detections):
    book = TrackBook(forget_after_s=1.0)
    book.add(0, 0.0, make_detections([], [], tracker_ids=np.zeros(0, dtype=int)), SIGNALS)

    assert len(book) == 0
    assert book.pop_finished(10.0) == []


@pytest.mark.parametrize("continued", [False, True])
def test_trackbook_marks_the_tracks_the_clip_cuts(make_detections, continued):
    """In view at the first frame of a clip analysed alone (5): the clip bounds what was seen of
    it. A clip carrying on from the previous one cuts nobody at its start."""
    book = TrackBook(forget_after_s=1.0)
    if continued:
        book.resume([])
    for frame, ids in enumerate(([5], [5, 6], [5, 6, 7], [5, 6])):
        boxes = [(100 + 50 * i, 100, 140 + 50 * i, 200) for i in range(len(ids))]
        detections = make_detections(boxes, ["person"] * len(ids), tracker_ids=ids)
        book.add(frame, frame / 10, mark_riders(detections), SIGNALS)

    tracks = {t.track_id: t for t in book.pop_all()}

    assert {i for i, t in tracks.items() if t.cut_at_start} == (set() if continued else {5})


WALKED_BIKE = [100, 140, 150, 200]  # 50 px tall, 50 px wide, wheels on row 200


@pytest.mark.parametrize(
    ("person", "beside"),
    [
        ([152, 115, 182, 200], True),  # to its right, feet on its ground line
        ([70, 118, 98, 202], True),  # to its left
        ([110, 100, 140, 185], False),  # over it: its rider
        ([152, 60, 182, 145], False),  # beside it in the picture, but standing further away
        ([230, 115, 260, 200], False),  # on the same row, two body widths off
    ],
)
def test_a_person_walking_beside_a_two_wheeler_is_told_from_its_rider(
    make_detections, person, beside
):
    detections = mark_riders(make_detections([WALKED_BIKE, person], ["bicycle", "person"]))

    assert detections.data[WALKER_HEIGHT][0] == (person[3] - person[1] if beside else 0.0)
    assert detections.data[WALKER_HEIGHT][1] == 0.0  # persons carry no walker
