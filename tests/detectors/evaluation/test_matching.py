import pytest

from detectors.evaluation.matching import (
    Pair,
    match_events,
    positions_agree,
    times_agree,
    why_unmatched_detection,
    why_unmatched_event,
)

PED, WRONG = "pedestrian_red_light", "wrong_way"
WIDTH = 1000  # 12% of it: 120 px


@pytest.mark.parametrize(
    ("t", "t_end", "detected_t", "agrees"),
    [
        (10.0, None, 10.0, True),
        (10.0, None, 8.0, True),  # window edges are inside
        (10.0, None, 12.0, True),
        (10.0, None, 7.99, False),
        (10.0, None, 12.01, False),
        (0.47, None, 2.47, True),  # 0.47 + 2.0 < 2.47 in binary floating point
        (2.02, None, 0.02, True),  # 2.02 - 2.0 > 0.02 likewise
        (10.0, 15.0, 8.0, True),  # with t_end: [t - 2, t_end + 2]
        (10.0, 15.0, 12.5, True),
        (10.0, 15.0, 17.0, True),
        (10.0, 15.0, 17.01, False),
        (10.0, 15.0, 7.99, False),
    ],
)
def test_times_agree_within_two_seconds_of_t_or_of_the_labelled_window(
    make_event, t, t_end, detected_t, agrees
):
    assert times_agree(make_event(WRONG, t=t, t_end=t_end), detected_t) is agrees


@pytest.mark.parametrize(
    ("frame_width", "detected_xy", "agrees"),
    [
        (1000, (620, 300), True),  # 120 px = 12% of 1000
        (1000, (621, 300), False),
        (1000, (572, 396), True),  # straight-line: 72, 96 -> 120 px
        (1000, (573, 396), False),
        (1000, (500, 180), True),  # y counts as much as x
        (500, (560, 300), True),  # 12% of 500 is 60 px
        (500, (561, 300), False),
    ],
)
def test_positions_agree_within_twelve_percent_of_the_frame_width(
    make_event, make_violation, frame_width, detected_xy, agrees
):
    pair = Pair(
        make_event(PED, x=500, y=300), make_violation(PED, x=detected_xy[0], y=detected_xy[1])
    )
    assert positions_agree(pair, frame_width) is agrees


def test_position_is_not_compared_for_events_with_t_end(make_event, make_violation):
    moving = make_event(WRONG, t=10.0, t_end=14.0, x=100, y=400)
    far_away = make_violation(WRONG, t=15.0, x=900, y=20)
    matching = match_events([moving], [far_away], WIDTH)
    assert [(pair.event, pair.violation) for pair in matching.matches] == [(moving, far_away)]


def test_a_detection_far_from_an_event_without_t_end_does_not_match(make_event, make_violation):
    matching = match_events([make_event(PED, x=500)], [make_violation(PED, x=700)], WIDTH)
    assert (
        len(matching.matches),
        len(matching.unmatched_detections),
        len(matching.unmatched_events),
    ) == (
        0,
        1,
        1,
    )


def test_rules_must_be_the_same(make_event, make_violation):
    true_event = make_event(PED, t=10.0)
    other_rule = make_violation(WRONG, t=10.0)
    matching = match_events([true_event], [other_rule], WIDTH)
    assert matching.matches == ()
    assert matching.unmatched_detections == (other_rule,)
    assert matching.unmatched_events == (true_event,)


def test_a_true_event_takes_the_detection_closest_in_time(make_event, make_violation):
    true_event = make_event(PED, t=10.0)
    later, closer = make_violation(PED, t=10.5, track_id=1), make_violation(PED, t=9.8, track_id=2)
    matching = match_events([true_event], [later, closer], WIDTH)
    assert [pair.violation for pair in matching.matches] == [closer]
    assert matching.unmatched_detections == (later,)


def test_a_detection_goes_to_the_true_event_closest_in_time(make_event, make_violation):
    first, second = make_event(PED, t=10.0), make_event(PED, t=11.0)
    detection = make_violation(PED, t=10.8)
    matching = match_events([first, second], [detection], WIDTH)
    assert [pair.event for pair in matching.matches] == [second]
    assert matching.unmatched_events == (first,)


def test_pairing_is_greedy_by_time_not_the_largest_assignment(make_event, make_violation):
    # d1 could serve e1 (1.6 s) or e2 (1.4 s); d2 only e2 (1.5 s). Greedy takes d1-e2 first,
    # so d2 and e1 stay single although d1-e1 + d2-e2 would pair everything.
    e1, e2 = make_event(PED, t=10.0), make_event(PED, t=13.0)
    d1, d2 = make_violation(PED, t=11.6, track_id=1), make_violation(PED, t=14.5, track_id=2)
    matching = match_events([e1, e2], [d1, d2], WIDTH)
    assert [(pair.event, pair.violation) for pair in matching.matches] == [(e2, d1)]
    assert matching.unmatched_detections == (d2,)
    assert matching.unmatched_events == (e1,)


def test_each_true_event_takes_at_most_one_detection(make_event, make_violation):
    true_event = make_event(PED, t=10.0)
    detections = [make_violation(PED, t=t, track_id=i) for i, t in enumerate((9.0, 10.2, 11.5))]
    matching = match_events([true_event], detections, WIDTH)
    assert [pair.violation.t_s for pair in matching.matches] == [10.2]
    assert [v.t_s for v in matching.unmatched_detections] == [9.0, 11.5]


def test_equal_time_differences_go_to_the_nearer_position(make_event, make_violation):
    true_event = make_event(PED, t=10.0, x=500, y=300)
    far = make_violation(PED, t=9.5, x=600, track_id=1)
    near = make_violation(PED, t=10.5, x=510, track_id=2)
    matching = match_events([true_event], [far, near], WIDTH)
    assert [pair.violation for pair in matching.matches] == [near]


def test_pairs_are_matched_across_rules_independently(make_event, make_violation):
    events = [make_event(PED, t=5.0), make_event(WRONG, t=5.0, t_end=8.0)]
    detections = [make_violation(WRONG, t=6.0, x=50), make_violation(PED, t=5.5)]
    matching = match_events(events, detections, WIDTH)
    assert [(p.event.rule, p.violation.rule) for p in matching.matches] == [
        (PED, PED),
        (WRONG, WRONG),
    ]
    assert [len(matching.of_rule(rule).matches) for rule in (PED, WRONG)] == [1, 1]


def test_pair_reports_signed_time_difference_and_distance(make_event, make_violation):
    pair = Pair(make_event(PED, t=10.0, x=500, y=300), make_violation(PED, t=9.25, x=530, y=340))
    assert (pair.dt_s, pair.distance_px) == (-0.75, 50.0)


def test_frame_width_must_be_positive(make_event, make_violation):
    with pytest.raises(ValueError, match="frame_width"):
        match_events([make_event()], [make_violation()], 0)


@pytest.mark.parametrize(
    ("detected_t", "detected_x", "why"),
    [(13.0, 500, "time"), (10.5, 800, "position")],
)
def test_an_unmatched_detection_names_its_nearest_event_and_why(
    make_event, make_violation, detected_t, detected_x, why
):
    true_event = make_event(PED, t=10.0, x=500)
    miss = why_unmatched_detection(
        make_violation(PED, t=detected_t, x=detected_x), [true_event], WIDTH
    )
    assert miss is not None
    assert (miss.pair.event, miss.why) == (true_event, why)


def test_a_duplicate_detection_is_explained_as_taken(make_event, make_violation):
    true_event = make_event(PED, t=10.0)
    first, duplicate = make_violation(PED, t=10.1), make_violation(PED, t=10.6, track_id=2)
    assert match_events([true_event], [first, duplicate], WIDTH).unmatched_detections == (
        duplicate,
    )
    miss = why_unmatched_detection(duplicate, [true_event], WIDTH)
    assert miss is not None and miss.why == "taken"


def test_a_taken_counterpart_explains_a_duplicate_better_than_a_nearer_one(
    make_event, make_violation
):
    true_event, elsewhere = make_event(PED, t=10.0, x=500), make_event(PED, t=12.0, x=900)
    first, duplicate = make_violation(PED, t=10.2, x=500), make_violation(PED, t=11.5, x=500)
    matching = match_events([true_event, elsewhere], [first, duplicate], WIDTH)
    assert matching.unmatched_detections == (duplicate,)
    miss = why_unmatched_detection(duplicate, [true_event, elsewhere], WIDTH)
    assert miss is not None
    assert (miss.pair.event, miss.why) == (true_event, "taken")


def test_a_missed_event_names_the_nearest_detection_of_its_rule(make_event, make_violation):
    missed = make_event(PED, t=20.0)
    detections = [
        make_violation(WRONG, t=20.0),
        make_violation(PED, t=30.0),
        make_violation(PED, t=5.0),
    ]
    miss = why_unmatched_event(missed, detections, WIDTH)
    assert miss is not None
    assert (miss.pair.violation.t_s, miss.pair.dt_s, miss.why) == (30.0, 10.0, "time")


def test_nothing_of_the_same_rule_means_no_nearest(make_event, make_violation):
    assert why_unmatched_event(make_event(PED), [make_violation(WRONG)], WIDTH) is None
    assert why_unmatched_detection(make_violation(PED), [], WIDTH) is None
