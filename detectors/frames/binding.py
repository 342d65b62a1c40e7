"""Which camera recorded a clip, and when it started.

Two ways, first match wins:
1. a sidecar JSON beside the clip, same name with ``.json``:
   ``{"camera_id": "sample-xingfu-01", "start_time": "2026-11-16T08:00:00+08:00"}``
   (a start time without offset is local to the camera's time zone);
2. the file name ``<camera_id>_<YYYYMMDD>T<HHMMSS>.<ext>`` (or with ``_`` or ``-`` instead of
   ``T``), local time of the camera.
Anything else has no known start: times stay clip-relative and a ``plan`` signal cannot be used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from detectors.config.errors import InputError

_NAME = re.compile(r"^(?P<camera>[A-Za-z0-9_.-]+?)_(?P<date>\d{8})[T_-]?(?P<time>\d{6})$")


@dataclass(frozen=True)
class ClipBinding:
    camera_id: str | None
    start: datetime | None  # aware


def sidecar_path(clip: Path) -> Path:
    return clip.with_suffix(".json")


def bind_clip(clip: Path, timezone: str | None = None) -> ClipBinding:
    """Read the clip's camera and start time from its sidecar or its name."""
    sidecar = sidecar_path(clip)
    if sidecar.is_file():
        return _from_sidecar(sidecar, timezone)
    match = _NAME.match(clip.stem)
    if match:
        try:
            start = datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M%S")
        except ValueError:
            raise InputError(
                f"clip {clip}: its name ends in '{match['date']}T{match['time']}', which is not a "
                "real date and time; rename it <camera>_<YYYYMMDD>T<HHMMSS> or add a sidecar JSON"
            ) from None
        return ClipBinding(match["camera"], _localise(start, timezone))
    return ClipBinding(None, None)


def parse_start(text: object, timezone: str | None, source: str) -> datetime:
    try:
        start = datetime.fromisoformat(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(
            f"{source}: start time '{text}' is not ISO 8601; write e.g. 2026-11-16T08:00:00+08:00"
        ) from None
    return _localise(start, timezone)


def _from_sidecar(sidecar: Path, timezone: str | None) -> ClipBinding:
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"clip sidecar {sidecar}: not valid JSON ({exc}); fix or remove it"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"clip sidecar {sidecar}: expected an object with camera_id and start_time"
        )
    unknown = set(data) - {"camera_id", "start_time"}
    if unknown:
        raise InputError(
            f"clip sidecar {sidecar}: unknown field(s) {sorted(unknown)}; "
            "only camera_id and start_time are read"
        )
    start = data.get("start_time")
    camera_id = data.get("camera_id")
    if camera_id is not None and not isinstance(camera_id, str):
        raise InputError(f'clip sidecar {sidecar}: camera_id must be text, e.g. "hn-giangvo-01"')
    return ClipBinding(
        camera_id=camera_id,
        start=parse_start(start, timezone, f"clip sidecar {sidecar}") if start else None,
    )


def _localise(start: datetime, timezone: str | None) -> datetime:
    if start.tzinfo is not None:
        return start
    return start.replace(tzinfo=ZoneInfo(timezone or "UTC"))
