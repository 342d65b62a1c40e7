"""What the evidence of one event shows and which frames it needs: pure geometry and time."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import numpy as np

from detectors.config.camera import CameraConfig, Crosswalk, Lane, VisionSignal
from detectors.config.errors import InputError
from detectors.events.violation import TrackPoint, Violation
from detectors.frames.exact import FrameIndex

RULE_TITLES = {
    "pedestrian_red_light": "Pedestrian crossing on red",
    "wrong_way": "Wrong-way riding",
}

# The GA/T 832-style sequence: one picture before, one at and one after the event.
STILL_OFFSETS_S = {"before": -1.0, "at": 0.0, "after": 1.0}
CLIP_LEAD_S = 3.0
CLIP_TAIL_AFTER_END_S = 2.0
CLIP_TAIL_WITHOUT_END_S = 3.0
# The clip shows at most this much of a long stay in the zone: the violation is plain by then.
CLIP_MAX_STAY_S = 15.0


@dataclass(frozen=True)
class EvidenceWindow:
    """Frame indices: the clip span to encode, the wider span to decode (it also covers every
    track point, whose crops feed the courier attributor) and the stills."""

    clip_first: int
    clip_last: int
    decode_first: int
    decode_last: int
    stills: dict[str, int]


@dataclass(frozen=True, eq=False)
class EventScene:
    """Everything drawn on the frames of one event, in clip pixels."""

    violation: Violation
    camera: CameraConfig
    zone_kind: Literal["crosswalk", "lane"]
    polygon: np.ndarray  # int32, shape (n, 2)
    direction: tuple[float, float] | None  # unit vector, lanes only
    signal_roi: tuple[int, int, int, int] | None  # only a vision-read signal has a place
    clip_start: datetime | None  # aware, in the camera's time zone
    track_frames: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "track_frames", tuple(p.frame_index for p in self.violation.track))


def build_scene(
    violation: Violation, camera: CameraConfig, clip_start: datetime | None
) -> EventScene:
    """Match the violation to its camera's zone and signal; ``camera`` is already in clip pixels."""
    if violation.camera_id != camera.camera_id:
        raise InputError(
            f"violation {violation.event_id} is from camera '{violation.camera_id}' but the camera "
            f"config is '{camera.camera_id}'; pass the config of the camera that recorded the clip"
        )
    if not violation.track:
        raise InputError(
            f"violation {violation.event_id} has no track points; evidence needs its boxes"
        )
    is_crossing = violation.rule == "pedestrian_red_light"
    zones: list[Crosswalk] | list[Lane] = camera.crosswalks if is_crossing else camera.lanes
    zone = next((z for z in zones if z.id == violation.zone_id), None)
    kind: Literal["crosswalk", "lane"] = "crosswalk" if is_crossing else "lane"
    if zone is None:
        known = ", ".join(z.id for z in zones) or "none"
        raise InputError(
            f"violation {violation.event_id} names {kind} '{violation.zone_id}', which camera "
            f"'{camera.camera_id}' does not have (its {kind}s: {known}); pass the camera config "
            "the violation was detected with"
        )
    signal = camera.signal(violation.signal_id) if violation.signal_id else None
    # Zones are drawn on the camera's reference view; on the frames they sit where the view
    # had moved them at the event.
    polygon = violation.view.to_frame(np.asarray(zone.polygon, dtype=float))
    return EventScene(
        violation=violation,
        camera=camera,
        zone_kind=kind,
        polygon=np.round(polygon).astype(np.int32),
        direction=zone.unit_direction() if isinstance(zone, Lane) else None,
        signal_roi=(
            violation.view.roi_to_frame(signal.roi) if isinstance(signal, VisionSignal) else None
        ),
        clip_start=local_clip_start(clip_start, camera.timezone),
    )


def plan_window(violation: Violation, clip: FrameIndex) -> EvidenceWindow:
    """Frames around the event, by the clip's own timestamps, clamped to the clip."""
    event_s = clip.time_s(min(violation.frame_index, clip.frame_count - 1))
    if violation.t_end_s is not None:
        stay_s = min(violation.t_end_s - violation.t_s, CLIP_MAX_STAY_S)
        end_s = event_s + stay_s + CLIP_TAIL_AFTER_END_S
    else:
        end_s = event_s + CLIP_TAIL_WITHOUT_END_S
    clip_first, clip_last = clip.index_at(event_s - CLIP_LEAD_S), clip.index_at(end_s)
    stills = {name: clip.index_at(event_s + offset) for name, offset in STILL_OFFSETS_S.items()}
    stills["at"] = violation.frame_index
    track = [p.frame_index for p in violation.track]
    return EvidenceWindow(
        clip_first=clip_first,
        clip_last=clip_last,
        decode_first=min([clip_first, *track]),
        decode_last=max([clip_last, violation.frame_index, *track]),
        stills=stills,
    )


def box_at(
    track: tuple[TrackPoint, ...], frame_index: int
) -> tuple[float, float, float, float] | None:
    """The box on any frame between two track points, interpolated; None outside the track."""
    for earlier, later in zip(track, track[1:], strict=False):
        if earlier.frame_index <= frame_index <= later.frame_index:
            span = later.frame_index - earlier.frame_index
            w = (frame_index - earlier.frame_index) / span if span else 0.0
            return tuple(a + w * (b - a) for a, b in zip(earlier.xyxy, later.xyxy, strict=True))
    if track and frame_index == track[-1].frame_index:
        return track[-1].xyxy
    return None


def trace_until(track: tuple[TrackPoint, ...], frame_index: int) -> np.ndarray:
    """Foot points the road user has walked or ridden through up to this frame, shape (n, 2)."""
    feet = [p.foot for p in track if p.frame_index <= frame_index]
    box = box_at(track, frame_index)
    if box is not None:
        feet.append(((box[0] + box[2]) / 2, box[3]))
    return np.asarray(feet, dtype=np.float64).reshape(-1, 2)


def crop_box(
    frame: np.ndarray, xyxy: tuple[float, float, float, float], pad_ratio: float
) -> np.ndarray:
    """The box grown by ``pad_ratio`` of its size on each side, clamped to the frame (a copy)."""
    height, width = frame.shape[:2]
    x1, y1, x2, y2 = xyxy
    pad_x, pad_y = (x2 - x1) * pad_ratio, (y2 - y1) * pad_ratio
    left, top = max(0, int(x1 - pad_x)), max(0, int(y1 - pad_y))
    right, bottom = min(width, int(np.ceil(x2 + pad_x))), min(height, int(np.ceil(y2 + pad_y)))
    if right <= left or bottom <= top:
        raise InputError(
            f"box {list(xyxy)} lies outside the {width}x{height} frame; check the track"
        )
    return frame[top:bottom, left:right].copy()


def local_clip_start(clip_start: datetime | None, timezone: str) -> datetime | None:
    """A naive clip start is local to the camera (spec); an aware one is shown in its zone."""
    if clip_start is None:
        return None
    zone = zoneinfo.ZoneInfo(timezone)
    return (
        clip_start.replace(tzinfo=zone)
        if clip_start.tzinfo is None
        else clip_start.astimezone(zone)
    )


def wall_clock(clip_start: datetime | None, time_s: float) -> datetime | None:
    return None if clip_start is None else clip_start + timedelta(seconds=time_s)


def folder_name(event_id: str) -> str:
    """``event_id`` as one path segment (ids are already safe; this guards against a stray one)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", event_id)
