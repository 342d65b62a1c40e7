"""A clip's results as Parquet files, the hand-over to the warehouse.

One folder per clip holds five tables (the schema is in docs/outputs.md) and the evidence folders.
``clip_id`` is the clip file's SHA-256 prefix: re-processing the same footage yields the same id,
so the warehouse replaces that clip's rows instead of adding new ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:  # the warehouse reads SCHEMAS without importing the engine (OpenCV, YOLO)
    from detectors.events.violation import CourierAttribution, Violation
    from detectors.evidence.writer import EvidenceManifest
    from detectors.pipeline import ClipResult
    from detectors.tracks.summary import ZonePassage

ENGINE_VERSION = "traffic-civility-engine/0.1.0"
TABLES = ("clip", "events", "track_summaries", "zone_passages", "signal_timeline")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def clip_id_for(sha256: str) -> str:
    return sha256[:16]


def _at(result: ClipResult, t_s: float | None) -> datetime | None:
    if result.clip_start is None or t_s is None:
        return None
    return result.clip_start + timedelta(seconds=t_s)


def _rounded(t_s: float | None) -> float | None:
    return None if t_s is None else round(t_s, 3)


def clip_row(result: ClipResult, clip_sha256: str, processed_at: datetime) -> dict[str, Any]:
    camera = result.camera
    return {
        "clip_id": clip_id_for(clip_sha256),
        "clip_sha256": clip_sha256,
        "clip_path": str(result.clip.path),
        "camera_id": camera.camera_id,
        "camera_name": camera.name,
        "intersection_id": camera.intersection_id,
        "district": camera.district,
        "grid_cell": camera.grid_cell,
        "timezone": camera.timezone,
        "started_at": result.clip_start,
        "width_px": result.clip.width,
        "height_px": result.clip.height,
        "fps": result.clip.fps,
        "count_frames_declared": result.clip.frame_count,
        "count_frames_decoded": result.decode.frames_decoded,
        "count_frames_analysed": result.decode.frames_analysed,
        "duration_s": round(result.analysed_duration_s, 3),
        "analysis_fps": result.analysis_fps,
        "is_partial": result.decode.is_partial,
        "view_changed_s": _rounded(result.view.changed_at_s),
        "view_changed_at": _at(result, result.view.changed_at_s),
        "view_shift_max_px": round(result.view.max_shift_px, 1),
        "view_registration_ms": round(result.view.registration_ms, 1),
        "count_view_changes": len(result.view.changes),
        "view_changed_duration_s": round(result.view.changed_s(result.analysed_duration_s), 3),
        "model_version": result.model_version,
        "config_hash": result.config_hash,
        "engine_version": ENGINE_VERSION,
        "runtime_s": round(result.runtime_s, 3),
        "processed_at": processed_at,
        "camera_config_sha256": result.camera_config_sha256,
        "continued_from_clip_id": result.continued.clip_id if result.continued else None,
    }


def courier_columns(courier: CourierAttribution | None) -> dict[str, Any]:
    """The livery columns of events and lane passages; all null where nobody attributed it."""
    return {
        "courier_platform": courier.platform if courier else None,
        "courier_confidence": round(courier.confidence, 3) if courier else None,
        "is_courier": courier.is_courier if courier else None,
    }


def event_row(
    result: ClipResult,
    clip_id: str,
    violation: Violation,
    evidence: EvidenceManifest | None,
    out_dir: Path,
) -> dict[str, Any]:
    return {
        "event_id": violation.event_id,
        "clip_id": clip_id,
        "camera_id": violation.camera_id,
        "rule": violation.rule,
        "zone_id": violation.zone_id,
        "track_id": violation.track_id,
        "class_name": violation.class_name,
        "t_s": round(violation.t_s, 3),
        "t_end_s": None if violation.t_end_s is None else round(violation.t_end_s, 3),
        "occurred_at": _at(result, violation.t_s),
        "frame_index": violation.frame_index,
        "x_px": round(violation.x, 1),
        "y_px": round(violation.y, 1),
        "confidence": round(violation.confidence, 4),
        "signal_id": violation.signal_id,
        "signal_state": violation.signal_state,
        **courier_columns(violation.courier),
        "evidence_dir": str(evidence.folder.relative_to(out_dir)) if evidence else None,
        "evidence_sha256_json": json.dumps(evidence.files, sort_keys=True) if evidence else None,
        "details_json": json.dumps(violation.details, ensure_ascii=False, sort_keys=True),
    }


def passage_row(result: ClipResult, passage: ZonePassage) -> dict[str, Any]:
    columns = {name: value for name, value in asdict(passage).items() if name != "courier"}
    return {
        **columns,
        **courier_columns(passage.courier),
        "entered_at": _at(result, passage.entered_s),
    }


def write_outputs(
    result: ClipResult,
    clip_sha256: str,
    evidence: dict[str, EvidenceManifest],
    out_dir: Path,
    write_dir: Path | None = None,
) -> dict[str, Path]:
    """Write the five tables into ``write_dir`` (default ``out_dir``): the staging folder that the
    caller renames to ``out_dir``, against which evidence paths are made relative."""
    write_dir = write_dir or out_dir
    clip_id = clip_id_for(clip_sha256)
    camera_id = result.camera.camera_id
    keys = {"clip_id": clip_id, "camera_id": camera_id}
    rows = {
        "clip": [clip_row(result, clip_sha256, datetime.now(UTC))],
        "events": [
            event_row(result, clip_id, v, evidence.get(v.event_id), out_dir)
            for v in result.violations
        ],
        "track_summaries": [{**keys, **asdict(t)} for t in result.tracks],
        "zone_passages": [{**keys, **passage_row(result, p)} for p in result.passages],
        "signal_timeline": [
            {
                **keys,
                "signal_id": s.signal_id,
                "from_s": s.from_s,
                "to_s": s.to_s,
                "state": str(s.state),
                "from_at": _at(result, s.from_s),
                "to_at": _at(result, s.to_s),
            }
            for s in result.signal_timeline
        ],
    }
    paths = {}
    for name in TABLES:
        paths[name] = write_dir / f"{name}.parquet"
        pq.write_table(_table(name, rows[name]), paths[name])
    return paths


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pylist(rows, schema=schema)


_TS = pa.timestamp("us", tz="UTC")
SCHEMAS: dict[str, pa.Schema] = {
    "clip": pa.schema(
        [
            ("clip_id", pa.string()),
            ("clip_sha256", pa.string()),
            ("clip_path", pa.string()),
            ("camera_id", pa.string()),
            ("camera_name", pa.string()),
            ("intersection_id", pa.string()),
            ("district", pa.string()),
            ("grid_cell", pa.string()),
            ("timezone", pa.string()),
            ("started_at", _TS),
            ("width_px", pa.int32()),
            ("height_px", pa.int32()),
            ("fps", pa.float64()),
            ("count_frames_declared", pa.int64()),
            ("count_frames_decoded", pa.int64()),
            ("count_frames_analysed", pa.int64()),
            ("duration_s", pa.float64()),
            ("analysis_fps", pa.float64()),
            ("is_partial", pa.bool_()),
            ("view_changed_s", pa.float64()),
            ("view_changed_at", _TS),
            ("view_shift_max_px", pa.float64()),
            ("view_registration_ms", pa.float64()),
            ("count_view_changes", pa.int32()),
            ("view_changed_duration_s", pa.float64()),
            ("model_version", pa.string()),
            ("config_hash", pa.string()),
            ("engine_version", pa.string()),
            ("runtime_s", pa.float64()),
            ("processed_at", _TS),
            ("camera_config_sha256", pa.string()),
            # The clip whose boundary state this one carried on from; null: started fresh.
            ("continued_from_clip_id", pa.string()),
        ]
    ),
    "events": pa.schema(
        [
            ("event_id", pa.string()),
            ("clip_id", pa.string()),
            ("camera_id", pa.string()),
            ("rule", pa.string()),
            ("zone_id", pa.string()),
            ("track_id", pa.int64()),
            ("class_name", pa.string()),
            ("t_s", pa.float64()),
            ("t_end_s", pa.float64()),
            ("occurred_at", _TS),
            ("frame_index", pa.int64()),
            ("x_px", pa.float64()),
            ("y_px", pa.float64()),
            ("confidence", pa.float64()),
            ("signal_id", pa.string()),
            ("signal_state", pa.string()),
            ("courier_platform", pa.string()),
            ("courier_confidence", pa.float64()),
            ("is_courier", pa.bool_()),
            ("evidence_dir", pa.string()),
            ("evidence_sha256_json", pa.string()),
            ("details_json", pa.string()),
        ]
    ),
    "track_summaries": pa.schema(
        [
            ("clip_id", pa.string()),
            ("camera_id", pa.string()),
            ("track_id", pa.int64()),
            ("class_name", pa.string()),
            ("road_user", pa.string()),
            ("first_s", pa.float64()),
            ("last_s", pa.float64()),
            ("observations", pa.int64()),
            ("mean_confidence", pa.float64()),
            ("speed_heights_per_s", pa.float64()),
        ]
    ),
    "zone_passages": pa.schema(
        [
            ("clip_id", pa.string()),
            ("camera_id", pa.string()),
            ("track_id", pa.int64()),
            ("road_user", pa.string()),
            ("zone_kind", pa.string()),
            ("zone_id", pa.string()),
            ("entered_s", pa.float64()),
            ("left_s", pa.float64()),
            ("signal_id", pa.string()),
            ("signal_state_at_entry", pa.string()),
            ("along_direction_px", pa.float64()),
            ("entered_at", _TS),
            ("courier_platform", pa.string()),
            ("courier_confidence", pa.float64()),
            ("is_courier", pa.bool_()),
        ]
    ),
    "signal_timeline": pa.schema(
        [
            ("clip_id", pa.string()),
            ("camera_id", pa.string()),
            ("signal_id", pa.string()),
            ("from_s", pa.float64()),
            ("to_s", pa.float64()),
            ("state", pa.string()),
            ("from_at", _TS),
            ("to_at", _TS),
        ]
    ),
}
