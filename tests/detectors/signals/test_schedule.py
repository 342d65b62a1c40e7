"""Timeline and fixed-time plan signals: lookups and segments, across midnight and clock changes."""

from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from pydantic import ValidationError

from detectors.config.camera import PlanSignal, TimelineSignal
from detectors.config.errors import InputError
from detectors.signals.schedule import PlanSchedule, TimelineSchedule
from detectors.signals.states import SignalState

RED, GREEN, FLASHING = SignalState.RED, SignalState.GREEN, SignalState.FLASHING_GREEN


def timeline_signal(changes) -> TimelineSignal:
    return TimelineSignal(id="ped", kind="pedestrian", source="timeline", timeline=changes)


def plan_signal(cycle_s: float, offset_s: float, phases) -> PlanSignal:
    plan = {"cycle_s": cycle_s, "offset_s": offset_s, "phases": phases}
    return PlanSignal(id="ped", kind="pedestrian", source="plan", plan=plan)


def assert_segments_agree_with_lookups(schedule: PlanSchedule, duration_s: float) -> None:
    segments = schedule.segments(duration_s)
    assert segments[0].from_s == 0 and segments[-1].to_s == duration_s
    assert all(a.to_s == b.from_s and a.state != b.state for a, b in pairwise(segments))
    for t_s in np.arange(0.05, duration_s, 0.5):
        covering = next(s for s in segments if s.from_s <= t_s < s.to_s)
        assert covering.state == schedule.state_at(float(t_s)), t_s


def spans(segments) -> list[tuple[float, float, SignalState]]:
    return [(round(s.from_s, 6), round(s.to_s, 6), s.state) for s in segments]


def test_timeline_lookup_and_unknown_before_its_first_change():
    schedule = TimelineSchedule(timeline_signal([[2.0, "red"], [9.5, "green"], [41.0, "red"]]))
    assert schedule.state_at(0.0) == SignalState.UNKNOWN
    assert schedule.state_at(2.0) == RED
    assert schedule.state_at(9.49) == RED
    assert schedule.state_at(9.5) == GREEN
    assert schedule.state_at(100.0) == RED


def test_timeline_segments_are_clipped_to_the_clip_and_merged():
    changes = [[0.0, "red"], [5.0, "red"], [9.5, "green"], [41.0, "red"]]
    schedule = TimelineSchedule(timeline_signal(changes))
    assert spans(schedule.segments(30.0)) == [(0, 9.5, RED), (9.5, 30, GREEN)]


# 90 s cycle: red 60 s, green 25 s, flashing green 5 s; phase 0 starts 12 s after midnight.
PLAN = plan_signal(90, 12, [["red", 60], ["green", 25], ["flashing_green", 5]])


def test_plan_state_follows_the_wall_clock_from_the_offset():
    # 08:00:00 is 28800 s after midnight; (28800 - 12) mod 90 = 78 s into the cycle: green.
    schedule = PlanSchedule(PLAN, datetime(2024, 5, 6, 8, 0, 0))
    assert schedule.state_at(0.0) == GREEN
    assert schedule.state_at(6.9) == GREEN
    assert schedule.state_at(7.0) == FLASHING
    assert schedule.state_at(12.0) == RED
    assert spans(schedule.segments(100.0)) == [
        (0, 7, GREEN),
        (7, 12, FLASHING),
        (12, 72, RED),
        (72, 97, GREEN),
        (97, 100, FLASHING),
    ]


def test_plan_offset_shifts_every_change():
    shifted = plan_signal(90, 22, [["red", 60], ["green", 25], ["flashing_green", 5]])
    schedule = PlanSchedule(shifted, datetime(2024, 5, 6, 8, 0, 0))
    assert [s.from_s for s in schedule.segments(100.0)] == [0, 17, 22, 82]


def test_plan_restarts_at_local_midnight():
    # 70 s does not divide a day: at midnight the plan starts over at its phase 0.
    plan = plan_signal(70, 0, [["red", 35], ["green", 35]])
    schedule = PlanSchedule(plan, datetime(2024, 5, 6, 23, 59, 50))
    # 86390 mod 70 = 10 s into red; without the restart green would begin at 25 s.
    assert schedule.state_at(24.0) == RED
    assert schedule.state_at(30.0) == RED
    assert spans(schedule.segments(100.0)) == [(0, 45, RED), (45, 80, GREEN), (80, 100, RED)]


def test_aware_clip_start_is_read_on_its_own_local_clock():
    naive = PlanSchedule(PLAN, datetime(2024, 5, 6, 8, 0, 0))
    aware = PlanSchedule(PLAN, datetime(2024, 5, 6, 8, 0, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert spans(aware.segments(300.0)) == spans(naive.segments(300.0))


def test_plan_follows_a_daylight_saving_jump_of_the_clock():
    # London, 31 March 2024: at 01:00 GMT the clock jumps to 02:00 BST, 10 s into this clip.
    # A 70 s cycle does not divide the hour the clock skips, so the jump shifts the phase.
    plan = plan_signal(70, 0, [["red", 35], ["green", 35]])
    start = datetime(2024, 3, 31, 0, 59, 50, tzinfo=ZoneInfo("Europe/London"))
    schedule = PlanSchedule(plan, start)
    after_jump = PlanSchedule(plan, datetime(2024, 3, 31, 2, 0, 0))
    assert schedule.state_at(10.0 + 30.0) == after_jump.state_at(30.0)
    assert_segments_agree_with_lookups(schedule, 200.0)


def test_plan_segments_agree_with_lookups_everywhere():
    start = datetime(2024, 5, 6, 23, 58, 31, 250000)  # a cycle cut short at midnight
    assert_segments_agree_with_lookups(PlanSchedule(PLAN, start), 400.0)


def test_plan_without_a_clip_start_is_an_input_error():
    with pytest.raises(InputError, match="'ped'.*fixed-time plan.*start time"):
        PlanSchedule(PLAN, None)


def test_negative_phase_duration_is_refused_with_the_config():
    with pytest.raises(ValidationError, match="phase duration -10 s is negative"):
        plan_signal(60, 0, [["red", 70], ["green", -10]])
