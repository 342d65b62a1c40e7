"""From per-frame lamp readings to a signal's final state, with a short lookahead.

The readings (``vision.HeadReading.state()``) are a lamp colour, ``OFF`` (nothing lit in that
frame) or ``UNKNOWN`` (contradictory). The final state of each frame is decided once the stream
has run ``lag_s`` past it, so a change can be dated at the first frame of the new state instead of
after the evidence for it has piled up. The rules follow what a lamp can physically do:

- a new colour counts only once it holds most of the next ``CONFIRM_S`` (and at least two frames):
  one corrupted frame never flips the state;
- a stretch with no confident lamp (dark, contradictory or unconfirmed frames) of up to
  ``BRIDGE_S`` is a dropout (compression, LED flicker beating with the shutter, a passing
  vehicle, the dark instant of a changeover) and keeps the state before it; a longer one is
  ``UNKNOWN`` from its start, and ``OFF`` once it has been mostly dark for ``OFF_AFTER_S``;
- green whose dark gaps and lit stretches both last at most ``FLASH_PHASE_S`` is flashing green
  (lamps flash at roughly 1-2 Hz). One short gap may be a dropout, so flashing needs two gaps one
  short lit stretch apart; it is dated one lit phase (as long as the lit stretch between those
  two gaps) before the first gap, since the lamp's first flash is lit like steady green.

The lookahead ``lag_s`` covers a lit phase, a dark one and the next lit one (1.8 s), and at
least ``BRIDGE_S + CONFIRM_S`` (more only below 4 fps, where the confirmation must still reach
the next frame): enough to see a dropout end and the colour after it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from detectors.signals.states import SignalState, lamp_colour

CONFIRM_S = 0.4
BRIDGE_S = 0.6
FLASH_PHASE_S = 0.6
# A flash's dark phase lasts a quarter second or more (measured from its first dark frame to the
# next lit one); a single dark frame at 10 fps or more is a dropout, not a flash.
FLASH_MIN_DARK_S = 0.15
OFF_AFTER_S = 3.0
# BRIDGE_S and FLASH_PHASE_S hold for frames at most this far apart. A stretch is measured from
# its first frame to the first frame after it, so between sparser frames it can read up to one
# frame interval longer than it lasted: below 10 fps both grow by the extra interval (at 3 fps a
# 1 Hz flash's half-second phases measure 0.67 s).
_DENSE_INTERVAL_S = 0.1
# Frame times are multiples of the clip's frame period; float sums of them need a tolerance.
_TIME_EPS_S = 1e-6


@dataclass(frozen=True)
class Reading:
    t_s: float
    state: SignalState


class LampSmoother:
    """Streams readings in and final states out, ``lag_s`` behind the newest reading."""

    def __init__(self, frame_interval_s: float):
        # At low analysis rates the confirmation window must still reach the next frame.
        self.confirm_s = max(CONFIRM_S, 1.5 * frame_interval_s)
        slack_s = max(0.0, frame_interval_s - _DENSE_INTERVAL_S)
        self.bridge_s = BRIDGE_S + slack_s
        self.flash_phase_s = FLASH_PHASE_S + slack_s
        self.lag_s = max(self.bridge_s + self.confirm_s, 3 * self.flash_phase_s)
        self._pending: deque[Reading] = deque()
        self._state = SignalState.UNKNOWN
        # The stretch of frames without a confident lamp that the oldest frame belongs to.
        self._gap_frames = 0
        self._gap_dark_frames = 0
        self._gap_start_s = 0.0
        self._gap_state = SignalState.UNKNOWN
        # End of the last short dark gap read as a dropout in steady green: a second gap soon
        # after it means the lamp is flashing.
        self._green_dropout_end_s = -float("inf")

    def resume(self, state: SignalState, gap_s: float) -> None:
        """Carry on from ``state``, the final state of the stream's previous part (the camera's
        previous clip), which ended ``gap_s`` seconds before the first reading to come. A lit
        state stands for the first frames as it would have within one clip: through a dark or
        unconfirmed start, and into a flash already under way. A gap the smoother would not
        bridge as a dropout tells nothing of the lamp after it."""
        if self._pending:
            raise RuntimeError("resume() after push(): resume a smoother before its first frame")
        if lamp_colour(state) is not None and gap_s <= self.bridge_s + _TIME_EPS_S:
            self._state = state

    def push(self, t_s: float, reading: SignalState) -> list[Reading]:
        """Add one frame's reading; return the frames whose state became final, oldest first."""
        if self._pending and t_s <= self._pending[-1].t_s:
            raise ValueError(f"frame times must increase: {t_s} s after {self._pending[-1].t_s} s")
        self._pending.append(Reading(t_s, reading))
        decided = []
        while self._pending[0].t_s + self.lag_s <= t_s + _TIME_EPS_S:
            decided.append(self._decide_oldest(stream_ended=False))
        return decided

    def flush(self) -> list[Reading]:
        """Decide every remaining frame with whatever lookahead the stream left."""
        return [self._decide_oldest(stream_ended=True) for _ in range(len(self._pending))]

    def _decide_oldest(self, stream_ended: bool) -> Reading:
        frames = list(self._pending)
        colour = lamp_colour(frames[0].state)
        if colour is not None and colour == lamp_colour(self._state):
            state = self._lit_again(frames) if self._gap_frames else self._state
            if state == SignalState.GREEN and self._first_flash(frames):
                state = SignalState.FLASHING_GREEN
            self._gap_frames = 0
        elif colour is not None and self._confirmed(frames, 0):
            state = colour
            self._gap_frames = 0
        else:
            state = self._in_gap(frames, stream_ended)
        self._pending.popleft()
        self._state = state
        return Reading(frames[0].t_s, state)

    def _lit_again(self, frames: list[Reading]) -> SignalState:
        """The current lamp lights after a gap; while flashing, a long lit stretch is steady."""
        if self._state != SignalState.FLASHING_GREEN:
            return self._state
        end = _first(frames, 1, lambda i: frames[i].state != SignalState.GREEN)
        lit_until_s = frames[end].t_s if end is not None else frames[-1].t_s
        if end is None and lit_until_s - frames[0].t_s < self.flash_phase_s:
            return SignalState.FLASHING_GREEN  # the stream ended before the stretch could tell
        is_short = lit_until_s - frames[0].t_s <= self.flash_phase_s + _TIME_EPS_S
        return SignalState.FLASHING_GREEN if is_short else SignalState.GREEN

    def _in_gap(self, frames: list[Reading], stream_ended: bool) -> SignalState:
        if not self._gap_frames:
            self._gap_start_s = frames[0].t_s
            self._gap_dark_frames = 0
            self._gap_state = self._gap_state_from(frames, stream_ended)
        self._gap_frames += 1
        self._gap_dark_frames += frames[0].state == SignalState.OFF
        long_dark = (
            frames[0].t_s - self._gap_start_s >= OFF_AFTER_S
            and 2 * self._gap_dark_frames > self._gap_frames
        )
        if self._gap_state == SignalState.UNKNOWN and long_dark:
            return SignalState.OFF
        return self._gap_state

    def _gap_state_from(self, frames: list[Reading], stream_ended: bool) -> SignalState:
        """Decided at a gap's first frame: a dropout, a flash, or a real loss of the lamp."""
        start_s = frames[0].t_s
        current = lamp_colour(self._state)
        end = _first(
            frames,
            1,
            lambda i: (
                (colour := lamp_colour(frames[i].state)) is not None
                and (colour == current or self._confirmed(frames, i))
            ),
        )
        if end is None:
            seen_s = frames[-1].t_s - start_s
            return self._state if stream_ended and seen_s < self.bridge_s else SignalState.UNKNOWN
        gap_s = frames[end].t_s - start_s
        if gap_s > self.bridge_s + _TIME_EPS_S:
            return SignalState.UNKNOWN
        is_green_flash_gap = (
            current == SignalState.GREEN
            and frames[end].state == SignalState.GREEN
            and FLASH_MIN_DARK_S <= gap_s <= self.flash_phase_s + _TIME_EPS_S
            and all(r.state == SignalState.OFF for r in frames[:end])
        )
        if not is_green_flash_gap or self._state == SignalState.FLASHING_GREEN:
            return self._state
        if self._second_flash_gap(frames, end):
            return SignalState.FLASHING_GREEN
        self._green_dropout_end_s = frames[end].t_s
        return SignalState.GREEN

    def _first_flash(self, frames: list[Reading]) -> bool:
        """``frames[0]``, lit green, is the first lit phase of flashing: within one lit phase
        comes a dark flash gap, then a short lit stretch, then another dark gap."""
        green, dark = SignalState.GREEN, SignalState.OFF
        gap = _first(frames, 1, lambda i: frames[i].state != green)
        if gap is None or frames[gap].state != dark:
            return False
        relit = _first(frames, gap, lambda i: frames[i].state != dark)
        if relit is None or frames[relit].state != green:
            return False
        dark_s = frames[relit].t_s - frames[gap].t_s
        next_gap = _first(frames, relit, lambda i: frames[i].state != green)
        if next_gap is None or frames[next_gap].state != dark:
            return False
        lit_s = frames[next_gap].t_s - frames[relit].t_s
        return (
            FLASH_MIN_DARK_S <= dark_s <= self.flash_phase_s + _TIME_EPS_S
            and lit_s <= self.flash_phase_s + _TIME_EPS_S
            and frames[gap].t_s - frames[0].t_s <= lit_s + _TIME_EPS_S
        )

    def _second_flash_gap(self, frames: list[Reading], end: int) -> bool:
        """Another dark gap one short lit stretch before or after this one."""
        if frames[0].t_s - self._green_dropout_end_s <= self.flash_phase_s + _TIME_EPS_S:
            return True
        after = _first(frames, end + 1, lambda i: frames[i].state != SignalState.GREEN)
        return (
            after is not None
            and frames[after].state == SignalState.OFF
            and frames[after].t_s - frames[end].t_s <= self.flash_phase_s + _TIME_EPS_S
        )

    def _confirmed(self, frames: list[Reading], index: int) -> bool:
        """The colour read at ``frames[index]`` holds most of the confirmation window."""
        colour = frames[index].state
        horizon_s = frames[index].t_s + self.confirm_s + _TIME_EPS_S
        window = [r.state for r in frames[index:] if r.t_s <= horizon_s]
        if len(window) < 2:  # frames sparser than announced: the next one must still agree
            window = [r.state for r in frames[index : index + 2]]
        votes = window.count(colour)
        return 2 * votes > len(window) and votes >= min(2, len(window))


def _first(frames: list[Reading], start: int, matches: Callable[[int], bool]) -> int | None:
    return next((i for i in range(start, len(frames)) if matches(i)), None)
