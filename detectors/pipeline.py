"""One clip through the whole engine: clip -> frames -> detections -> tracks -> events.

The clip is streamed once. Tracked detections wait a moment in a short queue until the signal
monitor's state for their time is final, then join their track's history; a track is judged by
the rules when it leaves the scene, so memory holds only what is in view. Given a courier
attributor, a few crops of each two-wheeler in a lane are kept meanwhile (``CourierBook``), so
every lane passage and wrong-way event is attributed without decoding the clip again.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import supervision as sv

from detectors.config.camera import CameraConfig, camera_config_hash
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.detections.detector import Detector
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
from detectors.tracks.tracker import Tracker

TRACK_MEMORY_S = 2.0

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
    violations: list[Violation] = field(default_factory=list)
    signal_timeline: list[SignalSegment] = field(default_factory=list)
    tracks: list[TrackSummary] = field(default_factory=list)
    passages: list[ZonePassage] = field(default_factory=list)
    decode: DecodeReport = field(default_factory=DecodeReport)
    view: ViewReport = field(default_factory=ViewReport)
    runtime_s: float = 0.0

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
            self.result.tracks.append(summarise(track))
            self.result.passages += passages(track, self.red_light, self.wrong_way, courier)


def analyse_clip(
    clip_path: str | Path,
    camera: CameraConfig,
    detector: Detector,
    analysis_fps: float = DEFAULT_ANALYSIS_FPS,
    clip_start: datetime | None = None,
    progress: Progress | None = None,
    attributor: CourierAttributor | None = None,
    frame_log: FrameLog | None = None,
) -> ClipResult:
    """The clip's violations, signal timeline and exposure; couriers attributed by ``attributor``
    (left unknown without one); what each frame showed handed to ``frame_log``, if given."""
    started = time.perf_counter()
    info = probe_clip(clip_path)
    camera = camera.scaled_to(info.width, info.height)
    rate = min(analysis_fps, info.fps)
    result = ClipResult(
        clip=info,
        camera=camera,
        clip_start=clip_start,
        analysis_fps=rate,
        model_version=detector.version,
        config_hash=camera_config_hash(camera),
    )
    monitor = SignalMonitor(camera.signals, rate, clip_start)
    tracker = Tracker(rate, memory_s=TRACK_MEMORY_S)
    book = TrackBook(forget_after_s=TRACK_MEMORY_S + 0.5)
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
        detections = mark_riders(detector.detect(frame.image))
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
    judge(book.pop_all())
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
    if couriers:
        result.violations = couriers.attribute_events(result.violations)
    result.violations.sort(key=lambda v: (v.t_s, v.rule, v.track_id))
    result.runtime_s = time.perf_counter() - started
    return result


def _marked_before_change(violation: Violation, view: ViewReport) -> Violation:
    change_s = view.next_change_s(violation.t_s)
    if change_s is None:
        return violation
    return replace(
        violation, details={**violation.details, "view_changed_at_s": round(change_s, 2)}
    )
