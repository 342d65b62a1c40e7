"""Evidence files, served only from the warehouse's evidence store (``WAREHOUSE/evidence/``),
and what an event page shows of them: the clip, the stills in time order, each file's check
against the digests the warehouse loaded (``analytics.warehouse.evidence``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analytics.warehouse.evidence import EvidenceCheck, EvidenceFile, record_names, resolve_inside

MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".mp4": "video/mp4"}
RECORD_FILE = "event.json"  # the evidence record: camera, zone, signal, road user, files


def resolve_evidence_file(warehouse: Path, requested: str) -> Path | None:
    """An evidence picture or clip the browser may fetch, else None."""
    path = resolve_inside(warehouse, requested)
    if path is None or path.suffix.lower() not in MEDIA_TYPES or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class EvidenceView:
    """The evidence of one event as its page shows it."""

    check: EvidenceCheck
    video: EvidenceFile | None
    images: list[EvidenceFile]  # the three stills in time order, then the close-up and others
    record: EvidenceFile | None  # event.json


def evidence_view(check: EvidenceCheck) -> EvidenceView:
    media = [
        item
        for item in check.files
        if Path(item.name).suffix.lower() in MEDIA_TYPES and item.state != "missing"
    ]
    videos = [item for item in media if MEDIA_TYPES[Path(item.name).suffix.lower()] == "video/mp4"]
    images = sorted(
        (item for item in media if item not in videos),
        key=lambda item: (not item.name.startswith("frame_"), item.name),
    )
    return EvidenceView(check, videos[0] if videos else None, images, check.file(RECORD_FILE))


def view_names(warehouse: Path, view: EvidenceView) -> dict[str, str | None]:
    """Display names of the event's camera, zone and signal, from its evidence record when
    that record is as loaded."""
    intact = view.record is not None and view.record.state == "intact"
    return record_names(Path(warehouse) / view.record.path if intact else None)
