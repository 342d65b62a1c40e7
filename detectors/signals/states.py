"""The states a traffic signal can be in (shared/spec/camera-config.md), and its timeline."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import StrEnum


class SignalState(StrEnum):
    RED = "red"
    GREEN = "green"
    FLASHING_GREEN = "flashing_green"
    AMBER = "amber"
    OFF = "off"
    UNKNOWN = "unknown"


LAMP_COLOURS = (SignalState.RED, SignalState.AMBER, SignalState.GREEN)


def lamp_colour(state: SignalState) -> SignalState | None:
    """The lamp that is lit in ``state`` (flashing green lights the green lamp), if any."""
    if state == SignalState.FLASHING_GREEN:
        return SignalState.GREEN
    return state if state in LAMP_COLOURS else None


@dataclass(frozen=True)
class SignalSegment:
    """One stretch of a signal's timeline: ``state`` from ``from_s`` to ``to_s`` (clip seconds)."""

    signal_id: str
    from_s: float
    to_s: float
    state: SignalState


class SignalTimeline:
    """One signal's state changes, kept merged, so memory grows with changes, not frames.

    The first state reaches back to 0 s and the last one on to the clip's end.
    """

    def __init__(self, signal_id: str):
        self.signal_id = signal_id
        self._change_times: list[float] = []
        self._states: list[SignalState] = []

    def add(self, t_s: float, state: SignalState) -> None:
        """The signal is in ``state`` from ``t_s`` on (``t_s`` not before the last change)."""
        if self._change_times and t_s < self._change_times[-1]:
            raise ValueError(f"{self.signal_id}: change at {t_s} s is before the last one")
        if self._change_times and t_s == self._change_times[-1]:
            self._change_times.pop()  # two states at one instant: the later one holds
            self._states.pop()
        if not self._states or self._states[-1] != state:
            self._change_times.append(t_s)
            self._states.append(state)

    def blank(self, from_s: float, to_s: float | None = None) -> None:
        """``unknown`` from ``from_s`` until ``to_s`` (None: on to the end), whatever was read
        there; the state read at ``to_s`` holds again from it."""
        changes = list(zip(self._change_times, self._states, strict=True))
        resumed = self.state_at(to_s) if to_s is not None else None
        self._change_times, self._states = [], []
        for t_s, state in changes:
            if t_s < from_s:
                self.add(t_s, state)
        self.add(from_s, SignalState.UNKNOWN)
        if to_s is None or resumed is None:
            return
        self.add(to_s, resumed)
        for t_s, state in changes:
            if t_s > to_s:
                self.add(t_s, state)

    def state_at(self, t_s: float) -> SignalState:
        if not self._states:
            return SignalState.UNKNOWN
        return self._states[max(0, bisect_right(self._change_times, t_s) - 1)]

    def segments(self, duration_s: float) -> list[SignalSegment]:
        """Contiguous segments covering [0, duration_s], one per change inside it."""
        if duration_s <= 0:
            raise ValueError(f"{self.signal_id}: clip duration must be positive, not {duration_s}")
        if not self._states:
            return [SignalSegment(self.signal_id, 0.0, duration_s, SignalState.UNKNOWN)]
        first = max(0, bisect_right(self._change_times, 0.0) - 1)
        last = max(first + 1, bisect_left(self._change_times, duration_s))
        starts = [0.0, *self._change_times[first + 1 : last]]
        ends = [*starts[1:], duration_s]
        return [
            SignalSegment(self.signal_id, start, end, state)
            for start, end, state in zip(starts, ends, self._states[first:last], strict=True)
        ]
