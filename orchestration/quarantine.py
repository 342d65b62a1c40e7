"""Quarantine: refused files kept aside with the reason, never deleted and never retried.

```
QUARANTINE/<kind>/<stem>-<sha8><suffix>               the refused file
QUARANTINE/<kind>/<stem>-<sha8><suffix>.reason.json   why, from where, when
QUARANTINE/<kind>/<stem>-<sha8>.json                  its sidecar, when it had one
```
The content hash in the name keeps two different files of the same name apart, and makes
quarantining the same file twice one entry. To retry a file after fixing the cause (add the
camera YAML, fix the mapping), put it back into the landing area under its original name.
"""

from __future__ import annotations

import shutil
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
