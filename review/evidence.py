"""Evidence files, served only from the warehouse's evidence store (``WAREHOUSE/evidence/``).

A requested path is resolved (following ``..`` and symbolic links) before it is checked, so
neither ``..`` segments, absolute paths nor a link pointing out of the store reach another file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from analytics.warehouse.layout import evidence_root as warehouse_evidence_root
from detectors.outputs import file_sha256

MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".mp4": "video/mp4"}
RECORD_FILE = "event.json"  # the evidence record: every file with its SHA-256


def evidence_root(warehouse: Path) -> Path:
    return warehouse_evidence_root(Path(warehouse)).resolve()


def resolve_inside(warehouse: Path, requested: str) -> Path | None:
    """The real path of ``requested`` (relative to the warehouse) when it lies inside the
    evidence store, else None."""
    if not requested or "\x00" in requested or Path(requested).is_absolute():
        return None
    try:
        resolved = (Path(warehouse) / requested).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    root = evidence_root(warehouse)
    return resolved if resolved.is_relative_to(root) and resolved != root else None


def resolve_evidence_file(warehouse: Path, requested: str) -> Path | None:
    """An evidence picture or clip the browser may fetch, else None."""
    path = resolve_inside(warehouse, requested)
    if path is None or path.suffix.lower() not in MEDIA_TYPES or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class EvidenceFolder:
    """What an event's evidence folder holds, as paths relative to the warehouse."""

    video: str | None = None
    images: list[str] = field(default_factory=list)
    # file name -> whether its SHA-256 matches the one recorded in event.json
    intact: dict[str, bool] = field(default_factory=dict)
    is_missing: bool = False


def read_evidence_folder(warehouse: Path, evidence_path: str | None) -> EvidenceFolder:
    folder = resolve_inside(warehouse, evidence_path or "")
    if folder is None or not folder.is_dir():
        return EvidenceFolder(is_missing=True)
    media = sorted(
        p for p in folder.iterdir() if p.suffix.lower() in MEDIA_TYPES and _stays_inside(p, folder)
    )
    relative = {p.name: f"{evidence_path.rstrip('/')}/{p.name}" for p in media}
    videos = [p.name for p in media if MEDIA_TYPES[p.suffix.lower()].startswith("video/")]
    images = [p.name for p in media if p.name not in videos]
    # The three stills in time order first, then the close-up and anything else.
    images.sort(key=lambda name: (not name.startswith("frame_"), name))
    return EvidenceFolder(
        video=relative[videos[0]] if videos else None,
        images=[relative[name] for name in images],
        intact=_check_digests(folder, [p.name for p in media]),
    )


def _stays_inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder


def _check_digests(folder: Path, names: list[str]) -> dict[str, bool]:
    """Each file's SHA-256 against event.json's record (files it does not list are left out)."""
    try:
        record = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
        recorded = record["evidence"]["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {
        name: file_sha256(folder / name) == recorded[name].get("sha256")
        for name in names
        if isinstance(recorded.get(name), dict)
    }
