"""Quarantine: refused files kept aside with the reason, never deleted and never retried.

```
QUARANTINE/<kind>/<stem>-<sha8><suffix>               the refused file
QUARANTINE/<kind>/<stem>-<sha8><suffix>.reason.json   why, from where, when
QUARANTINE/<kind>/<stem>-<sha8>.json                  its sidecar, when it had one
```
The content hash in the name keeps two different files of the same name apart, and makes
quarantining the same file twice one entry. To retry a file after fixing the cause (add the
camera YAML, fix the mapping), put it back into the landing area under its original name; clips
refused for an unknown camera go back by themselves once its file exists (ingest). Housekeeping
prunes entries older than the retention period.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from orchestration.store import write_json

REASON_SUFFIX = ".reason.json"


def quarantine(
    files: list[Path],
    folder: Path,
    reason: str,
    sha256: str,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> Path:
    """Move ``files`` (the refused file first, then its companions) into ``folder`` and write
    the reason beside the first; return where the refused file now is."""
    folder.mkdir(parents=True, exist_ok=True)
    tag = sha256[:8]
    moved = [folder / f"{path.stem}-{tag}{path.suffix}" for path in files]
    for source, target in zip(files, moved, strict=True):
        shutil.move(source, target)
    document = {
        "file": moved[0].name,
        "original_name": files[0].name,
        "companions": [path.name for path in moved[1:]],
        "sha256": sha256,
        "reason": reason,
        "quarantined_at": now.isoformat(),
        **(details or {}),
    }
    write_json(reason_path(moved[0]), document)
    return moved[0]


def reason_path(quarantined: Path) -> Path:
    return quarantined.with_name(quarantined.name + REASON_SUFFIX)


@dataclass(frozen=True)
class Quarantined:
    """One refused file in quarantine, with its reason document."""

    path: Path
    reason: dict[str, Any]

    @property
    def files(self) -> list[Path]:
        """Its companions (a sidecar), then the refused file itself."""
        companions = [self.path.with_name(name) for name in self.reason.get("companions", [])]
        return [*companions, self.path]

    @property
    def quarantined_at(self) -> datetime:
        return datetime.fromisoformat(self.reason["quarantined_at"])


def quarantined(folder: Path) -> list[Quarantined]:
    """Every entry of a quarantine folder, oldest first."""
    entries = []
    for reason_file in folder.glob(f"*{REASON_SUFFIX}"):
        document = json.loads(reason_file.read_text(encoding="utf-8"))
        entries.append(Quarantined(reason_file.with_name(document["file"]), document))
    return sorted(entries, key=lambda entry: entry.quarantined_at)


def release(entry: Quarantined, put: Callable[[Path, str], object]) -> None:
    """Hand each of the entry's files to ``put(path, suffix)`` (companions first, so that a clip
    never appears without its sidecar), then remove the entry."""
    for path in entry.files:
        put(path, path.suffix)
    remove(entry)


def remove(entry: Quarantined) -> None:
    for path in entry.files:
        path.unlink(missing_ok=True)
    reason_path(entry.path).unlink(missing_ok=True)


def prune(folder: Path, before: datetime) -> list[Quarantined]:
    """Delete the entries quarantined before ``before``; return them."""
    old = [entry for entry in quarantined(folder) if entry.quarantined_at < before]
    for entry in old:
        remove(entry)
    return old
