"""The clip store: registered clips, their registry records and what became of them.

```
STORE/
  clips/<clip_id>/<file name>      the footage, as landed
  clips/<clip_id>/<stem>.json      its sidecar, when it came with one
  clips/<clip_id>/record.json      the registry record (ClipRecord)
  analysed/<clip_id>.json          its current warehouse load, with the model and camera behind it
  failures/<clip_id>.json          its last failed analysis: stage, error, what it ran with
  reanalyse/<clip_id>.json         an operator's request to analyse it again
  outputs/<clip_id>/               engine outputs awaiting their warehouse load
  boundary/<clip_id>.json          the clip's boundary state, kept for the camera's next clip
  .incoming/                       landing files being fetched
  .locks/<clip_id>.lock            held while that footage is checked and registered
```
A clip folder appears by one rename, record included, so a registered clip is always complete.
``clip_id`` is the engine's (first 16 hex digits of the file's SHA-256): the same footage landing
twice is the same clip, whatever its name.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from detectors.atomic import file_lock, staged_folder, write_atomically
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

    @contextmanager
    def footage_lock(self, clip_id: str) -> Iterator[None]:
        """Held while one footage is checked and registered, so that identical files dropped at
        the same moment register once (``file_lock``: a killed holder leaves nothing stale)."""
        with file_lock(self.root / ".locks" / f"{clip_id}.lock"):
            yield

    def register(self, fetched: Fetched, clip: AcceptedClip, now: datetime) -> ClipRecord:
        """Move a fetched, validated clip into the store under its id, with its record (under
        ``footage_lock``)."""
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
        return read_json(self._analysed_path(clip_id))

    def mark_analysed(self, clip_id: str, load: dict[str, Any]) -> dict[str, Any]:
        """Record that the clip's outputs are in the warehouse; its staged outputs, its last
        failure and any request to re-analyse it go."""
        write_json(self._analysed_path(clip_id), load)
        for path in (self._failure_path(clip_id), self._request_path(clip_id)):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.output_dir(clip_id), ignore_errors=True)
        return load

    def failure(self, clip_id: str) -> dict[str, Any] | None:
        """The clip's last failed analysis since it was last analysed, None if there is none."""
        return read_json(self._failure_path(clip_id))

    def record_failure(self, clip_id: str, failure: dict[str, Any]) -> dict[str, Any]:
        """Keep a failed analysis; ``count_failures`` counts them since the last success."""
        previous = self.failure(clip_id) or {}
        failure = {**failure, "count_failures": previous.get("count_failures", 0) + 1}
        write_json(self._failure_path(clip_id), failure)
        return failure

    def failures(self) -> dict[str, dict[str, Any]]:
        """Every clip whose last analysis failed, by id."""
        folder = self.root / "failures"
        return {path.stem: read_json(path) or {} for path in sorted(folder.glob("*.json"))}

    def reanalysis_request(self, clip_id: str) -> dict[str, Any] | None:
        return read_json(self._request_path(clip_id))

    def request_reanalysis(self, clip_id: str, request: dict[str, Any]) -> None:
        """Have the clip analysed again by the next analysis run, whatever it was analysed with.
        A failure kept for it is dropped: the operator asked for a new attempt."""
        write_json(self._request_path(clip_id), request)
        self._failure_path(clip_id).unlink(missing_ok=True)

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

    def previous_clip(
        self, record: ClipRecord, max_gap_s: float | None = None
    ) -> ClipRecord | None:
        """The same camera's clip that started last before this one: the clip whose end state a
        detection may continue from; with ``max_gap_s``, only if it ended within that of this
        one's start."""
        last = next(
            (
                other
                for other in reversed(self.records())  # oldest footage first: the last one wins
                if other.camera_id == record.camera_id and other.started_at < record.started_at
            ),
            None,
        )
        if last is None:
            return None
        if max_gap_s is not None:
            gap_s = abs((record.started_at - last.ended_at).total_seconds())
            return last if gap_s <= max_gap_s else None
        return last

    def forget(self, clip_id: str) -> None:
        """Drop a clip from the store (after its files went to quarantine)."""
        shutil.rmtree(self.clip_dir(clip_id), ignore_errors=True)
        shutil.rmtree(self.output_dir(clip_id), ignore_errors=True)
        for path in (self._failure_path(clip_id), self._request_path(clip_id)):
            path.unlink(missing_ok=True)

    def _analysed_path(self, clip_id: str) -> Path:
        return self.root / "analysed" / f"{clip_id}.json"

    def _failure_path(self, clip_id: str) -> Path:
        return self.root / "failures" / f"{clip_id}.json"

    def _request_path(self, clip_id: str) -> Path:
        return self.root / "reanalyse" / f"{clip_id}.json"


def read_json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write a JSON file whole or not at all (a reader never sees half a document)."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
