"""Ingest one landing file: fetch, dedupe by SHA-256, validate, then register or quarantine.

Whatever happens the file leaves the landing area, and only after its copy is safely in the
store or in quarantine; a task killed before that leaves it in place for the next run. A file
that is already registered from the same landing key is such a leftover and is only removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from detectors.config.errors import InputError
from detectors.outputs import clip_id_for
from orchestration.landing import Fetched, fetched, remove_from_landing
from orchestration.quarantine import quarantine
from orchestration.settings import Locations
from orchestration.store import ClipRecord, ClipStore
from orchestration.validate import ClipLimits, validate_clip

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
        existing = store.record(clip_id_for(clip.sha256))
        if existing is not None:
            outcome = _seen_before(clip, existing, locations, now)
        else:
            outcome = _validate_and_file(clip, store, locations, limits, now)
    remove_from_landing(area, key)
    return outcome


def _seen_before(
    clip: Fetched, existing: ClipRecord, locations: Locations, now: datetime
) -> IngestOutcome:
    if existing.source == clip.key:
        return IngestOutcome(clip.key, "already_registered", existing.clip_id, "left in landing")
    reason = (
        f"same footage (SHA-256) as clip {existing.clip_id}, registered "
        f"{existing.registered_at:%Y-%m-%d %H:%M} UTC from {existing.source}; nothing to do "
        "unless this file was meant to be different footage"
    )
    _file_refusal(clip, locations, reason, now, {"duplicate_of": existing.clip_id})
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
        _file_refusal(clip, locations, reason, now)
        return IngestOutcome(clip.key, "quarantined", clip_id_for(clip.sha256), reason)
    record = store.register(clip, accepted, now)
    return IngestOutcome(clip.key, "registered", record.clip_id, str(store.clip_path(record)))


def _file_refusal(
    clip: Fetched,
    locations: Locations,
    reason: str,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> Path:
    files = [clip.path] + ([clip.sidecar] if clip.sidecar else [])
    details = {"landing_key": clip.key, **(details or {})}
    return quarantine(files, clip_quarantine(locations), reason, clip.sha256, now, details)
