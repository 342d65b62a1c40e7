"""A signal's timeline: merged changes, contiguous segments over the whole clip."""

import pytest

from detectors.signals.states import SignalSegment, SignalState, SignalTimeline, lamp_colour

RED, GREEN, UNKNOWN = SignalState.RED, SignalState.GREEN, SignalState.UNKNOWN


def timeline_of(*changes: tuple[float, SignalState]) -> SignalTimeline:
    timeline = SignalTimeline("s")
    for t_s, state in changes:
        timeline.add(t_s, state)
    return timeline


def test_repeated_states_merge_into_one_segment():
    timeline = timeline_of((0.0, RED), (0.2, RED), (0.4, RED), (5.0, GREEN), (5.2, GREEN))
    assert timeline.segments(10.0) == [
        SignalSegment("s", 0.0, 5.0, RED),
        SignalSegment("s", 5.0, 10.0, GREEN),
    ]


def test_first_state_reaches_back_to_zero_and_last_on_to_the_end():
    segments = timeline_of((0.4, RED), (3.0, GREEN)).segments(7.5)
    assert [(s.from_s, s.to_s, s.state) for s in segments] == [(0.0, 3.0, RED), (3.0, 7.5, GREEN)]


def test_changes_at_or_after_the_end_are_left_out():
    segments = timeline_of((0.0, RED), (7.5, GREEN), (9.0, RED)).segments(7.5)
    assert [(s.from_s, s.to_s, s.state) for s in segments] == [(0.0, 7.5, RED)]


def test_two_states_at_one_instant_keep_the_later():
    timeline = timeline_of((0.0, RED), (2.0, GREEN), (2.0, RED))
    assert [s.state for s in timeline.segments(4.0)] == [RED]


def test_a_blanked_stretch_is_unknown_and_the_state_read_at_its_end_holds_again():
    timeline = timeline_of((0.0, RED), (4.0, GREEN), (6.0, RED), (9.0, GREEN))
    timeline.blank(3.0, 7.0)  # the camera looked elsewhere from 3 s to 7 s
    segments = [(s.from_s, s.to_s, s.state) for s in timeline.segments(10.0)]
    assert segments == [(0.0, 3.0, RED), (3.0, 7.0, UNKNOWN), (7.0, 9.0, RED), (9.0, 10.0, GREEN)]
    timeline.blank(8.0)  # ... and from 8 s to the end
    assert [s.state for s in timeline.segments(10.0)] == [RED, UNKNOWN, RED, UNKNOWN]


def test_no_changes_is_unknown_throughout():
    assert SignalTimeline("s").segments(3.0) == [SignalSegment("s", 0.0, 3.0, UNKNOWN)]
    assert SignalTimeline("s").state_at(1.0) == UNKNOWN


def test_lookup_between_changes():
    timeline = timeline_of((0.0, RED), (2.0, GREEN))
    assert [timeline.state_at(t) for t in (0.0, 1.99, 2.0, 50.0)] == [RED, RED, GREEN, GREEN]


def test_changes_must_not_go_back_in_time():
    with pytest.raises(ValueError, match="before the last"):
        timeline_of((2.0, RED), (1.0, GREEN))


def test_duration_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        timeline_of((0.0, RED)).segments(0.0)


def test_lamp_colour_of_each_state():
    assert lamp_colour(SignalState.FLASHING_GREEN) == GREEN
    assert lamp_colour(SignalState.AMBER) == SignalState.AMBER
    assert lamp_colour(SignalState.OFF) is None
    assert lamp_colour(UNKNOWN) is None
