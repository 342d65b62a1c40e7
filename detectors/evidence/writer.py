"""The evidence folder of one event, from one decoding pass over the event window: the
annotated clip is encoded as the window decodes, and only the three stills are kept in memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from detectors.atomic import staged_folder
from detectors.config.camera import CameraConfig
from detectors.events.violation import TrackPoint, Violation
from detectors.evidence.annotate import annotate_frame, closeup
from detectors.evidence.record import event_record, file_facts, json_default
from detectors.evidence.scene import (
    EventScene,
    EvidenceWindow,
    box_at,
    build_scene,
    crop_box,
    folder_name,
    plan_window,
)
from detectors.evidence.video import H264Writer
from detectors.frames.exact import FrameIndex, index_frames, read_frames

STILL_FILES = {"before": "frame_1_before.jpg", "at": "frame_2_at.jpg", "after": "frame_3_after.jpg"}
CLOSEUP_FILE = "closeup.jpg"
CLIP_FILE = "clip.mp4"
RECORD_FILE = "event.json"
JPEG_QUALITY = 95
CLOSEUP_PAD = 0.3


@dataclass(frozen=True)
class EvidenceManifest:
    event_id: str
    folder: Path
    files: dict[str, str]  # file name -> SHA-256, event.json included


def write_evidence(
    violation: Violation,
    clip_path: Path,
    camera: CameraConfig,
    out_dir: Path,
    provenance: dict[str, Any],
    clip_start: datetime | None = None,
) -> EvidenceManifest:
    """Write ``out_dir/<event>/`` whole or not at all; return the (attributed) violation.

    ``clip_start``: wall-clock time of the clip's first frame; naive means local to the camera.
    """
    clip = index_frames(Path(clip_path))
    scene = build_scene(violation, camera.scaled_to(clip.width, clip.height), clip_start)
    window = plan_window(violation, clip)
    name = folder_name(violation.event_id)
    with staged_folder(Path(out_dir) / name) as staging:
        stills = _decode_window(clip, window, scene, staging / CLIP_FILE)
        files = _write_pictures(staging, stills, scene, clip, window)
        files[CLIP_FILE] = file_facts(staging / CLIP_FILE)
        record = event_record(violation, scene, clip, window, provenance, files)
        text = json.dumps(record, ensure_ascii=False, indent=2, default=json_default)
        (staging / RECORD_FILE).write_text(text + "\n", encoding="utf-8")
        digests = {file: facts["sha256"] for file, facts in files.items()}
        digests[RECORD_FILE] = file_facts(staging / RECORD_FILE)["sha256"]
    return EvidenceManifest(violation.event_id, Path(out_dir) / name, digests)


def _decode_window(
    clip: FrameIndex, window: EvidenceWindow, scene: EventScene, clip_file: Path
) -> dict[str, np.ndarray]:
    """Encode the annotated clip; keep only the raw stills in memory."""
    wanted = set(window.stills.values())
    kept: dict[int, np.ndarray] = {}
    with H264Writer(clip_file, clip) as writer:
        for index, frame in read_frames(clip, window.decode_first, window.decode_last):
            if index in wanted:
                kept[index] = frame
            if window.clip_first <= index <= window.clip_last:
                writer.write(index, annotate_frame(frame, scene, index, clip.time_s(index)))
    return {name: kept[index] for name, index in window.stills.items()}


def _write_pictures(
    folder: Path,
    stills: dict[str, np.ndarray],
    scene: EventScene,
    clip: FrameIndex,
    window: EvidenceWindow,
) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for name, file in STILL_FILES.items():
        index = window.stills[name]
        _write_jpeg(folder / file, annotate_frame(stills[name], scene, index, clip.time_s(index)))
        files[file] = {**file_facts(folder / file), "frame_index": index, "t_s": clip.time_s(index)}
    at = window.stills["at"]
    box = box_at(scene.violation.track, at) or _nearest_point(scene.violation, at).xyxy
    _write_jpeg(folder / CLOSEUP_FILE, closeup(crop_box(stills["at"], box, CLOSEUP_PAD)))
    files[CLOSEUP_FILE] = {
        **file_facts(folder / CLOSEUP_FILE),
        "frame_index": at,
        "t_s": clip.time_s(at),
    }
    return files


def _write_jpeg(path: Path, image: np.ndarray) -> None:
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError(f"OpenCV could not encode {path.name} as JPEG")
    path.write_bytes(encoded.tobytes())


def _nearest_point(violation: Violation, frame_index: int) -> TrackPoint:
    return min(violation.track, key=lambda point: abs(point.frame_index - frame_index))
