"""Why an evaluation missed a true event or raised a false one: the stage that lost it, and frames.

``civility evaluate SET --explain DIR`` records, for each clip, what the engine saw on every
analysed frame (``FrameLog``: all detections, the tracked ones and the view; boxes only, no
pixels, and only when asked, so a normal run pays nothing). After scoring, every missed true
event is traced through the stages in order and the first one that lost it is named:

- ``not detected``: no box of the rule's road users (persons; bicycles and motorcycles) within the
  position tolerance of the labelled point, within half a second of its time;
- ``not tracked``: boxes there, but none that the tracker kept in a track;
- ``not entered``: tracks there, but none with its feet (wheels) in the labelled zone;
- ``debounced``: a track entered the zone, but the rule's debounce (time outside and inside,
  motion, distance against the lane) turned it down;
- ``signal``: a pedestrian entered on a state other than red (as read);
- ``matching``: the rule fired for that track, but too far in time or place to be paired.

A false event is put down to ``signal`` when the signal was labelled and not red at its time,
else to ``detection`` (a road user, or a ghost, that no label describes). Each item gets a few
annotated frames (labelled position, boxes, tracks, zone, signal state) and a line in
``explain.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import supervision as sv

from detectors.config.camera import CameraConfig, load_camera
from detectors.detections.detector import BICYCLE, MOTORCYCLE, PERSON
from detectors.evaluation.eval_set import EvalClip, TruthEvent
from detectors.evaluation.matching import POSITION_TOLERANCE, TIME_TOLERANCE_S
from detectors.events.pedestrian_red_light import PedestrianRedLight
from detectors.events.violation import Violation
from detectors.events.zones import inside_flags, zone_for
from detectors.frames.view import IDENTITY, ViewTransform
from detectors.signals.states import SignalSegment, SignalState
from detectors.tracks.history import Track, TrackBook

NEAR_TIME_S = 0.5  # boxes within this of the labelled time count as "there"
FRAME_OFFSETS_S = (-0.5, 0.0, 0.5)  # frames drawn around each item
ROAD_USERS = {"pedestrian_red_light": (PERSON,), "wrong_way": (BICYCLE, MOTORCYCLE)}


@dataclass(frozen=True)
class FrameRecord:
    index: int
    t_s: float
    detections: sv.Detections  # every box the detector returned
    tracked: sv.Detections  # the boxes the tracker kept, with tracker ids
    view: ViewTransform


@dataclass
class FrameLog:
    """What the engine saw on each analysed frame; the pipeline calls it once per frame."""

    frames: list[FrameRecord] = field(default_factory=list)

    def __call__(
        self,
        index: int,
        t_s: float,
        detections: sv.Detections,
        tracked: sv.Detections,
        view: ViewTransform = IDENTITY,
    ) -> None:
        self.frames.append(FrameRecord(index, t_s, detections, tracked, view))

    def around(self, t_s: float, within_s: float) -> list[FrameRecord]:
        return [f for f in self.frames if abs(f.t_s - t_s) <= within_s + 1e-9]


@dataclass(frozen=True)
class Explanation:
    kind: str  # "missed" or "false"
    rule: str
    t_s: float
    x: float
    y: float
    zone: str
    stage: str
    why: str
    frames: tuple[str, ...] = ()  # PNG file names, relative to the explain folder


def stage_of_miss(
    event: TruthEvent,
    log: FrameLog,
    camera: CameraConfig,
    tracks: dict[int, Track],
    violations: Sequence[Violation],
    paired: dict[str, float],
    frame_width: int,
) -> tuple[str, str]:
    """The first stage that lost a true event, and a sentence saying how (module docstring).

    The labelled road user is the box nearest the label around its time; ``tracks`` are the
    clip's ``recorded_tracks``; ``paired`` maps the event ids of detections matched to other
    labels to those labels' times.
    """
    classes = ROAD_USERS[event.rule]
    radius = POSITION_TOLERANCE * frame_width
    near = log.around(event.t, NEAR_TIME_S)
    if not any(_nearest(f.detections, classes, event, radius) is not None for f in near):
        return "not detected", f"no {_names(classes)} box within {radius:.0f} px of the label"
    nearest_tracks = [_nearest(f.tracked, classes, event, radius) for f in near]
    track_ids = [int(d.tracker_id[0]) for d in nearest_tracks if d is not None]
    if not track_ids:
        return "not tracked", "boxes near the label, none kept in a track"
    track_id = Counter(track_ids).most_common(1)[0][0]
    track = tracks.get(track_id, Track(track_id))
    if not _enters(track, camera, event):
        return "not entered", f"track {track_id}, nearest the label, never in zone '{event.zone}'"
    fired = [v for v in violations if v.rule == event.rule and v.track_id == track_id]
    if fired and all(v.event_id in paired for v in fired):
        label_s = ", ".join(f"{paired[v.event_id]:.2f} s" for v in fired)
        if event.t_end is not None:
            # Matched by time only: the nearest track's event may rightly belong to the other
            # label, and this road user may have had no track, or too short a one, of its own.
            return "not tracked", (
                f"track {track_id}, nearest the label, fired but was paired with the label at "
                f"{label_s} (labels with t_end are matched by time only): no other event in this "
                "label's window; its road user had no track of its own, or one the rule turned down"
            )
        return "not tracked", (
            f"track {track_id} fired but was paired with the label at {label_s}: one track "
            "carried two road users"
        )
    if fired:
        return "matching", (
            f"the rule fired for track {track_id} at {fired[0].t_s:.2f} s, beyond "
            f"{TIME_TOLERANCE_S:.0f} s or the position tolerance of the label"
        )
    if event.rule == "pedestrian_red_light":
        entries = [
            e for e in PedestrianRedLight(camera).entries(track) if e.crosswalk.id == event.zone
        ]
        if entries:
            states = sorted({str(e.signal_state) for e in entries})
            return "signal", f"entered zone '{event.zone}' while the signal read {'/'.join(states)}"
    return "debounced", f"track {track_id} entered zone '{event.zone}'; the rule turned it down"


def stage_of_false(violation: Violation, timeline: Sequence[SignalSegment]) -> tuple[str, str]:
    """Why a detection matched no label: a misread signal, or a detection no label describes."""
    if violation.rule == "pedestrian_red_light" and violation.signal_id:
        read = _state_at(timeline, violation.signal_id, violation.t_s)
        if read not in (None, SignalState.RED):
            return "signal", f"signal '{violation.signal_id}' was {read} yet the rule fired"
    return "detection", (
        f"track {violation.track_id} ({violation.class_name}, confidence "
        f"{violation.confidence:.2f}) matches no labelled event: a ghost, a road user taken for "
        "another, or an unlabelled event"
    )


def explain_clip(
    clip: EvalClip,
    missed: Sequence[TruthEvent],
    false: Sequence[Violation],
    log: FrameLog,
    timeline: Sequence[SignalSegment],
    violations: Sequence[Violation],
    paired: dict[str, float],
    frame_width: int,
    out_dir: Path,
) -> list[Explanation]:
    """Classify and draw every missed and false event of one clip into ``out_dir``."""
    camera = load_camera(clip.camera)
    tracks = recorded_tracks(log, timeline) if missed else {}
    items = []
    for event in missed:
        stage, why = stage_of_miss(event, log, camera, tracks, violations, paired, frame_width)
        items.append(
            Explanation("missed", event.rule, event.t, event.x, event.y, event.zone, stage, why)
        )
    for violation in false:
        stage, why = stage_of_false(violation, timeline)
        items.append(
            Explanation(
                "false",
                violation.rule,
                violation.t_s,
                violation.x,
                violation.y,
                violation.zone_id,
                stage,
                why,
            )
        )
    if not items:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    drawn = []
    for number, item in enumerate(items, start=1):
        stem = f"{clip.video.stem}-{clip.camera_id}-{item.kind}-{number:02d}"
        names = _draw(clip.video, camera, item, log, timeline, out_dir, stem)
        drawn.append(Explanation(**{**item.__dict__, "frames": tuple(names)}))
    return drawn


def write_index(explanations: dict[str, list[Explanation]], out_dir: Path) -> Path:
    """``explain.md``: one section per clip, one line and its frames per item."""
    lines = ["# Missed and false events", ""]
    for clip, items in explanations.items():
        if not items:
            continue
        lines += [f"## {clip}", ""]
        for item in items:
            lines.append(
                f"- **{item.kind}** {item.rule} at {item.t_s:.2f} s, ({item.x:.0f}, {item.y:.0f}) "
                f"in '{item.zone}': lost at **{item.stage}**: {item.why}"
            )
            lines += [f"  ![{name}]({name})" for name in item.frames]
        lines.append("")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "explain.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _nearest(
    detections: sv.Detections, classes: tuple[int, ...], event: TruthEvent, radius: float
) -> sv.Detections | None:
    """The box of ``classes`` whose bottom-centre is nearest the label, within ``radius``."""
    if len(detections) == 0:
        return None
    feet_x = (detections.xyxy[:, 0] + detections.xyxy[:, 2]) / 2
    distance = np.hypot(feet_x - event.x, detections.xyxy[:, 3] - event.y)
    distance[~np.isin(detections.class_id, classes)] = np.inf
    best = int(np.argmin(distance))
    return detections[best : best + 1] if distance[best] <= radius else None


def _names(classes: tuple[int, ...]) -> str:
    return "person" if classes == (PERSON,) else "bicycle or motorcycle"


def recorded_tracks(log: FrameLog, timeline: Sequence[SignalSegment]) -> dict[int, Track]:
    """Every track the tracker made, by id, rebuilt from the log as the pipeline's book builds
    them (a clip evaluated alone), with the signal states as read."""
    book = TrackBook(forget_after_s=float("inf"))
    signals = sorted({s.signal_id for s in timeline})
    for frame in log.frames:
        states = {
            sid: _state_at(timeline, sid, frame.t_s) or SignalState.UNKNOWN for sid in signals
        }
        book.add(frame.index, frame.t_s, frame.tracked, states, frame.view)
    return {track.track_id: track for track in book.pop_all()}


def _enters(track: Track, camera: CameraConfig, event: TruthEvent) -> bool:
    zones = camera.crosswalks if event.rule == "pedestrian_red_light" else camera.lanes
    zone = next((z for z in zones if z.id == event.zone), None)
    if zone is None or not track.observations:
        return False
    return bool(inside_flags(zone_for(zone.polygon), track.observations).any())


def _state_at(timeline: Sequence[SignalSegment], signal_id: str, t_s: float) -> SignalState | None:
    return next(
        (s.state for s in timeline if s.signal_id == signal_id and s.from_s <= t_s < s.to_s), None
    )


def _draw(
    video: Path,
    camera: CameraConfig,
    item: Explanation,
    log: FrameLog,
    timeline: Sequence[SignalSegment],
    out_dir: Path,
    stem: str,
) -> list[str]:
    capture = cv2.VideoCapture(str(video))
    names = []
    try:
        for offset in FRAME_OFFSETS_S:
            nearest = min(log.frames, key=lambda f: abs(f.t_s - (item.t_s + offset)), default=None)
            if nearest is None:
                break
            capture.set(cv2.CAP_PROP_POS_FRAMES, nearest.index)
            ok, image = capture.read()
            if not ok:
                continue
            scaled = camera.scaled_to(image.shape[1], image.shape[0])
            name = f"{stem}-{'before' if offset < 0 else 'at' if offset == 0 else 'after'}.png"
            cv2.imwrite(str(out_dir / name), _annotate(image, scaled, item, nearest, timeline))
            names.append(name)
    finally:
        capture.release()
    return names


def _annotate(
    image: np.ndarray,
    camera: CameraConfig,
    item: Explanation,
    frame: FrameRecord,
    timeline: Sequence[SignalSegment],
) -> np.ndarray:
    thickness = max(1, image.shape[1] // 640)
    zones = camera.crosswalks if item.rule == "pedestrian_red_light" else camera.lanes
    for zone in zones:
        polygon = np.round(frame.view.to_frame(np.asarray(zone.polygon, float))).astype(np.int32)
        colour = (0, 220, 255) if zone.id == item.zone else (120, 120, 120)
        cv2.polylines(image, [polygon], True, colour, thickness)
    for box in frame.detections.xyxy:
        x1, y1, x2, y2 = (int(v) for v in box)
        cv2.rectangle(image, (x1, y1), (x2, y2), (160, 160, 160), thickness)
    track_ids = frame.tracked.tracker_id if frame.tracked.tracker_id is not None else []
    for box, track_id in zip(frame.tracked.xyxy, track_ids, strict=False):
        x1, y1, x2, y2 = (int(v) for v in box)
        cv2.rectangle(image, (x1, y1), (x2, y2), (255, 0, 255), thickness)
        cv2.putText(
            image,
            str(int(track_id)),
            (x1, max(12, y1 - 3)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5 * thickness,
            (255, 0, 255),
            thickness,
        )
    colour = (0, 200, 0) if item.kind == "missed" else (0, 0, 255)
    size = int(12 * thickness)
    centre = (int(item.x), int(item.y))
    cv2.drawMarker(image, centre, colour, cv2.MARKER_CROSS, 2 * size, 2 * thickness)
    states = ", ".join(
        f"{s.signal_id}={s.state}" for s in timeline if s.from_s <= frame.t_s < s.to_s
    )
    header = (
        f"{item.kind} {item.rule} t={item.t_s:.2f}s | frame {frame.index} ({frame.t_s:.2f}s) | "
        f"stage: {item.stage} | {states or 'no signal'}"
    )
    cv2.rectangle(image, (0, 0), (image.shape[1], 22 * thickness), (24, 24, 24), -1)
    cv2.putText(
        image,
        header,
        (4, 16 * thickness),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.5 * thickness,
        (255, 255, 255),
        thickness,
    )
    return image
