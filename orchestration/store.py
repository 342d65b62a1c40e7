"""The clip store: registered clips, their registry records and what became of them.

```
STORE/
  clips/<clip_id>/<file name>      the footage, as landed
  clips/<clip_id>/<stem>.json      its sidecar, when it came with one
  clips/<clip_id>/record.json      the registry record (ClipRecord)
  analysed/<clip_id>.json          written once the clip's outputs are in the warehouse
  outputs/<clip_id>/               engine outputs awaiting their warehouse load
  boundary/<clip_id>.json          the clip's boundary state, kept for the camera's next clip
  .incoming/                       landing files being fetched
```
A clip folder appears by one rename, record included, so a registered clip is always complete.
``clip_id`` is the engine's (first 16 hex digits of the file's SHA-256): the same footage landing
twice is the same clip, whatever its name.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from detectors.atomic import staged_folder, write_atomically
from detectors.outputs import clip_id_for
from orchestration.landing import Fetched
from orchestration.validate import AcceptedClip

RECORD_NAME = "record.json"


class ClipRecord(BaseModel):
    """One registered clip: where it came from, what it is, when it starts."""

    model_config = ConfigDict(frozen=True)

    clip_id: str
    sha256: str
    file_name: str
    source: str  # landing key it arrived under
    camera_id: str
    started_at: datetime  # aware
    duration_s: float
    fps: float
    width_px: int
    height_px: int
    registered_at: datetime

    @property
    def ended_at(self) -> datetime:
        return self.started_at + timedelta(seconds=self.duration_s)


class ClipStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.clips = self.root / "clips"
        self.incoming = self.root / ".incoming"

    def clip_dir(self, clip_id: str) -> Path:
        return self.clips / clip_id

    def clip_path(self, record: ClipRecord) -> Path:
        return self.clip_dir(record.clip_id) / record.file_name

    def output_dir(self, clip_id: str) -> Path:
        return self.root / "outputs" / clip_id

    def boundary_path(self, clip_id: str) -> Path:
        """Where the clip's boundary state (``detectors.continuity``) outlives its outputs."""
        return self.root / "boundary" / f"{clip_id}.json"

    def previous_clip(self, record: ClipRecord, max_gap_s: float) -> ClipRecord | None:
        """The camera's clip that ended within ``max_gap_s`` of ``record``'s start, if any."""
        before = [
            r
            for r in self.records()
            if r.camera_id == record.camera_id
            and r.clip_id != record.clip_id
            and r.started_at < record.started_at
            and abs((record.started_at - r.ended_at).total_seconds()) <= max_gap_s
        ]
        return before[-1] if before else None

    def record(self, clip_id: str) -> ClipRecord | None:
        path = self.clip_dir(clip_id) / RECORD_NAME
        if not path.is_file():
            return None
        return ClipRecord.model_validate_json(path.read_text(encoding="utf-8"))

    def records(self) -> list[ClipRecord]:
        """Every registered clip, oldest footage first."""
        ids = [path.parent.name for path in self.clips.glob(f"*/{RECORD_NAME}")]
        records = [record for record in map(self.record, ids) if record is not None]
        return sorted(records, key=lambda r: (r.started_at, r.clip_id))

    def register(self, fetched: Fetched, clip: AcceptedClip, now: datetime) -> ClipRecord:
        """Move a fetched, validated clip into the store under its id, with its record."""
        record = ClipRecord(
            clip_id=clip_id_for(fetched.sha256),
            sha256=fetched.sha256,
            file_name=fetched.path.name,
            source=fetched.key,
            camera_id=clip.camera.camera_id,
            started_at=clip.started_at,
            duration_s=clip.info.duration_s,
            fps=clip.info.fps,
            width_px=clip.info.width,
            height_px=clip.info.height,
            registered_at=now,
        )
        with staged_folder(self.clip_dir(record.clip_id)) as staging:
            for path in (fetched.path, fetched.sidecar):
                if path is not None:
                    shutil.move(path, staging / path.name)
            (staging / RECORD_NAME).write_text(record.model_dump_json(indent=2), encoding="utf-8")
        return record

    def analysed(self, clip_id: str) -> dict[str, Any] | None:
        """The warehouse load of an analysed clip, None while it awaits analysis."""
        path = self._analysed_path(clip_id)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def mark_analysed(self, clip_id: str, load: dict[str, Any]) -> dict[str, Any]:
        """Record that the clip's outputs are in the warehouse; its staged outputs go."""
        write_json(self._analysed_path(clip_id), load)
        shutil.rmtree(self.output_dir(clip_id), ignore_errors=True)
        return load

    def pending(self, limit: int | None = None) -> list[str]:
        """Ids of registered clips not yet in the warehouse, oldest footage first."""
        ids = [r.clip_id for r in self.records() if self.analysed(r.clip_id) is None]
        return ids[:limit]

    def backlog(self, start: datetime, end: datetime) -> list[str]:
        """Ids of registered clips overlapping [start, end) that are not yet in the warehouse."""
        return [
            r.clip_id
            for r in self.records()
            if r.started_at < end and r.ended_at > start and self.analysed(r.clip_id) is None
        ]

    def forget(self, clip_id: str) -> None:
        """Drop a clip from the store (after its files went to quarantine)."""
        shutil.rmtree(self.clip_dir(clip_id), ignore_errors=True)
        shutil.rmtree(self.output_dir(clip_id), ignore_errors=True)

    def _analysed_path(self, clip_id: str) -> Path:
        return self.root / "analysed" / f"{clip_id}.json"


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write a JSON file whole or not at all (a reader never sees half a document)."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
