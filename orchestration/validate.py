"""Is a fetched clip fit to register? It must decode, have a usable rate and length, and be bound
to a known camera and a wall-clock start (sidecar or file name, docs/clips.md).

Every refusal is an InputError whose message names the clip, what is wrong and the fix; the
ingest records that message beside the quarantined file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from detectors.config.camera import CameraConfig, load_camera
from detectors.config.errors import InputError
from detectors.frames.binding import bind_clip
from detectors.frames.source import ClipInfo, probe_clip


class ClipLimits(BaseModel):
    """What the engine can sensibly analyse; outside these a clip is refused, not guessed at."""

    model_config = ConfigDict(frozen=True)

    min_duration_s: float = Field(default=1.0, gt=0)
    max_duration_s: float = Field(default=4 * 3600.0, gt=0)
    min_fps: float = Field(default=2.0, gt=0)
    max_fps: float = Field(default=120.0, gt=0)


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
        raise InputError(
            f"clip {clip.name}: no camera is named for it; add a sidecar {clip.stem}.json with "
            f'{{"camera_id": ..., "start_time": ...}} or name the file '
            f"<camera_id>_<YYYYMMDD>T<HHMMSS>{clip.suffix}"
        )
    camera = camera_for(camera_id, cameras)
    start = bind_clip(clip, camera.timezone).start
    if start is None:
        raise InputError(
            f"clip {clip.name}: its start time is unknown, so its events cannot be dated or "
            f'counted in a week; add "start_time" to the sidecar {clip.stem}.json'
        )
    return AcceptedClip(info, camera, start)


def check_limits(info: ClipInfo, limits: ClipLimits) -> None:
    name = info.path.name
    if not limits.min_fps <= info.fps <= limits.max_fps:
        raise InputError(
            f"clip {name}: frame rate {info.fps:g} fps is outside {limits.min_fps:g}-"
            f"{limits.max_fps:g} fps; re-export the clip at a normal camera rate"
        )
    if not limits.min_duration_s <= info.duration_s <= limits.max_duration_s:
        raise InputError(
            f"clip {name}: {info.duration_s:.1f} s long, outside {limits.min_duration_s:g}-"
            f"{limits.max_duration_s:g} s; cut long recordings into shorter clips, drop stubs"
        )


def camera_for(camera_id: str, cameras: Path) -> CameraConfig:
    """The camera ``<cameras>/<camera_id>.yaml``, checked to describe that camera."""
    path = cameras / f"{camera_id}.yaml"
    if not path.is_file():
        raise InputError(
            f"camera '{camera_id}' is unknown: {path} does not exist; add the camera's YAML "
            "there (shared/spec/camera-config.md) and drop the clip into the landing area again"
        )
    camera = load_camera(path)
    if camera.camera_id != camera_id:
        raise InputError(
            f"{path} describes camera '{camera.camera_id}', not '{camera_id}'; "
            "name each camera file after the camera_id inside it"
        )
    return camera
