"""Signal states known in advance: a timeline within the clip, or a fixed-time plan.

A ``timeline`` lists ``[t_s, state]`` changes in clip seconds; before its first change the state
is ``unknown``.

A ``plan`` runs on the camera's local wall clock. Phase 0 starts ``offset_s`` seconds after local
midnight and the phases repeat every ``cycle_s`` from there, so the state at wall-clock time ``w``
is the phase at ``((seconds since local midnight of w) - offset_s) mod cycle_s``. We chose this
anchor because fixed-time controllers keep their plan against the local time of day: the plan
restarts at every local midnight (if ``cycle_s`` does not divide a day, the last cycle before
midnight is cut short) and follows a daylight-saving change of the clock. The clip's start is the
camera's local wall-clock time: a naive datetime is read as local; an aware one is read on its own
zone's clock, so give it in the camera's zone.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from datetime import UTC, datetime, timedelta

from detectors.config.camera import PlanSignal, TimelineSignal
from detectors.config.errors import InputError
from detectors.signals.states import SignalSegment, SignalState, SignalTimeline

_DAY_S = 86_400.0
# Float phase arithmetic lands within a few ulps of a boundary; that is the boundary.
_BOUNDARY_EPS_S = 1e-6


class TimelineSchedule:
    """A signal whose changes within the clip are given by its ``timeline``."""

    def __init__(self, signal: TimelineSignal):
        self._timeline = SignalTimeline(signal.id)
        if signal.timeline[0][0] > 0:
            self._timeline.add(0.0, SignalState.UNKNOWN)
        for t_s, state in signal.timeline:
            self._timeline.add(t_s, state)

    def state_at(self, t_s: float) -> SignalState:
        return self._timeline.state_at(t_s)

    def segments(self, duration_s: float) -> list[SignalSegment]:
        return self._timeline.segments(duration_s)


class PlanSchedule:
    """A signal that follows a fixed-time plan on the wall clock from ``clip_start`` on."""

    def __init__(self, signal: PlanSignal, clip_start: datetime | None):
        if clip_start is None:
            raise InputError(
                f"signal '{signal.id}' follows a fixed-time plan, which is tied to the time of "
                "day, but this clip's wall-clock start is unknown; give the clip's start time, "
                "or describe the signal with a timeline of changes within the clip instead"
            )
        self.signal_id = signal.id
        self._plan = signal.plan
        self._clip_start = clip_start
        self._phase_ends_s = list(itertools.accumulate(d for _, d in signal.plan.phases))

    def state_at(self, t_s: float) -> SignalState:
        return self._phase_at(_seconds_since_midnight(self._wall_clock(t_s)))[0]

    def segments(self, duration_s: float) -> list[SignalSegment]:
        timeline = SignalTimeline(self.signal_id)
        for start_s, end_s in self._steady_clock_pieces(duration_s):
            t_s, clock_s = start_s, _seconds_since_midnight(self._wall_clock(start_s))
            while t_s < end_s - _BOUNDARY_EPS_S:
                state, phase_left_s = self._phase_at(clock_s)
                timeline.add(t_s, state)
                step_s = min(phase_left_s, _DAY_S - clock_s)  # the plan restarts at midnight
                t_s += step_s
                clock_s = (clock_s + step_s) % _DAY_S
        return timeline.segments(duration_s)

    def _phase_at(self, clock_s: float) -> tuple[SignalState, float]:
        """The phase at a time of day and the seconds left in it."""
        position_s = (clock_s - self._plan.offset_s) % self._plan.cycle_s
        if self._plan.cycle_s - position_s < _BOUNDARY_EPS_S:
            position_s = 0.0
        index = bisect_right(self._phase_ends_s, position_s + _BOUNDARY_EPS_S)
        return self._plan.phases[index][0], self._phase_ends_s[index] - position_s

    def _wall_clock(self, t_s: float) -> datetime:
        if self._clip_start.tzinfo is None:
            return self._clip_start + timedelta(seconds=t_s)
        # Aware arithmetic must go through UTC: the local clock may jump within the clip.
        instant = self._clip_start.astimezone(UTC) + timedelta(seconds=t_s)
        return instant.astimezone(self._clip_start.tzinfo)

    def _steady_clock_pieces(self, duration_s: float) -> list[tuple[float, float]]:
        """Split the clip where the local clock jumps (a daylight-saving change)."""
        if self._clip_start.tzinfo is None:
            return [(0.0, duration_s)]
        offset = self._wall_clock(0.0).utcoffset()
        if self._wall_clock(duration_s).utcoffset() == offset:
            return [(0.0, duration_s)]
        before_s, after_s = 0.0, duration_s
        while after_s - before_s > 1e-3:  # a clock change is on a whole second; find it to 1 ms
            middle_s = (before_s + after_s) / 2
            if self._wall_clock(middle_s).utcoffset() == offset:
                before_s = middle_s
            else:
                after_s = middle_s
        return [(0.0, after_s), (after_s, duration_s)]


def _seconds_since_midnight(wall: datetime) -> float:
    return wall.hour * 3600 + wall.minute * 60 + wall.second + wall.microsecond / 1e6
