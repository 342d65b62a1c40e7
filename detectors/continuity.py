"""Clip continuity: a clip is a cut of a continuous camera stream, and the next clip of the same
camera carries on where this one ended.

Each analysed clip leaves a small boundary state (``boundary.json`` in its output folder): the
road users still in view at its end with their recent history, the events already reported for
them, the camera's perspective and the clip's end time. The next clip's analysis, given that state
(``civility detect --after PREV_OUT``), starts where the stream left off:

- the tracker is warmed up on the carried road users' last second of boxes, so that a road user
  present on both sides of the cut keeps its track (and its id);
- that track's history starts in the previous clip, so the rules judge all of its motion: a rider
  who rode the wrong way for 0.3 s before the cut and 0.5 s after it is found;
- events the previous clip already reported for a carried road user are not reported again;
- each signal read from its lamps starts from its state at the previous clip's end, so that a
  lamp dark, flashing or not yet confirmed in the first frames reads as it would have had the
  stream not been cut (``signals.monitor.SignalMonitor.resume``);
- the detection plan (``focus``) starts from the perspective already learnt.

A state is used only when it is of this camera and configuration and the previous clip ended
within ``MAX_GAP_S`` of this clip's start; otherwise the clip starts fresh, as a clip analysed
alone always does. Each clip still reports what it saw by itself: a road user whose clip ends
mid-event is judged on what that clip saw, so nothing waits for a successor that may never come.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import supervision as sv
from pydantic import BaseModel, ConfigDict, ValidationError

from detectors.config.errors import InputError
from detectors.detections.perspective import HeightModel
from detectors.events.violation import Violation
from detectors.signals.states import SignalState
from detectors.tracks.history import ON_TWO_WHEELER, WALKER_HEIGHT, Observation, Track
from detectors.tracks.tracker import TRACK_CLOSED_AFTER_S

STATE_FILE = "boundary.json"
STATE_VERSION = 1
# The next clip continues this one only if it starts within this many seconds of this one's end:
# a recorder's consecutive clips follow within a frame or two, and a longer gap is a break in the
# recording, after which road users and lamps are found afresh.
MAX_GAP_S = 2.0
# Road users the tracker could still resume are carried over, with this much of their history
# (the longest evidence window of a rule, and its lead).
CARRY_HISTORY_S = 20.0
# The tracker is warmed up on this much of the carried boxes: ByteTrack confirms a track on its
# second match, and its Kalman filter settles in a few frames.
WARM_UP_S = 1.0


class CarriedObservation(BaseModel):
    model_config = ConfigDict(frozen=True)

    t_s: float  # seconds before the clip's end (<= 0)
    frames_before_end: int  # 1 = the last frame of the clip
    xyxy: tuple[float, float, float, float]  # in the camera's reference view
    frame_xyxy: tuple[float, float, float, float] | None = None  # in the frame, where it differs
    confidence: float
    class_id: int
    on_two_wheeler: bool
    signals: dict[str, SignalState]
    walker_height: float = 0.0


class CarriedTrack(BaseModel):
    model_config = ConfigDict(frozen=True)

    track_id: int
    observations: list[CarriedObservation]
    reported: list[tuple[str, str]] = []  # (rule, zone id) of events already reported


class BoundaryState(BaseModel):
    """What the next clip of the camera needs to carry on where this one ended."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = STATE_VERSION
    camera_id: str
    config_hash: str
    clip_id: str | None = None  # set by the I/O shell, which knows the file's hash
    clip_started_at: datetime | None
    duration_s: float
    frame_count: int
    analysis_fps: float
    next_track_id: int
    perspective: HeightModel | None
    signals: dict[str, SignalState]  # every signal's state at the end
    tracks: list[CarriedTrack]

    @property
    def ended_at(self) -> datetime | None:
        if self.clip_started_at is None:
            return None
        return self.clip_started_at + timedelta(seconds=self.duration_s)


def read_state(where: Path) -> BoundaryState:
    """The state in a clip's output folder (or the state file itself)."""
    path = Path(where) / STATE_FILE if Path(where).is_dir() else Path(where)
    if not path.is_file():
        raise InputError(
            f"--after {where}: no {STATE_FILE} there; pass the output folder of the camera's "
            "previous clip (written by civility detect), or leave --after out to start fresh"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        version = document.get("version")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        raise InputError(
            f"{path}: not a boundary state (not a JSON object); re-run the previous clip, or "
            "leave --after out"
        ) from None
    if version != STATE_VERSION:
        raise InputError(
            f"{path}: boundary state version {version}, this engine reads "
            f"version {STATE_VERSION}; re-run the previous clip, or leave --after out"
        )
    try:
        return BoundaryState.model_validate(document)
    except ValidationError as error:
        raise InputError(
            f"{path}: damaged boundary state ({error.error_count()} bad fields, first: "
            f"{'.'.join(map(str, error.errors()[0]['loc']))}); re-run the previous clip, or "
            "leave --after out"
        ) from None


def write_state(state: BoundaryState, out_dir: Path) -> Path:
    path = Path(out_dir) / STATE_FILE
    path.write_text(state.model_dump_json(indent=1), encoding="utf-8")
    return path


def gap_to(
    state: BoundaryState, camera_id: str, config_hash: str, start: datetime | None
) -> float | str:
    """Seconds from the previous clip's end to this clip's start, or the reason it cannot be
    continued (another camera or configuration, no wall-clock times, a gap or an overlap)."""
    if state.camera_id != camera_id:
        return f"the previous clip is of camera '{state.camera_id}', not '{camera_id}'"
    if state.config_hash != config_hash:
        return "the camera's configuration changed since the previous clip"
    if start is None or state.ended_at is None:
        return "a clip without a wall-clock start cannot be placed after another"
    gap = (start - state.ended_at).total_seconds()
    if not -MAX_GAP_S <= gap <= MAX_GAP_S:
        when = "before" if gap > 0 else "after"
        return (
            f"the previous clip ended {abs(gap):.1f} s {when} this clip's start "
            f"(at most {MAX_GAP_S:g} s apart to carry on)"
        )
    return gap


def carried_tracks(state: BoundaryState, gap_s: float, frame_gap: int) -> list[Track]:
    """The previous clip's road users in this clip's time: before 0 s, frame indexes below 0."""
    return [
        Track(
            carried.track_id,
            [
                Observation(
                    t_s=o.t_s - gap_s,
                    frame_index=-o.frames_before_end - frame_gap,
                    xyxy=o.xyxy,
                    frame_xyxy=o.frame_xyxy,
                    confidence=o.confidence,
                    class_id=o.class_id,
                    on_two_wheeler=o.on_two_wheeler,
                    signals=o.signals,
                    walker_height=o.walker_height,
                )
                for o in carried.observations
            ],
        )
        for carried in state.tracks
    ]


def warm_up_frames(tracks: list[Track]) -> list[sv.Detections]:
    """The carried boxes of the last ``WARM_UP_S``, frame by frame and as the frames showed them
    (the tracker works in frame coordinates), each box's track id in ``data["carried_id"]``:
    replayed through a fresh tracker, they rebuild its state."""
    if not tracks:
        return []
    end = max(track.observations[-1].t_s for track in tracks)
    by_frame: dict[int, list[tuple[int, Observation]]] = {}
    for track in tracks:
        for o in track.observations:
            if o.t_s >= end - WARM_UP_S:
                by_frame.setdefault(o.frame_index, []).append((track.track_id, o))
    frames = []
    for _, rows in sorted(by_frame.items()):
        frames.append(
            sv.Detections(
                xyxy=np.array([o.frame_xyxy or o.xyxy for _, o in rows], dtype=float).reshape(
                    -1, 4
                ),
                confidence=np.array([o.confidence for _, o in rows], dtype=float),
                class_id=np.array([o.class_id for _, o in rows], dtype=int),
                data={
                    "carried_id": np.array([i for i, _ in rows], dtype=int),
                    ON_TWO_WHEELER: np.array([o.on_two_wheeler for _, o in rows], dtype=bool),
                    WALKER_HEIGHT: np.array([o.walker_height for _, o in rows], dtype=float),
                },
            )
        )
    return frames


def already_reported(violations: list[Violation], state: BoundaryState | None) -> list[Violation]:
    """``violations`` less those the previous clip reported for the same road user and zone."""
    if state is None:
        return violations
    reported = {(t.track_id, rule, zone) for t in state.tracks for rule, zone in t.reported}
    return [
        v for v in violations if not any((i, v.rule, v.zone_id) in reported for i in _track_ids(v))
    ]


def within_clip(violations: list[Violation]) -> list[Violation]:
    """Each event's evidence is this clip's part of it: track points of the previous clip go,
    and an event that began there keeps its true start ``t_s`` (< 0) but is shown from this
    clip's first frame of it. An event of a road user not seen in this clip at all was the
    previous clip's to report (it saw the same boxes)."""
    kept = []
    for violation in violations:
        inside = tuple(p for p in violation.track if p.frame_index >= 0)
        if not inside:
            continue
        if violation.frame_index >= 0:
            kept.append(replace(violation, track=inside))
            continue
        began_s = round(-violation.t_s, 2)
        kept.append(
            replace(
                violation,
                frame_index=inside[0].frame_index,
                track=inside,
                details={**violation.details, "began_before_clip_s": began_s},
            )
        )
    return kept


def boundary_state(
    *,
    camera_id: str,
    config_hash: str,
    clip_started_at: datetime | None,
    duration_s: float,
    frame_count: int,
    analysis_fps: float,
    next_track_id: int,
    perspective: HeightModel | None,
    signals: dict[str, SignalState],
    last_tracks: list[Track],
    violations: list[Violation],
    previous: BoundaryState | None,
) -> BoundaryState:
    """The state at this clip's end: ``last_tracks`` are the tracks not yet judged before the end
    (the ones still in view), ``violations`` this clip's reported events."""
    reported: dict[int, set[tuple[str, str]]] = {}
    for v in violations:
        for track_id in _track_ids(v):
            reported.setdefault(track_id, set()).add((v.rule, v.zone_id))
    for carried in previous.tracks if previous else []:
        reported.setdefault(carried.track_id, set()).update(carried.reported)
    carried = []
    for track in last_tracks:
        if duration_s - track.observations[-1].t_s > TRACK_CLOSED_AFTER_S:
            continue
        recent = [o for o in track.observations if o.t_s >= duration_s - CARRY_HISTORY_S]
        carried.append(
            CarriedTrack(
                track_id=track.track_id,
                observations=[
                    CarriedObservation(
                        t_s=round(o.t_s - duration_s, 4),
                        frames_before_end=frame_count - o.frame_index,
                        xyxy=_rounded(o.xyxy),
                        frame_xyxy=_rounded(o.frame_xyxy) if o.frame_xyxy else None,
                        confidence=round(o.confidence, 4),
                        class_id=o.class_id,
                        on_two_wheeler=o.on_two_wheeler,
                        signals=dict(o.signals),
                        walker_height=round(o.walker_height, 1),
                    )
                    for o in recent
                ],
                reported=sorted(reported.get(track.track_id, ())),
            )
        )
    return BoundaryState(
        camera_id=camera_id,
        config_hash=config_hash,
        clip_started_at=clip_started_at,
        duration_s=duration_s,
        frame_count=frame_count,
        analysis_fps=analysis_fps,
        next_track_id=next_track_id,
        perspective=perspective,
        signals=signals,
        tracks=carried,
    )


def frame_gap(gap_s: float, fps: float) -> int:
    """Frames missing between the two clips (0 when one starts where the other ended)."""
    return max(0, math.floor(gap_s * fps + 0.5))


def _rounded(box: tuple[float, ...]) -> tuple[float, float, float, float]:
    return tuple(round(v, 2) for v in box)  # type: ignore[return-value]


def _track_ids(violation: Violation) -> list[int]:
    return [violation.track_id, *violation.details.get("merged_track_ids", [])]
