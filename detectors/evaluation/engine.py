"""The real engine as an evaluation set's ``detect``: analysis and courier attribution, without
evidence; each clip's wall-clock start comes from its sidecar or name, as in production."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from detectors.config.camera import load_camera
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.detections.detector import Detector
from detectors.evaluation.evaluate import ClipDetections, Detect
from detectors.evaluation.explain import FrameLog
from detectors.frames.binding import bind_clip
from detectors.process import analyse_and_attribute

# Given a clip about to be analysed, a callback for the clip seconds analysed so far.
ProgressFor = Callable[[Path], Callable[[float], None]]


def engine_detect(
    detector: Detector,
    analysis_fps: float = DEFAULT_ANALYSIS_FPS,
    progress_for: ProgressFor | None = None,
    record_frames: bool = False,
) -> Detect:
    """With ``record_frames``, each clip's detections carry what every frame showed (for
    ``--explain``)."""

    def detect(video: Path, camera_path: Path) -> ClipDetections:
        camera = load_camera(camera_path)
        progress = progress_for(video) if progress_for else None
        log = FrameLog() if record_frames else None
        result = analyse_and_attribute(
            video,
            camera,
            detector,
            analysis_fps=analysis_fps,
            clip_start=bind_clip(video, camera.timezone).start,
            progress=progress,
            frame_log=log,
        )
        if progress:
            progress(result.analysed_duration_s)
        return ClipDetections(
            result.violations, result.signal_timeline, result.clip.width, frames=log
        )

    return detect
