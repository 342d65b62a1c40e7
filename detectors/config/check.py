"""Onboarding a camera (``civility camera check``): is its file valid, do its zones and lamp ROIs
sit where they should on its footage, and what does the engine read from its lamps.

The file is validated as the engine does (``load_camera``: every problem with its field and the
fix); with a clip, the geometry is scaled to the clip as in analysis, one frame is drawn with the
layout over it, and the signal monitor runs over the first seconds, so what it prints is what
the pipeline will see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detectors.config.camera import CameraConfig, load_camera
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.evidence.annotate import draw_layout
from detectors.frames.binding import bind_clip
from detectors.frames.source import ClipInfo, DecodeReport, iter_frames, probe_clip
from detectors.signals.monitor import SignalMonitor
from detectors.signals.states import SignalSegment

# Frame shapes whose width/height ratios differ more than this stretch the drawn geometry.
_ASPECT_TOLERANCE = 0.01


@dataclass
class CameraCheck:
    camera: CameraConfig  # as written
    clip: ClipInfo | None = None
    scaled: CameraConfig | None = None  # the camera in the clip's pixels
    frame_at_s: float | None = None  # of the frame drawn on
    image: np.ndarray | None = None  # the layout over that frame
    read_s: float = 0.0  # seconds of the clip the lamps were read over
    lamps: list[SignalSegment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things to look at, not errors


def check_camera(
    camera_path: Path,
    clip: Path | None = None,
    at_s: float = 0.0,
    seconds: float = 5.0,
    analysis_fps: float = DEFAULT_ANALYSIS_FPS,
) -> CameraCheck:
    """Validate the camera file (ConfigError naming field and fix); with ``clip``, draw its
    layout over the frame at ``at_s`` and read its signals over the first ``seconds``."""
    camera = load_camera(camera_path)
    check = CameraCheck(camera)
    if clip is None:
        return check
    info = probe_clip(clip)
    check.clip, check.scaled = info, camera.scaled_to(info.width, info.height)
    check.notes += _binding_notes(clip, camera, info)
    start = bind_clip(clip, camera.timezone).start
    rate = min(analysis_fps, info.fps)
    monitor = SignalMonitor(check.scaled.signals, rate, start)
    report = DecodeReport()
    for frame in iter_frames(info, rate, start, report):
        if frame.t_s < seconds:
            monitor.update(frame.t_s, frame.image)
        if check.image is None and frame.t_s >= at_s:
            check.frame_at_s = frame.t_s
            check.image = draw_layout(frame.image, check.scaled)
        if frame.t_s >= seconds and check.image is not None:
            break
    check.read_s = min(seconds, report.duration_s)
    check.lamps = monitor.finish(check.read_s)
    if check.image is None:
        check.notes.append(f"the clip ends before {at_s:g} s: no frame drawn; pass a smaller --at")
    return check


def _binding_notes(clip: Path, camera: CameraConfig, info: ClipInfo) -> list[str]:
    notes = []
    bound = bind_clip(clip).camera_id
    if bound and bound != camera.camera_id:
        notes.append(
            f"the clip is bound to camera '{bound}' (sidecar or file name), not "
            f"'{camera.camera_id}': the pipeline would analyse it with {bound}.yaml"
        )
    width, height = camera.frame_size
    if abs(width / height - info.width / info.height) > _ASPECT_TOLERANCE * width / height:
        notes.append(
            f"frame_size {width}x{height} and the clip's {info.width}x{info.height} frames differ "
            "in shape: the zones are stretched to fit; redraw them on a frame of this camera "
            "if they do not sit on the road in the picture"
        )
    return notes
