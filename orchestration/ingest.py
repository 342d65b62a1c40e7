"""Ingest one landing file: fetch, dedupe by SHA-256, validate, then register or quarantine.

Whatever happens the file leaves the landing area, and only after its copy is safely in the
store or in quarantine; a task killed before that leaves it in place for the next run. Dedupe
holds a lock on the footage's hash from the registry check to the registration, so identical
files dropped at the same moment register once and the others are quarantined as duplicates.

A file that is already registered from the same landing key and was not written since is the
leftover of a run killed after registering it, and is only removed; the same footage dropped
again later is a duplicate, kept in quarantine with the reason like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from detectors.config.errors import InputError
from detectors.outputs import clip_id_for
from orchestration.landing import Fetched, fetched, remove_from_landing, return_to_landing
from orchestration.quarantine import quarantine, quarantined, release
from orchestration.settings import Locations
from orchestration.store import ClipRecord, ClipStore
from orchestration.validate import ClipLimits, refusal_kind, validate_clip

Status = Literal["registered", "already_registered", "duplicate", "quarantined"]


@dataclass(frozen=True)
class IngestOutcome:
    key: str
    status: Status
    clip_id: str
    detail: str  # the reason of a refusal, else where the clip is now

    @property
    def is_new_clip(self) -> bool:
        return self.status == "registered"


def clip_quarantine(locations: Locations) -> Path:
    return locations.quarantine / "clips"


def ingest_clip(
    area: Any,
    key: str,
    locations: Locations,
    limits: ClipLimits | None = None,
    now: datetime | None = None,
) -> IngestOutcome:
    """Handle the landing file ``key`` of ``area`` (a Path or ObjectStoragePath)."""
    store = ClipStore(locations.store)
    now = now or datetime.now(UTC)
    with fetched(area, key, store.incoming) as clip:
        clip_id = clip_id_for(clip.sha256)
        with store.footage_lock(clip_id):
            existing = store.record(clip_id)
            if existing is not None:
                outcome = _seen_before(clip, existing, locations, now)
            else:
                outcome = _validate_and_file(clip, store, locations, limits, now)
    remove_from_landing(area, key)
    return outcome


def _seen_before(
    clip: Fetched, existing: ClipRecord, locations: Locations, now: datetime
) -> IngestOutcome:
    registered = f"{existing.registered_at:%Y-%m-%d %H:%M:%S} UTC"
    if existing.source == clip.key and clip.modified_at <= existing.registered_at:
        detail = (
            f"registered as clip {existing.clip_id} at {registered} by a run that stopped before "
            "removing it from the landing area; removed now, the clip is in the store"
        )
        return IngestOutcome(clip.key, "already_registered", existing.clip_id, detail)
    reason = (
        f"same footage (SHA-256) as clip {existing.clip_id}, registered {registered} from "
        f"{existing.source}; nothing to do unless this file was meant to be different footage "
        f"(to analyse that clip again: civility clips reanalyse --clip {existing.clip_id})"
    )
    details = {"refusal": "duplicate", "duplicate_of": existing.clip_id}
    _file_refusal(clip, locations, reason, now, details)
    return IngestOutcome(clip.key, "duplicate", existing.clip_id, reason)


def _validate_and_file(
    clip: Fetched,
    store: ClipStore,
    locations: Locations,
    limits: ClipLimits | None,
    now: datetime,
) -> IngestOutcome:
    try:
        accepted = validate_clip(clip.path, locations.cameras, limits)
    except InputError as error:
        # The message names the private fetched copy; whoever fixes it knows the landing key.
        reason = str(error).replace(str(clip.path), clip.key)
        details = {"refusal": refusal_kind(error)}
        if camera_id := getattr(error, "camera_id", None):
            details["camera_id"] = camera_id
        _file_refusal(clip, locations, reason, now, details)
        return IngestOutcome(clip.key, "quarantined", clip_id_for(clip.sha256), reason)
    record = store.register(clip, accepted, now)
    return IngestOutcome(clip.key, "registered", record.clip_id, str(store.clip_path(record)))


def _file_refusal(
    clip: Fetched,
    locations: Locations,
    reason: str,
    now: datetime,
    details: dict[str, Any],
) -> Path:
    files = [clip.path] + ([clip.sidecar] if clip.sidecar else [])
    details = {"landing_key": clip.key, **details}
    return quarantine(files, clip_quarantine(locations), reason, clip.sha256, now, details)


def requeue_known_cameras(area: Any, locations: Locations) -> list[str]:
    """Put clips quarantined for an unknown camera back into the landing area once that camera's
    file exists, under their original keys; return those keys. The next ingest judges them
    afresh (a camera file that does not validate quarantines them again, with that reason)."""
    keys = []
    for entry in quarantined(clip_quarantine(locations)):
        camera_id = entry.reason.get("camera_id")
        if entry.reason.get("refusal") != "unknown_camera" or not camera_id:
            continue
        if not (locations.cameras / f"{camera_id}.yaml").is_file():
            continue
        key = entry.reason["landing_key"]
        release(entry, lambda source, name, key=key: return_to_landing(area, key, source, name))
        keys.append(key)
    return keys
