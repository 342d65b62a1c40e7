"""Run the engine on a registered clip, into the store's staging output folder.

The outputs appear atomically (``process_clip``), so a detection killed half-way leaves nothing
a warehouse load could pick up, and running it again simply starts over. A clip already in the
warehouse is not analysed again. Footage the engine cannot decode is quarantined with the
engine's reason; a broken camera file is not the clip's fault and stays an error to fix.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from detectors.config.errors import InputError
from detectors.continuity import MAX_GAP_S, BoundaryState, read_state
from detectors.detections.detector import Detector, DetectorSettings, default_model
from detectors.frames.binding import sidecar_path
from detectors.frames.source import ClipError
from detectors.process import process_clip
from orchestration.ingest import clip_quarantine
from orchestration.quarantine import quarantine
from orchestration.settings import Locations
from orchestration.store import ClipRecord, ClipStore, write_json
from orchestration.validate import camera_for


def detect_registered(
    clip_id: str, locations: Locations, detector: Detector | None = None
) -> Path | None:
    """The clip's output folder, freshly written; None if the clip is already in the warehouse
    or was quarantined because the engine cannot read it."""
    store = ClipStore(locations.store)
    record = store.record(clip_id)
    if record is None:
        raise InputError(
            f"clip {clip_id} is not registered in {store.root}; it may have been quarantined "
            f"(see {clip_quarantine(locations)}) — run clip_ingest for new clips"
        )
    if store.analysed(clip_id) is not None:
        return None
    camera = camera_for(record.camera_id, locations.cameras)
    detector = detector or Detector(DetectorSettings(model=default_model()))
    out = store.output_dir(clip_id)
    try:
        processed = process_clip(
            store.clip_path(record),
            camera,
            out,
            detector,
            clip_start=record.started_at,
            after=previous_state(store, record),
        )
    except ClipError as error:
        refuse_registered(store, record, locations, str(error))
        return None
    write_json(store.boundary_path(clip_id), processed.result.boundary.model_dump(mode="json"))
    return out


def previous_state(store: ClipStore, record: ClipRecord) -> BoundaryState | None:
    """The boundary state of the camera's previous clip, where that clip is analysed and ended
    where this one starts; None (a fresh start) otherwise, e.g. while it is still being analysed
    by another worker."""
    previous = store.previous_clip(record, MAX_GAP_S)
    if previous is None or not store.boundary_path(previous.clip_id).is_file():
        return None
    return read_state(store.boundary_path(previous.clip_id))


def refuse_registered(
    store: ClipStore, record: ClipRecord, locations: Locations, reason: str
) -> Path:
    """Move a registered clip the engine refused into quarantine and drop it from the store."""
    clip = store.clip_path(record)
    files = [clip] + [p for p in (sidecar_path(clip),) if p.is_file()]
    details = {"landing_key": record.source, "record": record.model_dump(mode="json")}
    now = datetime.now(UTC)
    moved = quarantine(files, clip_quarantine(locations), reason, record.sha256, now, details)
    store.forget(record.clip_id)
    return moved
