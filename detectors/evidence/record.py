"""The content of ``event.json``: what happened, where, when, under which signal, with proof."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from detectors.config.camera import camera_config_hash
from detectors.config.names import configured_signal_name, configured_zone_name
from detectors.events.violation import Violation
from detectors.evidence.scene import EventScene, EvidenceWindow, wall_clock
from detectors.frames.exact import FrameIndex
from detectors.outputs import file_sha256

SCHEMA_VERSION = 1


def event_record(
    violation: Violation,
    scene: EventScene,
    clip: FrameIndex,
    window: EvidenceWindow,
    provenance: dict[str, Any],
    files: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """``files``: name -> facts about each evidence file (its digest, and for stills the frame)."""
    camera = scene.camera
    return {
        "schema_version": SCHEMA_VERSION,
        "event_id": violation.event_id,
        "rule": violation.rule,
        "camera": {
            "id": camera.camera_id,
            "name": camera.name,
            "intersection_id": camera.intersection_id,
            "district": camera.district,
            "grid_cell": camera.grid_cell,
            "timezone": camera.timezone,
            "config_hash": camera_config_hash(camera),
        },
        "time": {
            "t_s": violation.t_s,
            "t_end_s": violation.t_end_s,
            "frame_index": violation.frame_index,
            "clip_start": _iso(scene.clip_start),
            "wall_clock": _iso(wall_clock(scene.clip_start, violation.t_s)),
            "wall_clock_end": _iso(
                None
                if violation.t_end_s is None
                else wall_clock(scene.clip_start, violation.t_end_s)
            ),
        },
        "source_clip": {
            "clip_id": violation.clip_id or None,
            "name": clip.path.name,
            "frame_size": [clip.width, clip.height],
            "frame_count": clip.frame_count,
            "fps": round(clip.fps, 4),
        },
        "zone": {
            "id": violation.zone_id,
            "name": configured_zone_name(camera, violation.zone_id),  # None when unnamed
            "kind": scene.zone_kind,
            "polygon": scene.polygon.tolist(),
            "legal_direction": list(scene.direction) if scene.direction is not None else None,
        },
        "road_user": {
            "track_id": violation.track_id,
            "class_name": violation.class_name,
            "confidence": violation.confidence,
            "foot_xy": [violation.x, violation.y],
            "positions": [asdict(point) for point in violation.track],
        },
        "signal": (
            {
                "id": violation.signal_id,
                "name": configured_signal_name(camera, violation.signal_id),
                "state": violation.signal_state,
            }
            if violation.signal_id
            else None
        ),
        "courier": (
            {**asdict(violation.courier), "is_courier": violation.courier.is_courier}
            if violation.courier is not None
            else None
        ),
        "details": violation.details,
        "provenance": provenance,
        "evidence": {
            "clip_frames": [window.clip_first, window.clip_last],
            "clip_span_s": [clip.time_s(window.clip_first), clip.time_s(window.clip_last)],
            "files": files,
        },
    }


def file_facts(path: Path) -> dict[str, Any]:
    return {"sha256": file_sha256(path), "bytes": path.stat().st_size}


def json_default(value: Any) -> Any:
    """Rules may leave numpy numbers in ``details``; anything else unknown is a bug to surface."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(
        f"event.json cannot hold {type(value).__name__} {value!r}; give plain numbers/text"
    )


def _iso(when: Any) -> str | None:
    return None if when is None else when.isoformat(timespec="milliseconds")
