"""A landing area: the folder or object-store prefix that cameras and uploaders drop files into.

The area is any pathlib-like object: ``pathlib.Path`` for a local folder, Airflow's
``ObjectStoragePath`` (or a ``UPath``) for an object store. Only ``rglob``, ``stat``, ``open``,
``is_file`` and ``unlink`` are used, so anything fsspec reaches works the same way. Files are
named by their key relative to the area (``cam-01/2026-11-16/clip.mp4``), which is what travels
between tasks. A file is fetched into a local folder before anything reads it: the engine and
OpenCV need real files, and the SHA-256 is computed on the way.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CLIP_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".avi", ".ts"})
SIDECAR_SUFFIX = ".json"  # detectors.frames.binding.sidecar_path: same stem, beside the clip
_CHUNK = 1 << 20
_STALE_FETCH_S = 24 * 3600  # a fetch folder this old was left by a killed task


@dataclass(frozen=True)
class Fetched:
    """A landing file copied into a private local folder, with its sidecar if it has one."""

    key: str  # relative to the landing area
    path: Path  # local copy, same file name as in the landing area
    sha256: str
    sidecar: Path | None
    modified_at: datetime  # when the landing file was last written


def settled_keys(
    area: Any, suffixes: Iterable[str], settle_s: float, now: float | None = None
) -> list[str]:
    """Keys of the area's files with one of ``suffixes`` that nobody wrote in the last
    ``settle_s`` seconds (younger ones may still be uploading). Hidden files and folders (``.x``)
    are skipped: uploaders write partial files under such names."""
    wanted = {suffix.lower() for suffix in suffixes}
    now = time.time() if now is None else now
    keys = []
    for path in area.rglob("*"):
        key = path.relative_to(area).as_posix()
        if any(part.startswith(".") for part in key.split("/")):
            continue
        if path.suffix.lower() in wanted and path.is_file() and _is_settled(path, settle_s, now):
            keys.append(key)
    return sorted(keys)


def _is_settled(path: Any, settle_s: float, now: float) -> bool:
    candidates = [path, path.with_suffix(SIDECAR_SUFFIX)]
    return all(now - p.stat().st_mtime >= settle_s for p in candidates if p.is_file())


@contextmanager
def fetched(area: Any, key: str, incoming: Path) -> Iterator[Fetched]:
    """Copy the landing file ``key`` (and its sidecar) into a new folder under ``incoming``;
    the folder and whatever is left in it are removed on exit."""
    incoming.mkdir(parents=True, exist_ok=True)
    remove_stale_fetches(incoming)
    folder = Path(tempfile.mkdtemp(prefix="fetch-", dir=incoming))
    try:
        source = area / key
        local = folder / source.name
        modified_at = datetime.fromtimestamp(source.stat().st_mtime, UTC)
        sha256 = copy_hashing(source, local)
        sidecar_source = source.with_suffix(SIDECAR_SUFFIX)
        sidecar = None
        if sidecar_source.is_file():
            sidecar = local.with_suffix(SIDECAR_SUFFIX)
            copy_hashing(sidecar_source, sidecar)
        yield Fetched(key, local, sha256, sidecar, modified_at)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def copy_hashing(source: Any, target: Path) -> str:
    """Stream ``source`` into the local file ``target``; return the SHA-256 of the bytes."""
    digest = hashlib.sha256()
    with source.open("rb") as reader, open(target, "wb") as writer:
        for block in iter(lambda: reader.read(_CHUNK), b""):
            digest.update(block)
            writer.write(block)
    return digest.hexdigest()


def return_to_landing(area: Any, key: str, local: Path, suffix: str) -> None:
    """Write the local file ``local`` into the landing area as ``key`` with ``suffix`` (the clip
    itself, or its sidecar)."""
    target = (area / key).with_suffix(suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(local, "rb") as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, _CHUNK)


def remove_from_landing(area: Any, key: str) -> None:
    """Delete a handled file and its sidecar from the landing area."""
    source = area / key
    for path in (source, source.with_suffix(SIDECAR_SUFFIX)):
        if path.is_file():
            path.unlink()


def remove_stale_fetches(incoming: Path, now: float | None = None) -> list[Path]:
    """Remove the fetch folders that killed ingests left; return them."""
    cutoff = (now or time.time()) - _STALE_FETCH_S
    stale = [folder for folder in incoming.glob("fetch-*") if folder.stat().st_mtime < cutoff]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale
