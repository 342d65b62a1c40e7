"""Evidence files, served only from the warehouse's evidence store (``WAREHOUSE/evidence/``),
and what an event page shows of them: the clip, the stills in time order, each file's check
against the digests the warehouse loaded (``analytics.warehouse.evidence``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analytics.warehouse.evidence import EvidenceCheck, EvidenceFile, resolve_inside

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


def record_names(warehouse: Path, view: EvidenceView) -> dict[str, str | None]:
    """Display names of the event's camera, zone and signal from its evidence record
    (event.json), read only when the record itself is as loaded; None where it has none."""
    names: dict[str, str | None] = {"camera": None, "zone": None, "signal": None}
    if view.record is None or view.record.state != "intact":
        return names
    try:
        record = json.loads((Path(warehouse) / view.record.path).read_text(encoding="utf-8"))
        names["camera"] = record["camera"].get("name")
        names["zone"] = record["zone"].get("name")
        names["signal"] = (record.get("signal") or {}).get("name")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return {
        key: value if isinstance(value, str) and value else None for key, value in names.items()
    }
