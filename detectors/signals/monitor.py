"""Signal state for every configured signal of a clip, from frames streamed one at a time.

The pipeline calls ``update`` for each analysed frame, asks ``states_at`` for final states once
the stream is ``lag_s`` past them, and calls ``finish`` for the whole timeline. Vision signals keep
only the lookahead window of readings and their merged changes, so memory does not grow with the
clip's length; timeline and plan signals need no frames at all.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from detectors.config.camera import PlanSignal, TimelineSignal, VisionSignal, within_frame
from detectors.config.errors import InputError
from detectors.frames.view import IDENTITY, ViewTransform
from detectors.signals.schedule import PlanSchedule, TimelineSchedule
from detectors.signals.smoothing import LampSmoother
from detectors.signals.states import LAMP_COLOURS, SignalSegment, SignalState, SignalTimeline
from detectors.signals.vision import read_head

# Below this many pixels per lamp along the head (or across it) there is no lens to measure.
_MIN_LAMP_PX = 3


class VisionTrack:
    """One vision signal: reads its ROI in each frame and smooths the readings over time."""

    def __init__(self, signal: VisionSignal, frame_interval_s: float):
        self.signal = signal
        self._lamps = signal.lamp_order()
        self._layout = signal.head_layout()
        _check_head(signal, self._lamps, self._layout)
        self.smoother = LampSmoother(frame_interval_s)
        self.timeline = SignalTimeline(signal.id)
        self._roi: tuple[slice, slice] | None = None
        self._roi_view: ViewTransform | None = None

    def update(self, t_s: float, frame_bgr: np.ndarray, view: ViewTransform = IDENTITY) -> None:
        if self._roi is None:
            _roi_slices(self.signal.roi, self.signal, frame_bgr.shape)  # drawn inside the frame
        if self._roi_view is not view:  # the roi moves with the view
            self._roi = _roi_slices(view.roi_to_frame(self.signal.roi), None, frame_bgr.shape)
            self._roi_view = view
        assert self._roi is not None
        crop = frame_bgr[self._roi]
        _, _, width, height = self.signal.roi
        if 2 * crop.shape[0] < height or 2 * crop.shape[1] < width:
            reading = SignalState.UNKNOWN  # the view carried most of the head out of the frame
        else:
            reading = read_head(crop, self._lamps, self._layout).state()
        for decided in self.smoother.push(t_s, reading):
            self.timeline.add(decided.t_s, decided.state)

    def finish(self, lost_views: list[tuple[float, float | None]]) -> None:
        """Decide the frames still pending; within ``lost_views`` (from, until; None: the end)
        the roi was not on the head, so the lamp is ``unknown`` there."""
        for decided in self.smoother.flush():
            self.timeline.add(decided.t_s, decided.state)
        for from_s, to_s in lost_views:
            self.timeline.blank(from_s, to_s)


class SignalMonitor:
    """The state of each signal over a clip; see the module docstring for the protocol."""

    def __init__(
        self,
        signals: list[VisionSignal | TimelineSignal | PlanSignal],
        analysis_fps: float,
        clip_start: datetime | None,
    ):
        if analysis_fps <= 0:
            raise InputError(f"analysis rate {analysis_fps} fps must be positive, e.g. 5")
        self._signal_ids = [signal.id for signal in signals]
        self._vision = [
            VisionTrack(s, 1 / analysis_fps) for s in signals if isinstance(s, VisionSignal)
        ]
        self._schedules: dict[str, TimelineSchedule | PlanSchedule] = {
            s.id: TimelineSchedule(s) for s in signals if isinstance(s, TimelineSignal)
        } | {s.id: PlanSchedule(s, clip_start) for s in signals if isinstance(s, PlanSignal)}
        self.lag_s = max((track.smoother.lag_s for track in self._vision), default=0.0)
        self._newest_t_s = -float("inf")
        self._finished = False
        self._lost_views: list[tuple[float, float | None]] = []

    def resume(self, states: dict[str, SignalState], gap_s: float) -> None:
        """Carry each vision signal on from its final state at the end of the camera's previous
        clip, which ended ``gap_s`` seconds before this clip's start (``LampSmoother.resume``).
        Timelines and plans need nothing: their states follow from the clock."""
        for track in self._vision:
            if track.signal.id in states:
                track.smoother.resume(states[track.signal.id], gap_s)

    def update(self, t_s: float, frame_bgr: np.ndarray, view: ViewTransform = IDENTITY) -> None:
        """Read one analysed frame (``t_s`` seconds into the clip, increasing) whose view of the
        scene is ``view`` (the lamp rois move with it)."""
        if self._finished:
            raise RuntimeError("update() after finish(): start a new SignalMonitor per clip")
        self._newest_t_s = t_s
        for track in self._vision:
            track.update(t_s, frame_bgr, view)

    def lose_view(self, from_s: float, to_s: float | None = None) -> None:
        """The camera's view was elsewhere from ``from_s`` until ``to_s`` (None: the clip's end):
        lamps are not read in between (the pipeline sends no frames), and every vision signal
        is ``unknown`` there in the timeline ``finish`` returns."""
        if self._finished:
            raise RuntimeError("lose_view() after finish(): start a new SignalMonitor per clip")
        self._lost_views.append((from_s, to_s))

    def states_at(self, t_s: float) -> dict[str, SignalState]:
        """Final states at ``t_s``: up to ``lag_s`` before the newest frame, or any after finish."""
        if not self._finished and self._vision and t_s > self._newest_t_s - self.lag_s + 1e-6:
            raise ValueError(
                f"signal states at {t_s:.3f} s are not final yet: the newest frame is at "
                f"{self._newest_t_s:.3f} s and vision lags {self.lag_s:.2f} s behind it"
            )
        states = {track.signal.id: track.timeline.state_at(t_s) for track in self._vision}
        states |= {signal_id: s.state_at(t_s) for signal_id, s in self._schedules.items()}
        return {signal_id: states[signal_id] for signal_id in self._signal_ids}

    def finish(self, duration_s: float) -> list[SignalSegment]:
        """The clip's timeline: each signal's contiguous, merged segments over [0, duration_s]."""
        if not self._finished:
            for track in self._vision:
                track.finish(self._lost_views)
            self._finished = True
        per_signal = {t.signal.id: t.timeline.segments(duration_s) for t in self._vision}
        per_signal |= {sid: s.segments(duration_s) for sid, s in self._schedules.items()}
        return [segment for signal_id in self._signal_ids for segment in per_signal[signal_id]]


def _check_head(signal: VisionSignal, lamps: list[SignalState], layout: str) -> None:
    not_lamps = [lamp.value for lamp in lamps if lamp not in LAMP_COLOURS]
    if not_lamps:
        raise InputError(
            f"signal '{signal.id}': lamps {not_lamps} are not lamp colours; list the head's "
            "lamps in order using red, amber and green"
        )
    width, height = signal.roi[2:]
    along, across = (height, width) if layout == "vertical" else (width, height)
    if along < _MIN_LAMP_PX * len(lamps) or across < _MIN_LAMP_PX:
        raise InputError(
            f"signal '{signal.id}': roi is {width}x{height} px in this clip, too small to tell "
            f"{len(lamps)} {layout} lamps apart; draw the roi around the whole head, use a "
            "sharper clip, or describe the signal with a timeline or plan"
        )


def _roi_slices(
    roi: tuple[int, int, int, int], signal: VisionSignal | None, frame_shape: tuple[int, ...]
) -> tuple[slice, slice]:
    """The crop of ``roi``; given the ``signal`` it was drawn for, an roi reaching outside the
    frame is an error (a moved roi is only clamped: the view may carry it past the edge)."""
    x, y, w, h = roi
    height, width = frame_shape[:2]
    inside = within_frame(x, y, width, height) and within_frame(x + w, y + h, width, height)
    if signal is not None and not inside:
        raise InputError(
            f"signal '{signal.id}': roi {list(signal.roi)} reaches outside this clip's "
            f"{width}x{height} frames; scale the camera config to the clip "
            "(CameraConfig.scaled_to) or fix the roi"
        )
    return slice(max(0, y), min(height, y + h)), slice(max(0, x), min(width, x + w))
