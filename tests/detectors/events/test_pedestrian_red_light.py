"""pedestrian_red_light on synthetic walkers crossing the test camera's crosswalks.

The standard walker crosses crosswalk ``south`` (x 200-440, y 300-360) from left to right along
y = 330 at one body height (60 px) per second, 10 observations per second: outside for the first
second, feet first inside at observation 10 (t = 1.0 s, x = 203), out again at observation 50.
"""

from __future__ import annotations

import pytest

from detectors.events.pedestrian_red_light import PedestrianRedLight
from detectors.signals.states import SignalState

Y = 330.0  # the walker's feet, on the south crosswalk's middle line
ENTRY_INDEX, ENTRY_T, ENTRY_X = 10, 1.0, 203.0
RED = {"ped_south": "red"}


def walk(x0: float, x1: float, px_per_frame: float = 6.0) -> list[tuple[float, float]]:
    """Feet positions along the middle line, one per frame."""
    n = round(abs(x1 - x0) / px_per_frame) + 1
    step = px_per_frame if x1 >= x0 else -px_per_frame
    return [(x0 + i * step, Y) for i in range(n)]


CROSSING = walk(143, 503)  # 61 observations, 6 s


def at_the_kerb(flicker: str, then_cross: bool = False) -> dict[str, list]:
    """Points and box heights of a person who walks up to the south crosswalk's kerb line
    (y = 360) from below, waits there while the bottom edge of the box flickers across the line
    (``i``: feet 4 px inside, ``o``: 4 px outside; the head stays put), then walks away again or,
    with ``then_cross``, walks up across the crosswalk (feet inside from y = 354)."""
    approach = [(320.0, 450.0 - 6 * i) for i in range(15)]  # 1.5 s up to y = 366
    waiting = [(320.0, 356.0 if step == "i" else 364.0) for step in flicker]
    if then_cross:
        after = [(320.0, 360.0 - 6 * i) for i in range(1, 25)]  # out of the top edge at 300
    else:
        after = [(320.0, 366.0 + 6 * i) for i in range(15)]
    heights = [60.0] * 15 + [point[1] - 300.0 for point in waiting] + [60.0] * len(after)
    return {"points": approach + waiting + after, "height": heights}


@pytest.fixture
def rule(make_camera) -> PedestrianRedLight:
    return PedestrianRedLight(make_camera())


def test_entering_on_red_from_outside_is_one_event_at_the_first_step_inside(rule, make_track):
    track = make_track(CROSSING, signals=RED, track_id=7)

    [event] = rule.violations(track)

    assert (event.rule, event.zone_id, event.track_id, event.class_name) == (
        "pedestrian_red_light",
        "south",
        7,
        "person",
    )
    assert event.t_s == pytest.approx(ENTRY_T)
    assert event.frame_index == ENTRY_INDEX
    assert (event.x, event.y) == pytest.approx((ENTRY_X, Y))
    assert (event.signal_id, event.signal_state) == ("ped_south", "red")
    assert event.details["outside_before_s"] == pytest.approx(1.0)
    assert event.details["inside_after_s"] == pytest.approx(3.9)


def test_evidence_track_spans_four_seconds_around_the_entry(rule, make_track):
    [event] = rule.violations(make_track(CROSSING, signals=RED))

    times = [point.t_s for point in event.track]
    assert times[0] == pytest.approx(0.0)
    assert times[-1] == pytest.approx(5.0)
    assert times == sorted(times)


@pytest.mark.parametrize(
    ("state", "events"),
    [("red", 1), ("green", 0), ("flashing_green", 0), ("amber", 0), ("off", 0), ("unknown", 0)],
)
def test_only_red_at_the_moment_of_entry_counts(rule, make_track, state, events):
    track = make_track(CROSSING, signals={"ped_south": state})

    assert len(rule.violations(track)) == events


# Each scene is a track built from the factory that must raise no event.
NO_EVENT = {
    "entered_on_green_and_signal_turned_red_while_on_the_crossing": lambda make_track: make_track(
        CROSSING, signals={"ped_south": [(0.0, "green"), (2.0, "red")]}
    ),
    "red_signal_only_on_the_other_crosswalk": lambda make_track: make_track(
        CROSSING, signals={"ped_south": "green", "ped_north": "red"}
    ),
    "signal_not_reported": lambda make_track: make_track(CROSSING, signals={}),
    "signal_unknown": lambda make_track: make_track(CROSSING, signals={"ped_south": "unknown"}),
    "rider_on_a_two_wheeler": lambda make_track: make_track(CROSSING, signals=RED, riding=True),
    "fast_person_is_on_wheels": lambda make_track: make_track(
        walk(23, 503, px_per_frame=24), signals=RED
    ),  # 4 body heights per second
    "born_on_the_crossing": lambda make_track: make_track(walk(263, 503), signals=RED),
    "seen_outside_too_briefly_before_entering": lambda make_track: make_track(
        walk(191, 503), signals=RED
    ),  # 0.2 s outside: a new track at the kerb
    "stepped_in_and_back_out_at_once": lambda make_track: make_track(
        walk(143, 209) + walk(203, 143), signals=RED
    ),  # 0.2 s inside
    "low_confidence_ghost": lambda make_track: make_track(CROSSING, signals=RED, confidence=0.2),
    "walks_beside_the_crossing": lambda make_track: make_track(
        [(x, 380.0) for x, _ in CROSSING], signals=RED
    ),
    "feet_flicker_on_the_kerb_line_in_two_frame_steps": lambda make_track: make_track(
        **at_the_kerb("iioo" * 8), signals=RED
    ),
    "feet_flicker_on_the_kerb_line_in_three_frame_steps": lambda make_track: make_track(
        **at_the_kerb("iiiooo" * 5), signals=RED
    ),
    "box_cut_short_by_a_passing_vehicle": lambda make_track: make_track(
        [(320.0, 380.0)] * 10 + [(320.0, 340.0)] * 10 + [(320.0, 380.0)] * 10,
        height=[60.0] * 10 + [20.0] * 10 + [60.0] * 10,
        signals=RED,
    ),  # the head stays put
}


@pytest.mark.parametrize("scene", NO_EVENT.values(), ids=NO_EVENT.keys())
def test_no_event(rule, make_track, scene):
    assert rule.violations(scene(make_track)) == []


def test_feet_flickering_every_frame_on_the_kerb_line_is_no_event(rule, make_track):
    track = make_track(**at_the_kerb("io" * 15), signals=RED)  # 3 s on the line, never crossing

    assert rule.violations(track) == []


def test_crossing_from_the_kerb_on_red_is_an_event(rule, make_track):
    track = make_track(**at_the_kerb("o" * 20, then_cross=True), signals=RED)

    [event] = rule.violations(track)

    assert event.t_s == pytest.approx(3.5)  # 1.5 s walking up, 2 s waiting, first step in
    assert (event.x, event.y) == pytest.approx((320.0, 354.0))


@pytest.mark.parametrize("flicker", ["iioo" * 5, "iiiooo" * 3, "iiioooo" * 3])
def test_crossing_on_red_after_waiting_with_feet_flickering_on_the_kerb_is_an_event(
    rule, make_track, flicker
):
    track = make_track(**at_the_kerb(flicker, then_cross=True), signals=RED)
    first_flicker_t, first_step_t = 1.5, 1.5 + len(flicker) / 10

    events = rule.violations(track)

    assert len(events) == 1
    assert first_flicker_t <= events[0].t_s <= first_step_t + 1e-6


@pytest.mark.parametrize(
    ("riding_observations", "events"),
    [(0, 1), (18, 1), (19, 0), (61, 0)],  # of 61: 29.5 % is still on foot, 31.1 % is a rider
)
def test_a_person_seen_on_a_two_wheeler_for_30_percent_is_a_rider(
    rule, make_track, riding_observations, events
):
    share = riding_observations / len(CROSSING)  # spread over the track, never most of a stretch
    riding = [int((i + 1) * share) > int(i * share) for i in range(len(CROSSING))]
    track = make_track(CROSSING, signals=RED, riding=riding)

    assert len(rule.violations(track)) == events


@pytest.mark.parametrize(
    ("heights_per_s", "events"),
    [(0.5, 1), (1.0, 1), (2.0, 1), (3.0, 0), (5.0, 0)],  # walking, running, on wheels
)
def test_feet_faster_than_running_are_on_wheels(rule, make_track, heights_per_s, events):
    px_per_frame = heights_per_s * 60 / 10
    x0 = ENTRY_X - 10 * px_per_frame  # one second outside, whatever the speed
    track = make_track(walk(x0, 503, px_per_frame), signals=RED)

    assert len(rule.violations(track)) == events


@pytest.mark.parametrize(("confidence", "events"), [(0.2, 0), (0.29, 0), (0.31, 1), (0.9, 1)])
def test_low_mean_confidence_tracks_are_ghosts(rule, make_track, confidence, events):
    track = make_track(CROSSING, signals=RED, confidence=confidence)

    assert len(rule.violations(track)) == events


def test_reentering_on_red_is_still_one_event_per_person_per_crossing(rule, make_track):
    # In on red at 1.0 s, back out at 3.1 s, waits 1 s, in again on red, across.
    there_and_back = walk(143, 263) + walk(257, 143)
    track = make_track(there_and_back + [(143.0, Y)] * 10 + walk(143, 503), signals=RED)

    entries = rule.entries(track)
    events = rule.violations(track)

    assert len(entries) == 2  # the exposure counts both entries
    assert len(events) == 1
    assert events[0].t_s == pytest.approx(ENTRY_T)


def test_reentering_on_red_after_an_entry_on_green_is_an_event_at_the_second_entry(
    rule, make_track
):
    there_and_back = walk(143, 263) + walk(257, 143)  # 41 observations, in at 1.0 s on green
    second_entry_t = (len(there_and_back) + 10 + 10) / 10
    track = make_track(
        there_and_back + [(143.0, Y)] * 10 + walk(143, 503),
        signals={"ped_south": [(0.0, "green"), (3.5, "red")]},
    )

    [event] = rule.violations(track)

    assert event.t_s == pytest.approx(second_entry_t)
    assert (event.x, event.y) == pytest.approx((ENTRY_X, Y))


@pytest.mark.parametrize(
    "dropout",
    [(320.0, 400.0), None],  # the box's feet jump below the crossing; the person goes undetected
    ids=["feet_jump_out", "undetected"],
)
@pytest.mark.parametrize("index", [ENTRY_INDEX + 2, 30])
def test_a_single_frame_dropout_inside_does_not_split_the_entry(rule, make_track, dropout, index):
    points = list(CROSSING)
    points[index] = dropout
    track = make_track(points, signals=RED)

    [entry] = rule.entries(track)
    [event] = rule.violations(track)

    assert entry.index == ENTRY_INDEX
    assert entry.inside_s == pytest.approx(3.9)
    assert event.t_s == pytest.approx(ENTRY_T)


@pytest.mark.parametrize(
    ("signals", "zones"),
    [
        ({"ped_south": "red", "ped_north": "green"}, ["south"]),
        ({"ped_south": "green", "ped_north": "red"}, ["north"]),
        ({"ped_south": "red", "ped_north": "red"}, ["north", "south"]),
        ({"ped_south": "green", "ped_north": "green"}, []),
    ],
)
def test_each_crosswalk_is_judged_by_its_own_signal(rule, make_track, line, signals, zones):
    # Straight down x = 320: north crosswalk (y 120-170) at 1.0 s, south (y 300-360) at 4.0 s.
    track = make_track(line((320, 63), (320, 423), 61), signals=signals)

    events = rule.violations(track)

    assert sorted(e.zone_id for e in events) == zones
    for event in events:
        assert event.signal_id == f"ped_{event.zone_id}"
        assert event.t_s == pytest.approx({"north": 1.0, "south": 4.0}[event.zone_id])


def test_entries_are_the_exposure_on_any_signal(rule, make_track):
    track = make_track(CROSSING, signals={"ped_south": "green"})

    [entry] = rule.entries(track)

    assert entry.crosswalk.id == "south"
    assert entry.signal_state == SignalState.GREEN
    assert entry.index == ENTRY_INDEX
    assert entry.outside_s == pytest.approx(1.0)


@pytest.mark.parametrize("cls", ["bicycle", "motorcycle"])
def test_two_wheelers_are_not_pedestrians(rule, make_track, cls):
    track = make_track(CROSSING, cls=cls, signals=RED)

    assert rule.entries(track) == []
    assert rule.violations(track) == []


def test_a_track_born_on_the_crossing_that_leaves_and_reenters_on_red_is_an_event(rule, make_track):
    # Born inside at x = 233 (an id switch), out at 0.6 s, back in on red at 1.7 s.
    track = make_track(walk(233, 191) + [(185.0, Y)] * 7 + walk(191, 503), signals=RED)

    [event] = rule.violations(track)

    assert event.t_s == pytest.approx(1.7)
    assert event.x == pytest.approx(203.0)


def up_across_the_kerb(inside: int, depth_px_per_frame: float = 6.0) -> list[tuple[float, float]]:
    """From 1.5 s below the south crosswalk up across its kerb line (y = 360), the track lost
    after ``inside`` frames with the feet inside."""
    approach = [(320.0, 450.0 - 6 * i) for i in range(15)]  # 1.5 s up to y = 366
    return approach + [(320.0, 360.0 - depth_px_per_frame * i) for i in range(1, inside + 1)]


@pytest.mark.parametrize(
    ("inside", "events"),
    [
        (3, 1),  # 0.2 s inside, 18 px (0.3 body heights) deep: a step in, the track lost after
        (1, 0),  # one frame 6 px inside: too little to tell from a box edge on the line
    ],
)
def test_a_short_stay_a_step_deep_is_an_entry(rule, make_track, inside, events):
    track = make_track(up_across_the_kerb(inside), signals=RED)

    assert len(rule.violations(track)) == events


def test_feet_along_the_kerb_line_a_few_pixels_inside_are_no_entry(rule, make_track):
    """Walking along the kerb with the box bottom 3 px (0.05 body heights) past the line for
    2 s: long enough, but never a step deep."""
    along = [(150.0 + 6 * i, 365.0) for i in range(10)]  # outside, up to the crosswalk's corner
    on_the_line = [(210.0 + 6 * i, 357.0) for i in range(20)]

    assert rule.violations(make_track(along + on_the_line, signals=RED)) == []


def test_on_a_crossing_thinner_than_a_step_half_way_to_its_middle_is_deep_enough(
    make_camera, make_track
):
    """A far crossing 8 px deep in the picture, a person 40 px tall walking onto it along its
    middle line: 4 px deep, less than the step (6 px) it could never take there."""
    thin = {"id": "south", "polygon": [[200, 352], [440, 352], [440, 360], [200, 360]]}
    rule = PedestrianRedLight(make_camera(crosswalks=[{**thin, "signal": "ped_south"}]))
    onto = [(150.0 + 4 * i, 356.0) for i in range(40)]  # one body height per second

    [event] = rule.violations(make_track(onto, height=40.0, signals=RED))

    assert event.x == pytest.approx(202.0)


def test_a_long_stay_on_the_kerb_line_is_not_outside_before_an_entry(rule, make_track):
    """Feet on the line for 2 s, a moment just outside it, then a step in: the person was never
    away from the crossing for 0.4 s, so this is no entry from outside (the shopping-street clip
    has such a walker)."""
    along = [(150.0 + 6 * i, 365.0) for i in range(10)]
    on_the_line = [(210.0 + 6 * i, 357.0) for i in range(20)]
    just_out = [(330.0, 363.0)] * 2
    stepping_in = [(330.0, 357.0 - 6 * i) for i in range(1, 8)]

    track = make_track(along + on_the_line + just_out + stepping_in, signals=RED)

    assert rule.violations(track) == []


def test_feet_seen_on_both_sides_of_a_thin_crossing_went_through_it(make_camera, make_track):
    """A far walker 20 px tall on a 12 px band (the Beijing junction): seen two frames on its
    kerb line, then lost for a second and seen again past its far edge. The stay was unseen, but
    the feet crossed the band."""
    band = {"id": "south", "polygon": [[200, 348], [440, 348], [440, 360], [200, 360]]}
    rule = PedestrianRedLight(make_camera(crosswalks=[{**band, "signal": "ped_south"}]))
    up_to_it = [(320.0, 373.0 - i) for i in range(12)]  # 1.2 s below it, 0.5 body heights/s
    on_the_line = [(320.0, 359.6), (320.0, 359.0)]
    lost = [None] * 10
    past_it = [(320.0, 346.0 - i) for i in range(12)]

    through = make_track(up_to_it + on_the_line + lost + past_it, height=20.0, signals=RED)
    back = make_track(up_to_it + on_the_line + lost + up_to_it[::-1], height=20.0, signals=RED)

    [event] = rule.violations(through)
    assert event.t_s == pytest.approx(1.2)
    assert rule.violations(back) == []


@pytest.mark.parametrize(("cut_at_start", "events"), [(True, 1), (False, 0)])
def test_a_road_user_in_view_from_the_clips_first_frame_was_outside_since_before_it(
    rule, make_track, cut_at_start, events
):
    """0.2 s outside, then across: too brief for a track born at the kerb mid-clip, but a person
    seen from the clip's first frame was outside for as long as the clip can tell."""
    track = make_track(walk(191, 503), signals=RED)
    track.cut_at_start = cut_at_start

    assert len(rule.violations(track)) == events


def test_a_slow_walker_is_judged_on_the_second_either_side_of_the_entry(rule, make_track):
    """A sixth of a body height per second (the vn pavement's walker, his head cut by the frame
    edge): 0.13 body heights over the 0.8 s of the debounce, 0.33 over a second either side."""
    slow = walk(143, 263, px_per_frame=1.0)

    [event] = rule.violations(make_track(slow, signals=RED))

    assert event.x == pytest.approx(200.0)


def test_confidence_is_judged_on_the_boxes_around_the_entry(rule, make_track):
    """A walker boxed surely while entering, whose boxes fade as he walks on far away: the
    track's mean confidence is below the ghost threshold, that of its entry is not."""
    confidence = [0.5 if i < 25 else 0.12 for i in range(len(CROSSING))]  # mean 0.28

    [event] = rule.violations(make_track(CROSSING, signals=RED, confidence=confidence))

    assert event.t_s == pytest.approx(ENTRY_T)
