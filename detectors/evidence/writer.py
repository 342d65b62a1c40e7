"""The evidence folder of one event, from one decoding pass over the event window.

Pipeline use: for each violation, ``write_evidence(..., attribute_courier=...)`` decodes the
window once; the same pass feeds the road user's crops to the courier attributor, encodes the
annotated clip and keeps the three stills, so the folder records the attributed violation.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from detectors.config.camera import CameraConfig
from detectors.events.courier import courier_crop_box
from detectors.events.violation import CourierAttribution, TrackPoint, Violation
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
from detectors.evidence.video import FrameIndex, H264Writer, index_frames, read_frames

CourierAttributor = Callable[[Sequence[np.ndarray]], CourierAttribution]

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
    attribute_courier: CourierAttributor | None = None,
) -> tuple[Violation, EvidenceManifest]:
    """Write ``out_dir/<event>/`` whole or not at all; return the (attributed) violation.

    ``clip_start``: wall-clock time of the clip's first frame; naive means local to the camera.
    ``attribute_courier`` receives the road user's crops at its track points, oldest first.
    """
    clip = index_frames(Path(clip_path))
    scene = build_scene(violation, camera.scaled_to(clip.width, clip.height), clip_start)
    window = plan_window(violation, clip)
    name = folder_name(violation.event_id)
    with _staged_folder(Path(out_dir), name) as staging:
        stills, crops = _decode_window(clip, window, scene, staging / CLIP_FILE)
        if attribute_courier is not None:
            violation = replace(violation, courier=attribute_courier(crops))
        files = _write_pictures(staging, stills, scene, clip, window)
        files[CLIP_FILE] = file_facts(staging / CLIP_FILE)
        record = event_record(violation, scene, clip, window, provenance, files)
        text = json.dumps(record, ensure_ascii=False, indent=2, default=json_default)
        (staging / RECORD_FILE).write_text(text + "\n", encoding="utf-8")
        digests = {file: facts["sha256"] for file, facts in files.items()}
        digests[RECORD_FILE] = file_facts(staging / RECORD_FILE)["sha256"]
    return violation, EvidenceManifest(violation.event_id, Path(out_dir) / name, digests)


def _decode_window(
    clip: FrameIndex, window: EvidenceWindow, scene: EventScene, clip_file: Path
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """Encode the annotated clip; keep only the raw stills and the small track crops in memory."""
    points = _points_by_frame(scene.violation)
    wanted = set(window.stills.values())
    kept: dict[int, np.ndarray] = {}
    crops: list[np.ndarray] = []
    with H264Writer(clip_file, clip) as writer:
        for index, frame in read_frames(clip, window.decode_first, window.decode_last):
            if index in wanted:
                kept[index] = frame
            if index in points:
                crops.append(_courier_crop(frame, points[index].xyxy))
            if window.clip_first <= index <= window.clip_last:
                writer.write(index, annotate_frame(frame, scene, index, clip.time_s(index)))
    return {name: kept[index] for name, index in window.stills.items()}, crops


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


def _courier_crop(frame: np.ndarray, xyxy: tuple[float, float, float, float]) -> np.ndarray:
    x1, y1, x2, y2 = courier_crop_box(xyxy, frame.shape)
    return frame[y1:y2, x1:x2].copy()


def _points_by_frame(violation: Violation) -> dict[int, TrackPoint]:
    return {point.frame_index: point for point in violation.track}


def _nearest_point(violation: Violation, frame_index: int) -> TrackPoint:
    return min(violation.track, key=lambda point: abs(point.frame_index - frame_index))


@contextmanager
def _staged_folder(out_dir: Path, name: str) -> Iterator[Path]:
    """Build under a hidden name beside the final one, then swap it in; on any error remove it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".{name}.partial-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=out_dir))
    try:
        yield staging
        staging.chmod(0o755)  # mkdtemp makes it private; the review app must read it
        _fsync_tree(staging)
        _swap_into_place(staging, out_dir / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_into_place(staging: Path, final: Path) -> None:
    # A directory cannot be renamed over a non-empty one: retire the old folder first. A crash in
    # between leaves no folder under the final name, never a half-written one.
    retired = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    _fsync_path(final.parent)
    shutil.rmtree(retired, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        _fsync_path(path)
    _fsync_path(folder)


def _fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
