"""The I/O shell around the engine: one clip in, one complete output folder out.

clip -> frames -> detections -> tracks -> events, every two-wheeler in a lane attributed to a
courier platform on the way (pipeline.analyse_clip), then each event's evidence (one decoding pass
over its window), then the Parquet tables. The output folder appears atomically: a run killed
half-way leaves nothing under the final name, and a re-run replaces the old folder whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from detectors.atomic import staged_folder
from detectors.config.camera import CameraConfig
from detectors.config.errors import InputError
from detectors.config.platforms import load_platform_profiles, region_for_timezone
from detectors.continuity import BoundaryState, write_state
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.detections.detector import Detector
from detectors.events.courier import CourierAttributor
from detectors.evidence.writer import EvidenceManifest, write_evidence
from detectors.outputs import clip_id_for, file_sha256, write_outputs
from detectors.pipeline import ClipResult, FrameLog, analyse_clip

EVIDENCE_FOLDER = "evidence"


@dataclass(frozen=True)
class ProcessedClip:
    result: ClipResult
    clip_id: str
    out_dir: Path
    tables: dict[str, Path]
    evidence: dict[str, EvidenceManifest]


def process_clip(
    clip_path: Path,
    camera: CameraConfig,
    out_dir: Path,
    detector: Detector,
    platforms: Path | None = None,
    analysis_fps: float = DEFAULT_ANALYSIS_FPS,
    clip_start: datetime | None = None,
    progress: Callable[[float], None] | None = None,
    after: BoundaryState | None = None,
) -> ProcessedClip:
    """``after``: the boundary state of the camera's previous clip (``continuity``); this clip's
    own state is written beside its tables for the next one."""
    clip_sha256 = file_sha256(clip_path)
    clip_id = clip_id_for(clip_sha256)
    result = analyse_and_attribute(
        clip_path, camera, detector, platforms, analysis_fps, clip_start, progress, after=after
    )
    result.boundary = result.boundary.model_copy(update={"clip_id": clip_id})
    result.violations = [replace(v, clip_id=clip_id) for v in result.violations]
    provenance = {
        "model_version": result.model_version,
        "config_hash": result.config_hash,
        "analysis_fps": result.analysis_fps,
        "clip_id": clip_id,
        "clip_sha256": clip_sha256,
    }
    with staged_folder(out_dir) as staging:
        evidence: dict[str, EvidenceManifest] = {}
        for violation in result.violations:
            manifest = write_evidence(
                violation,
                clip_path,
                result.camera,
                staging / EVIDENCE_FOLDER,
                provenance,
                clip_start,
            )
            evidence[violation.event_id] = replace(
                manifest, folder=out_dir / manifest.folder.relative_to(staging)
            )
        tables = write_outputs(result, clip_sha256, evidence, out_dir, staging)
        write_state(result.boundary, staging)
    return ProcessedClip(
        result, clip_id, out_dir, {k: out_dir / p.name for k, p in tables.items()}, evidence
    )


def analyse_and_attribute(
    clip_path: Path,
    camera: CameraConfig,
    detector: Detector,
    platforms: Path | None = None,
    analysis_fps: float = DEFAULT_ANALYSIS_FPS,
    clip_start: datetime | None = None,
    progress: Callable[[float], None] | None = None,
    frame_log: FrameLog | None = None,
    after: BoundaryState | None = None,
) -> ClipResult:
    """The engine's findings for a clip, couriers attributed, without evidence."""
    return analyse_clip(
        clip_path,
        camera,
        detector,
        analysis_fps,
        clip_start,
        progress,
        attributor=courier_attributor(camera, platforms),
        frame_log=frame_log,
        after=after,
    )


def courier_attributor(camera: CameraConfig, platforms: Path | None) -> CourierAttributor | None:
    """The attributor for the camera's market, or None where no profile serves it (the courier
    then stays unknown rather than guessed from another market's colours)."""
    profiles = load_platform_profiles(platforms)
    region = region_for_timezone(camera.timezone)
    try:
        return CourierAttributor(profiles.for_region(region) if region else profiles)
    except InputError:
        return None
