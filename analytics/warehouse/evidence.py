"""Whether an event's evidence is what the warehouse loaded: each file's SHA-256 against the
digests the engine recorded (``evidence_sha256_json`` of the event's row), never against a
file lying beside the evidence, which whoever changed a picture could rewrite as well.

Paths come from the warehouse's rows; each is resolved (``..``, symbolic links) and must lie
inside the evidence store, so no row and no request reaches another file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from analytics.warehouse.layout import evidence_root
from detectors.outputs import file_sha256

# intact: as loaded; tampered: changed, or a file the load did not hold; missing: gone;
# unrecorded: the warehouse holds no digests for it (no verdict possible).
EvidenceState = Literal["intact", "tampered", "missing", "unrecorded"]


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    path: str  # relative to the warehouse, for links
    state: EvidenceState
    sha256: str | None = None  # of the file as read for the check; None when missing


@dataclass(frozen=True)
class EvidenceCheck:
    state: EvidenceState
    files: tuple[EvidenceFile, ...] = ()
    folder: Path | None = None

    @property
    def is_intact(self) -> bool:
        return self.state == "intact"

    def file(self, name: str) -> EvidenceFile | None:
        return next((item for item in self.files if item.name == name), None)


def resolve_inside(root: Path, requested: str) -> Path | None:
    """The real path of ``requested`` (relative to the warehouse) when it lies inside the
    evidence store, else None."""
    if not requested or "\x00" in requested or Path(requested).is_absolute():
        return None
    try:
        resolved = (Path(root) / requested).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    store = evidence_root(Path(root)).resolve()
    return resolved if resolved.is_relative_to(store) and resolved != store else None


def recorded_digests(evidence_sha256_json: str | None) -> dict[str, str] | None:
    """File name -> SHA-256 as loaded; None when there is no usable record."""
    try:
        digests = json.loads(evidence_sha256_json or "")
    except (TypeError, ValueError):
        return None
    if not isinstance(digests, dict) or not digests:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in digests.items()):
        return None
    return digests


def check_evidence(
    root: Path,
    evidence_path: str | None,
    evidence_sha256_json: str | None,
    hash_file: Callable[[Path], str] = file_sha256,
) -> EvidenceCheck:
    """Every file of the event's evidence folder and every recorded file, each with its state;
    the folder's state is the worst of them (tampered, then missing, then unrecorded).

    ``hash_file`` reads each file present once and returns its SHA-256 (the case export
    copies the file on that same read)."""
    folder = resolve_inside(root, evidence_path or "")
    if folder is None or not folder.is_dir():
        return EvidenceCheck("missing")
    digests = recorded_digests(evidence_sha256_json)
    present = {
        path.name: path
        for path in sorted(folder.iterdir())
        if path.is_file() and path.resolve().parent == folder
    }
    base = evidence_path.rstrip("/")  # type: ignore[union-attr]
    files = []
    for name in sorted(set(present) | set(digests or {})):
        digest = hash_file(present[name]) if name in present else None
        if digests is None:
            state: EvidenceState = "unrecorded"
        elif name not in digests:
            state = "tampered"  # a file the load did not hold
        elif digest is None:
            state = "missing"
        else:
            state = "intact" if digest == digests[name] else "tampered"
        files.append(EvidenceFile(name, f"{base}/{name}", state, digest))
    return EvidenceCheck(_worst(file.state for file in files), tuple(files), folder)


def _worst(states) -> EvidenceState:
    found = set(states)
    for state in ("tampered", "missing", "unrecorded"):
        if state in found:
            return state  # type: ignore[return-value]
    return "intact" if found else "missing"


def record_names(record: Path | None) -> dict[str, str | None]:
    """Display names of the camera, zone and signal in an evidence record (``event.json``,
    which only an intact check should hand in); None for each one it does not name."""
    names: dict[str, object] = {"camera": None, "zone": None, "signal": None}
    try:
        data = json.loads(record.read_text(encoding="utf-8")) if record else {}
        names["camera"] = data["camera"].get("name")
        names["zone"] = data["zone"].get("name")
        names["signal"] = (data.get("signal") or {}).get("name")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return {
        key: value if isinstance(value, str) and value else None for key, value in names.items()
    }
