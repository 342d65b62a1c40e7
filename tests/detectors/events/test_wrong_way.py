"""wrong_way on synthetic two-wheelers in the test camera's lanes.

Lane ``nb`` (x 40-180, y 20-470) is legal up the image; its two-wheelers here are 50 px tall, so
the rule needs 75 px (1.5 heights) against the direction over at least 0.6 s. Lane ``eb_bikes``
(x 460-630, y 40-280) is legal to the right, for bicycles only. 10 observations per second.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from detectors.events.wrong_way import WrongWay, WrongWaySettings, merge_id_switches

X = 110.0  # the middle of lane nb
H = 50.0  # box height of the two-wheelers


def ride(y0: float, y1: float, px_per_frame: float = 15.0, x: float = X) -> list[tuple]:
    """Wheel positions straight along lane nb's axis, one per frame."""
    n = round(abs(y1 - y0) / px_per_frame) + 1
    step = px_per_frame if y1 >= y0 else -px_per_frame
    return [(x, y0 + i * step) for i in range(n)]


# From above the lane's top edge (y 20) down through it and out of its bottom edge (y 470):
# first inside at observation 1 (t = 0.1 s, y = 25), last inside at 30 (t = 3.0 s, y = 460).
AGAINST = ride(10, 505)
LEGAL = ride(505, 10)


def shaken(points, amplitude_px: float = 4.0, hz: float = 3.0, fps: float = 10.0):
    """The same positions seen by a camera swaying sinusoidally by a few pixels."""
    phases = [2 * math.pi * hz * i / fps for i in range(len(points))]
    return [
        (x + amplitude_px * math.sin(phase), y + amplitude_px * math.cos(phase))
        for (x, y), phase in zip(points, phases, strict=True)
    ]


def jittered(point, n: int, px: float = 5.0, seed: int = 0):
    rng = np.random.default_rng(seed)
    noise = rng.uniform(-px, px, size=(n, 2))
    return [(point[0] + dx, point[1] + dy) for dx, dy in noise]


@pytest.fixture
def rule(make_camera) -> WrongWay:
    return WrongWay(make_camera())


def test_riding_against_the_lane_is_one_event_from_lane_entry_to_lane_exit(rule, make_track):
    track = make_track(AGAINST, cls="motorcycle", height=H, track_id=4)

    [event] = rule.violations(track)

    assert (event.rule, event.zone_id, event.track_id, event.class_name) == (
        "wrong_way",
        "nb",
        4,
        "motorcycle",
    )
    assert event.t_s == pytest.approx(0.1)
    assert event.frame_index == 1
    assert (event.x, event.y) == pytest.approx((X, 25.0))
    assert event.t_end_s == pytest.approx(3.0)
    assert event.details["lane_direction"] == pytest.approx([0.0, -1.0])
    assert event.details["against_px"] >= 1.5 * H


# Each scene is a track built from the factory that must raise no event.
NO_EVENT = {
    "with_the_direction": lambda make_track: make_track(LEGAL, cls="motorcycle", height=H),
    "stationary_bike_jittering_5_px": lambda make_track: make_track(
        jittered((X, 250.0), 60), cls="motorcycle", height=H
    ),
    "slow_creep_below_min_distance": lambda make_track: make_track(
        ride(200, 260, px_per_frame=1.0), cls="motorcycle", height=H
    ),  # 1.2 heights in 6 s
    "against_dash_shorter_than_min_duration": lambda make_track: make_track(
        ride(200, 300, px_per_frame=25.0) + [None] * 5, cls="motorcycle", height=H
    ),  # 0.4 s
    "parked_bike_with_a_one_frame_box_jump": lambda make_track: make_track(
        [(X, 250.0)] * 15 + [(X, 350.0)] + [(X, 250.0)] * 14, cls="motorcycle", height=H
    ),
    "camera_shake_on_a_legal_rider": lambda make_track: make_track(
        shaken(LEGAL), cls="motorcycle", height=H
    ),
    "camera_shake_on_a_parked_bike": lambda make_track: make_track(
        shaken([(X, 250.0)] * 60), cls="motorcycle", height=H
    ),
    "swerve_across_the_lane": lambda make_track: make_track(
        [(x, 250.0) for x in np.linspace(50, 170, 20)], cls="motorcycle", height=H
    ),
    "motorcycle_in_a_bicycle_only_lane": lambda make_track: make_track(
        [(x, 200.0) for x in np.arange(640, 440, -15.0)], cls="motorcycle", height=H
    ),
    "person_walking_against_the_lane": lambda make_track: make_track(AGAINST, cls="person"),
    "rider_person_track_against_the_lane": lambda make_track: make_track(
        AGAINST, cls="person", riding=True
    ),
    "against_outside_every_lane": lambda make_track: make_track(
        ride(10, 505, x=320.0), cls="motorcycle", height=H
    ),
}


@pytest.mark.parametrize("scene", NO_EVENT.values(), ids=NO_EVENT.keys())
def test_no_event(rule, make_track, scene):
    assert rule.violations(scene(make_track)) == []


@pytest.mark.parametrize(("index", "jump_px"), [(-1, 100.0), (0, -100.0)], ids=["last", "first"])
def test_parked_bike_with_a_bad_box_at_either_end_of_its_track_is_no_event(
    rule, make_track, index, jump_px
):
    points = [(X, 250.0)] * 30  # parked for 3 s in lane nb
    points[index] = (X, 250.0 + jump_px)  # e.g. half hidden by a passing bus as it is lost

    assert rule.violations(make_track(points, cls="motorcycle", height=H)) == []


@pytest.mark.parametrize("cls", ["bicycle", "motorcycle"])
def test_both_two_wheeler_classes_are_judged_in_a_lane_open_to_both(rule, make_track, cls):
    assert len(rule.violations(make_track(AGAINST, cls=cls, height=H))) == 1


def test_bicycle_against_the_bicycle_lane_is_an_event(rule, make_track):
    track = make_track([(x, 200.0) for x in np.arange(640, 440, -15.0)], cls="bicycle", height=H)

    [event] = rule.violations(track)

    assert event.zone_id == "eb_bikes"
    assert event.x == pytest.approx(625.0)  # first observation inside x <= 630


@pytest.mark.parametrize(
    ("against_heights", "events"),
    [(1.2, 0), (1.4, 0), (1.7, 1), (3.0, 1)],
)
def test_slow_travel_counts_only_once_far_enough_against(rule, make_track, against_heights, events):
    distance = against_heights * H
    track = make_track(
        ride(200, 200 + distance, px_per_frame=distance / 60), cls="motorcycle", height=H
    )  # over 6 s

    assert len(rule.violations(track)) == events


def test_u_turn_is_one_event_starting_at_the_turn(rule, make_track):
    # Legal up the lane from y 400 to the turn at y 200 (t = 2.0 s), then back down and out.
    track = make_track(ride(400, 200, 10) + ride(210, 505, 10)[:-1], cls="motorcycle", height=H)

    [event] = rule.violations(track)

    # The 3-sample median flattens the turn over 1.9-2.1 s; the event starts on that plateau.
    assert event.t_s == pytest.approx(2.0, abs=0.15)
    assert event.y == pytest.approx(200.0, abs=15.0)
    assert event.t_end_s == pytest.approx(track.observations[-1].t_s - 0.3)  # y 460 is the last in


def test_leaving_and_reentering_against_is_one_event_per_lane(rule, make_track):
    # Against, out of the lane's side for a second, back in and against again.
    track = make_track(
        ride(10, 200) + [(200.0, 200.0)] * 10 + ride(200, 505), cls="motorcycle", height=H
    )

    passes = rule.passes(track)
    events = rule.violations(track)

    assert len(passes) == 2
    assert len(events) == 1
    assert events[0].t_s == pytest.approx(0.1)


def test_violations_with_custom_settings_use_them(make_camera, make_track):
    track = make_track(ride(200, 260, px_per_frame=1.0), cls="motorcycle", height=H)  # 1.2 heights
    lenient = WrongWay(make_camera(), WrongWaySettings(min_distance_heights=1.0))

    assert len(lenient.violations(track)) == 1


# passes(): the exposure, signed along the lane direction.


@pytest.mark.parametrize(
    ("points", "along_px"),
    [(LEGAL, 435.0), (AGAINST, -435.0), ([(X, 250.0)] * 20, 0.0)],
    ids=["with", "against", "parked"],
)
def test_passes_are_signed_along_the_lane_direction(rule, make_track, points, along_px):
    [lane_pass] = rule.passes(make_track(points, cls="motorcycle", height=H))

    assert lane_pass.lane.id == "nb"
    assert lane_pass.along_px == pytest.approx(along_px)


@pytest.mark.parametrize("direction", [[3, -4], [30, -40], [0.6, -0.8]])
def test_pass_length_does_not_depend_on_the_length_of_the_direction(
    make_camera, make_track, direction
):
    whole_frame = [[0, 0], [640, 0], [640, 480], [0, 480]]
    lane = {"id": "diag", "polygon": whole_frame, "direction": direction}
    rule = WrongWay(make_camera(lanes=[lane]))
    # 100 px along (0.6, -0.8), then 100 px back against it.
    with_it = make_track([(100 + 6 * i, 400 - 8 * i) for i in range(11)], cls="bicycle", height=H)
    against = make_track([(160 - 6 * i, 320 + 8 * i) for i in range(11)], cls="bicycle", height=H)

    assert rule.passes(with_it)[0].along_px == pytest.approx(100.0)
    assert rule.passes(against)[0].along_px == pytest.approx(-100.0)


@pytest.mark.parametrize(
    ("cls", "lanes"),
    [("motorcycle", ["nb"]), ("bicycle", ["nb", "eb_bikes"]), ("person", [])],
)
def test_passes_only_in_lanes_open_to_the_class(rule, make_track, cls, lanes):
    # Up lane nb, then right through lane eb_bikes.
    points = ride(460, 100) + [(x, 100.0) for x in range(200, 640, 15)]
    track = make_track(points, cls=cls, height=H)

    assert [p.lane.id for p in rule.passes(track)] == lanes


# merge_id_switches: one road user whose track id switched mid-violation.


def _switched(make_track, rule, gap_s: float, resume_offset_px: float):
    """Rider A against down lane nb, lost at y 205; B appears ``gap_s`` later, further down."""
    first = make_track(ride(10, 205), cls="motorcycle", height=H, track_id=1)
    lost_t = first.observations[-1].t_s
    resume_y = 205 + resume_offset_px
    second = make_track(
        ride(resume_y, resume_y + 200), cls="motorcycle", height=H, track_id=2, t0=lost_t + gap_s
    )
    return rule.violations(first) + rule.violations(second), second


def test_an_id_switch_mid_violation_is_merged_into_one_event_with_both_ids(rule, make_track):
    events, second = _switched(make_track, rule, gap_s=0.5, resume_offset_px=20)
    assert len(events) == 2  # each track alone is a violation

    [merged] = merge_id_switches(events)

    assert merged.track_id == 1
    assert merged.details["merged_track_ids"] == [2]
    assert merged.t_s == pytest.approx(0.1)
    assert merged.t_end_s == pytest.approx(second.observations[-1].t_s)
    times = [p.t_s for p in merged.track]
    assert times == sorted(times)
    assert times[-1] == pytest.approx(second.observations[-1].t_s)


def test_a_chain_of_id_switches_is_merged_into_the_first_track(rule, make_track):
    tracks = [
        make_track(ride(10, 160), cls="motorcycle", height=H, track_id=1),
        make_track(ride(175, 310), cls="motorcycle", height=H, track_id=2, t0=1.5),
        make_track(ride(325, 505), cls="motorcycle", height=H, track_id=3, t0=2.9),
    ]
    violations = [v for track in tracks for v in rule.violations(track)]
    assert len(violations) == 3

    [merged] = merge_id_switches(violations)

    assert merged.track_id == 1
    assert merged.details["merged_track_ids"] == [2, 3]
    assert merged.t_end_s == pytest.approx(violations[2].t_end_s)


def test_merge_keeps_unrelated_events_untouched(rule, make_track):
    violations = rule.violations(make_track(AGAINST, cls="motorcycle", height=H))

    assert merge_id_switches(violations) == violations
    assert merge_id_switches([]) == []


@pytest.mark.parametrize(
    ("gap_s", "offset_px", "events"),
    [
        (0.5, 20, 1),
        (1.4, 90, 1),  # within 1.5 s and 2 heights
        (2.0, 20, 2),  # resumed too late
        (0.5, 150, 2),  # resumed too far away: another rider
        (-2.0, 20, 2),  # both seen at once: two riders
    ],
)
def test_merge_needs_a_short_gap_and_a_nearby_resume(rule, make_track, gap_s, offset_px, events):
    violations, _ = _switched(make_track, rule, gap_s, offset_px)

    assert len(merge_id_switches(violations)) == events


def test_two_riders_far_apart_are_two_events(rule, make_track):
    # The second appears 0.2 s after the first is lost: soon enough, but at the lane's other end.
    left = make_track(ride(10, 505, x=60.0), cls="motorcycle", height=H, track_id=1)
    right = make_track(
        ride(10, 505, x=160.0),
        cls="bicycle",
        height=H,
        track_id=2,
        t0=left.observations[-1].t_s + 0.2,
    )
    events = merge_id_switches(rule.violations(left) + rule.violations(right))

    assert sorted(e.track_id for e in events) == [1, 2]
    assert all("merged_track_ids" not in e.details for e in events)


def test_events_in_different_lanes_are_not_merged(rule, make_track):
    down = make_track(ride(10, 290), cls="bicycle", height=H, track_id=1)
    lost = down.observations[-1]
    left = make_track(
        [(625.0 - 15 * i, 270.0) for i in range(12)],
        cls="bicycle",
        height=H,
        track_id=2,
        t0=lost.t_s + 0.3,
    )

    events = merge_id_switches(rule.violations(down) + rule.violations(left))

    assert sorted(e.zone_id for e in events) == ["eb_bikes", "nb"]


def test_one_rider_boxed_twice_at_once_is_one_event(rule, make_track):
    # The model's NMS lets through a box of the vehicle alone beside one of vehicle and rider:
    # two tracks at once, the smaller box inside the larger, both on the same wheels.
    with_rider = make_track(ride(10, 300), cls="motorcycle", height=H * 1.6, track_id=1)
    vehicle_only = make_track(ride(10, 300), cls="motorcycle", height=H, track_id=2)
    events = rule.violations(with_rider) + rule.violations(vehicle_only)
    assert len(events) == 2

    [merged] = merge_id_switches(events)

    assert merged.details["merged_track_ids"] == [2]


def test_riders_queued_nose_to_tail_are_two_events(rule, make_track):
    # Overlapping boxes, one rider a little behind the other: different wheels, two road users.
    front = make_track(ride(40, 330), cls="motorcycle", height=H * 1.6, track_id=1)
    behind = make_track(ride(10, 300), cls="motorcycle", height=H * 1.6, track_id=2)

    events = merge_id_switches(rule.violations(front) + rule.violations(behind))

    assert sorted(e.track_id for e in events) == [1, 2]


def test_a_long_stay_against_the_lane_carries_only_its_first_seconds_as_evidence(rule, make_track):
    crawl = make_track(ride(10, 460, px_per_frame=1.5), cls="motorcycle", height=H)  # 30 s

    [event] = rule.violations(crawl)

    assert event.t_end_s == pytest.approx(crawl.observations[-1].t_s)  # the stay is whole...
    assert event.track[-1].t_s <= event.t_s + 15.0 + 4.0  # ...its evidence is not


# A walker's box is about 1.7 / 1.0 times as tall as the bicycle's (H): walking at ~1 body height
# per second is ~2.4 px per frame at 10 fps for a 50 px bicycle with an 85 px walker.
WALKER_H = 85.0


@pytest.mark.parametrize(
    ("px_per_frame", "walker_height", "events"),
    [
        (8.0, WALKER_H, 0),  # pushed at ~0.9 walker heights per second: a pedestrian's bike
        (8.0, 0.0, 1),  # the same motion with nobody beside it: ridden
        (20.0, WALKER_H, 1),  # ~2.4 walker heights per second beside it: too fast for walking
    ],
)
def test_a_bicycle_pushed_by_a_walker_is_not_riding_the_wrong_way(
    rule, make_track, px_per_frame, walker_height, events
):
    track = make_track(
        ride(10, 505, px_per_frame), cls="bicycle", height=H, walker_height=walker_height
    )

    assert len(rule.violations(track)) == events
    assert track.is_pushed == (events == 0)
