"""Is a fetched clip fit to register? It must decode to its end, with a usable rate, length and
timestamps, and be bound to a known camera and a wall-clock start (sidecar or file name,
docs/clips.md).

The whole clip is decoded once here (frames are grabbed, not converted: a few hundred frames a
second), because only decoding proves it whole: a truncated MP4 keeps its full frame count in
its header, and a concatenated recording keeps its length while its clock jumps back.

Every refusal is an InputError whose message names the clip, what is wrong and the fix, and
whose ``kind`` (``ClipRefused``) the quarantine record keeps for summaries and re-ingestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from detectors.config.camera import CameraConfig, load_camera
from detectors.config.errors import ConfigError, InputError
from detectors.frames.binding import bind_clip
from detectors.frames.source import ClipError, ClipInfo, DecodeReport, iter_frames, probe_clip

# A scan keeps one decoded frame in this many seconds; the others are only grabbed.
_SCAN_FPS = 0.2


class ClipRefused(InputError):
    """A clip that is not fit to register; ``kind`` names the refusal for machines."""

    def __init__(self, kind: str, message: str, camera_id: str | None = None):
        self.kind = kind
        self.camera_id = camera_id
        super().__init__(message)


def refusal_kind(error: InputError) -> str:
    """``unknown_camera``, ``partial``, ``duplicate`` ...: what a refusal was about."""
    if isinstance(error, ClipRefused):
        return error.kind
    if isinstance(error, ClipError):
        return "unreadable"
    if isinstance(error, ConfigError):
        return "camera_config"
    return "invalid"


class ClipLimits(BaseModel):
    """What the engine can sensibly analyse; outside these a clip is refused, not guessed at."""

    model_config = ConfigDict(frozen=True)

    min_duration_s: float = Field(default=1.0, gt=0)
    max_duration_s: float = Field(default=4 * 3600.0, gt=0)
    min_fps: float = Field(default=2.0, gt=0)
    max_fps: float = Field(default=120.0, gt=0)
    # Timestamps: the share of frames stamped no later than their predecessor, and the longest
    # jump between two frames (a recorder that dropped out); CCTV exports have uneven frame
    # times, but not seconds missing or time running backwards.
    max_timestamp_fault_share: float = Field(default=0.01, ge=0)
    max_frame_gap_s: float = Field(default=2.0, gt=0)


@dataclass(frozen=True)
class AcceptedClip:
    info: ClipInfo
    camera: CameraConfig
    started_at: datetime  # aware


def validate_clip(clip: Path, cameras: Path, limits: ClipLimits | None = None) -> AcceptedClip:
    """The clip's facts if it is fit to register; an InputError saying why not otherwise."""
    limits = limits or ClipLimits()
    info = probe_clip(clip)
    check_limits(info, limits)
    camera_id = bind_clip(clip).camera_id  # the start is read again below, in the camera's zone
    if not camera_id:
        raise ClipRefused(
            "no_camera",
            f"clip {clip.name}: no camera is named for it; add a sidecar {clip.stem}.json with "
            f'{{"camera_id": ..., "start_time": ...}} or name the file '
            f"<camera_id>_<YYYYMMDD>T<HHMMSS>{clip.suffix}",
        )
    camera = camera_for(camera_id, cameras)
    start = bind_clip(clip, camera.timezone).start
    if start is None:
        raise ClipRefused(
            "no_start",
            f"clip {clip.name}: its start time is unknown, so its events cannot be dated or "
            f'counted in a week; add "start_time" to the sidecar {clip.stem}.json',
        )
    check_decoding(info, scan_clip(info), limits)
    return AcceptedClip(info, camera, start)


def check_limits(info: ClipInfo, limits: ClipLimits) -> None:
    name = info.path.name
    if not limits.min_fps <= info.fps <= limits.max_fps:
        raise ClipRefused(
            "frame_rate",
            f"clip {name}: frame rate {info.fps:g} fps is outside {limits.min_fps:g}-"
            f"{limits.max_fps:g} fps; re-export the clip at a normal camera rate",
        )
    if info.duration_s > limits.max_duration_s:
        raise ClipRefused(
            "too_long",
            f"clip {name}: {info.duration_s:.1f} s long, more than {limits.max_duration_s:g} s; "
            "cut long recordings into shorter clips",
        )
    _check_min_duration(name, info.duration_s, limits)


def scan_clip(info: ClipInfo) -> DecodeReport:
    """Decode the whole clip (grabbing, hardly converting a frame) and report what it held."""
    report = DecodeReport()
    for _ in iter_frames(info, _SCAN_FPS, report=report):
        pass
    return report


def check_decoding(info: ClipInfo, scan: DecodeReport, limits: ClipLimits) -> None:
    """Refuse a clip that decodes short of its declared length, too short, or with a clock that
    stalls, runs backwards or jumps."""
    name = info.path.name
    if scan.is_partial:
        raise ClipRefused(
            "partial",
            f"clip {name}: only {scan.frames_decoded} of its {info.frame_count} frames decode "
            f"({scan.duration_s:.1f} of {info.duration_s:.1f} s): the file was cut short in "
            "copying or upload; copy the complete file again",
        )
    _check_min_duration(name, scan.duration_s, limits)
    faults = scan.count_timestamp_faults
    if faults > limits.max_timestamp_fault_share * max(scan.frames_decoded, 1):
        raise ClipRefused(
            "broken_timestamps",
            f"clip {name}: {faults} of {scan.frames_decoded} frames are stamped no later than "
            "the frame before them (the recording's clock stalls or runs backwards, e.g. files "
            "joined end to end), so event times would be wrong; export each recording as its "
            "own clip",
        )
    if scan.longest_gap_s > limits.max_frame_gap_s:
        raise ClipRefused(
            "broken_timestamps",
            f"clip {name}: its timestamps jump {scan.longest_gap_s:.1f} s between two frames "
            f"(more than {limits.max_frame_gap_s:g} s: footage is missing), so event times and "
            "exposure would be wrong; export the recording again, or cut it at the gap",
        )


def _check_min_duration(name: str, duration_s: float, limits: ClipLimits) -> None:
    if duration_s < limits.min_duration_s:
        raise ClipRefused(
            "too_short",
            f"clip {name}: {duration_s:.1f} s long, less than {limits.min_duration_s:g} s: too "
            "short to follow anyone through a crossing; drop stubs, send longer clips",
        )


def camera_for(camera_id: str, cameras: Path) -> CameraConfig:
    """The camera ``<cameras>/<camera_id>.yaml``, checked to describe that camera."""
    path = cameras / f"{camera_id}.yaml"
    if not path.is_file():
        raise ClipRefused(
            "unknown_camera",
            f"camera '{camera_id}' is unknown: {path} does not exist; add the camera's YAML "
            "there (shared/spec/camera-config.md, check it with `civility camera check`): its "
            "quarantined clips are then ingested again by themselves",
            camera_id=camera_id,
        )
    camera = load_camera(path)
    if camera.camera_id != camera_id:
        raise ClipRefused(
            "camera_mismatch",
            f"{path} describes camera '{camera.camera_id}', not '{camera_id}'; "
            "name each camera file after the camera_id inside it",
        )
    return camera
