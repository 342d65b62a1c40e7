"""One clip through the whole engine: clip -> frames -> detections -> tracks -> events.

The clip is streamed once. Tracked detections wait a moment in a short queue until the signal
monitor's state for their time is final, then join their track's history; a track is judged by
the rules when it leaves the scene, so memory holds only what is in view. Given a courier
attributor, a few crops of each two-wheeler in a lane are kept meanwhile (``CourierBook``), so
every lane passage and wrong-way event is attributed without decoding the clip again.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import supervision as sv

from detectors.config.camera import CameraConfig, camera_config_hash, camera_config_sha256
from detectors.continuity import (
    BoundaryState,
    already_reported,
    boundary_state,
    carried_tracks,
    frame_gap,
    gap_to,
    warm_up_frames,
    within_clip,
)
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.detections.detector import Detector
from detectors.detections.focus import ZoneFocus
from detectors.events.attribution import CourierBook
from detectors.events.courier import CourierAttributor
from detectors.events.pedestrian_red_light import PedestrianRedLight
from detectors.events.violation import Violation
from detectors.events.wrong_way import WrongWay, merge_id_switches
from detectors.frames.source import ClipInfo, DecodeReport, iter_frames, prefetched, probe_clip
from detectors.frames.view import ViewRegistrar, ViewReport, ViewTransform, load_reference
from detectors.signals.monitor import SignalMonitor
from detectors.signals.states import SignalSegment
from detectors.tracks.history import Track, TrackBook, mark_riders
from detectors.tracks.summary import TrackSummary, ZonePassage, passages, summarise
from detectors.tracks.tracker import TRACK_CLOSED_AFTER_S, Tracker

log = logging.getLogger(__name__)

Progress = Callable[[float], None]  # called with the clip seconds analysed so far
# Called once per analysed frame with (frame index, t_s, all detections, tracked detections,
# view): what evaluation's --explain records. Normal runs pass none and pay nothing.
FrameLog = Callable[[int, float, sv.Detections, sv.Detections, ViewTransform], None]


@dataclass
class ClipResult:
    clip: ClipInfo
    camera: CameraConfig  # scaled to the clip's resolution
    clip_start: datetime | None
    analysis_fps: float
    model_version: str
    config_hash: str
    camera_config_sha256: str = ""  # of the camera as configured, before scaling to the clip
    violations: list[Violation] = field(default_factory=list)
    signal_timeline: list[SignalSegment] = field(default_factory=list)
    tracks: list[TrackSummary] = field(default_factory=list)
    passages: list[ZonePassage] = field(default_factory=list)
    decode: DecodeReport = field(default_factory=DecodeReport)
    view: ViewReport = field(default_factory=ViewReport)
    runtime_s: float = 0.0
    continued: BoundaryState | None = None  # the previous clip's state this clip carried on from
    not_continued_because: str | None = None  # why a given previous state was not used
    boundary: BoundaryState | None = None  # this clip's state, for the next clip

    @property
    def analysed_duration_s(self) -> float:
        return self.decode.duration_s


class TrackJudge:
    """Applies every rule, courier attribution and the exposure summary to each finished track."""

    def __init__(self, camera: CameraConfig, result: ClipResult, couriers: CourierBook | None):
        self.red_light = PedestrianRedLight(camera)
        self.wrong_way = WrongWay(camera)
        self.couriers = couriers
        self.result = result

    def __call__(self, tracks: list[Track]) -> None:
        for track in tracks:
            wrong_way = self.wrong_way.violations(track)
            courier = (
                self.couriers.attribute_track(track.track_id, went_wrong_way=bool(wrong_way))
                if self.couriers
                else None
            )
            self.result.violations += self.red_light.violations(track) + wrong_way
            # A road user, and each of its passages, is counted by the clip it began in: one
            # carried over from the previous clip was counted there.
            if track.observations[0].t_s >= 0:
                self.result.tracks.append(summarise(track))
            self.result.passages += [
                p
                for p in passages(track, self.red_light, self.wrong_way, courier)
                if p.entered_s >= 0
            ]


def analyse_clip(
    clip_path: str | Path,
    camera: CameraConfig,
    detector: Detector,
    analysis_fps: float = DEFAULT_ANALYSIS_FPS,
    clip_start: datetime | None = None,
    progress: Progress | None = None,
    attributor: CourierAttributor | None = None,
    frame_log: FrameLog | None = None,
    after: BoundaryState | None = None,
) -> ClipResult:
    """The clip's violations, signal timeline and exposure; couriers attributed by ``attributor``
    (left unknown without one); what each frame showed handed to ``frame_log``, if given.
    ``after``: the boundary state of the camera's previous clip, used where this clip starts
    where that one ended (``continuity``)."""
    started = time.perf_counter()
    info = probe_clip(clip_path)
    configured_sha256 = camera_config_sha256(camera)
    camera = camera.scaled_to(info.width, info.height)
    rate = min(analysis_fps, info.fps)
    result = ClipResult(
        clip=info,
        camera=camera,
        clip_start=clip_start,
        analysis_fps=rate,
        model_version=detector.version,
        config_hash=camera_config_hash(camera),
        camera_config_sha256=configured_sha256,
    )
    monitor = SignalMonitor(camera.signals, rate, clip_start)
    previous, gap_s = _continued(result, after)
    if previous:
        monitor.resume(previous.signals, gap_s)
    focus = ZoneFocus(
        detector, camera, (info.width, info.height), previous.perspective if previous else None
    )
    tracker = Tracker(rate, first_id=previous.next_track_id if previous else 1)
    book = TrackBook(forget_after_s=TRACK_CLOSED_AFTER_S)
    if previous:
        carried = carried_tracks(previous, gap_s, frame_gap(gap_s, info.fps))
        tracker.warm_up(warm_up_frames(carried))
        book.resume(carried)
    couriers = CourierBook(camera.lanes, attributor) if attributor else None
    judge = TrackJudge(camera, result, couriers)
    registrar = ViewRegistrar((info.width, info.height), load_reference(camera), result.view)
    waiting: deque = deque()

    def settle(until_s: float) -> None:
        while waiting and waiting[0][1] <= until_s:
            index, t_s, tracked, view = waiting.popleft()
            book.add(index, t_s, tracked, monitor.states_at(t_s), view)

    for frame in prefetched(iter_frames(info, rate, clip_start, result.decode)):
        view = registrar.update(frame.t_s, frame.image)
        if registrar.changed:
            # The zones do not lie where they were drawn until the view is back: the frame is
            # only decoded (registration watches for the return), and the trackers see it empty
            # so that no track bridges the gap.
            tracker.update(sv.Detections.empty())
            if progress:
                progress(frame.t_s)
            continue
        monitor.update(frame.t_s, frame.image, view)
        detections = mark_riders(focus.detect(frame.image))
        tracked = tracker.update(detections)
        if frame_log:
            frame_log(frame.index, frame.t_s, detections, tracked, view)
        if couriers:
            couriers.add(frame.t_s, frame.image, tracked)
        waiting.append((frame.index, frame.t_s, tracked, view))
        settle(frame.t_s - monitor.lag_s)
        judge(book.pop_finished(frame.t_s - monitor.lag_s))
        if progress:
            progress(frame.t_s)

    view_report = result.view
    for change in view_report.changes:
        monitor.lose_view(change.start_s, change.end_s)
    result.signal_timeline = monitor.finish(result.analysed_duration_s)
    settle(float("inf"))
    last_tracks = book.pop_all()
    judge(last_tracks)
    if view_report.changes:
        # Nothing inside a change counts; events before one stand, marked with its start so
        # that a reviewer checks their zones.
        result.violations = [
            _marked_before_change(v, view_report)
            for v in result.violations
            if not view_report.changed_at(v.t_s)
        ]
        result.passages = [p for p in result.passages if not view_report.changed_at(p.entered_s)]
    result.violations = merge_id_switches(
        [v for v in result.violations if v.rule == "wrong_way"]
    ) + [v for v in result.violations if v.rule != "wrong_way"]
    result.violations = within_clip(already_reported(result.violations, previous))
    if couriers:
        result.violations = couriers.attribute_events(result.violations)
    result.violations.sort(key=lambda v: (v.t_s, v.rule, v.track_id))
    result.boundary = boundary_state(
        camera_id=camera.camera_id,
        config_hash=result.config_hash,
        clip_started_at=clip_start,
        duration_s=result.analysed_duration_s,
        frame_count=result.decode.frames_decoded,
        analysis_fps=rate,
        next_track_id=tracker.next_id,
        perspective=focus.perspective,
        signals={s.signal_id: s.state for s in result.signal_timeline},  # each one's last state
        last_tracks=last_tracks,
        violations=result.violations,
        previous=previous,
    )
    result.runtime_s = time.perf_counter() - started
    return result


def _continued(
    result: ClipResult, after: BoundaryState | None
) -> tuple[BoundaryState | None, float]:
    """``after`` and the seconds from its end to this clip's start if this clip carries on from
    it; else (None, 0), the reason kept in the result."""
    if after is None:
        return None, 0.0
    gap = gap_to(after, result.camera.camera_id, result.config_hash, result.clip_start)
    if isinstance(gap, str):
        log.warning("clip %s starts fresh: %s", result.clip.path.name, gap)
        result.not_continued_because = gap
        return None, 0.0
    result.continued = after
    return after, gap


def _marked_before_change(violation: Violation, view: ViewReport) -> Violation:
    change_s = view.next_change_s(violation.t_s)
    if change_s is None:
        return violation
    return replace(
        violation, details={**violation.details, "view_changed_at_s": round(change_s, 2)}
    )
