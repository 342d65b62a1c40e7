"""Published boards: ``boards/week=YYYY-Www/rev=NNN/``, each revision kept, none rewritten.

A revision can be withdrawn (a wrong figure, a board that should not have gone out): it stays,
with a ``withdrawn.parquet`` beside its files giving when and why, and the week's board is again
the newest revision not withdrawn.

A revision is written in a staging folder under ``.staging/`` and renamed into place, so a reader
sees all of it or nothing. Its number is claimed first by creating the empty folder (mkdir is
atomic), so two publishers of one week never take the same number; the finished folder then
replaces the empty claim in one rename. A publisher killed in between leaves an empty folder:
that number is skipped, and the listing ignores it (it has no manifest).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analytics.warehouse.layout import boards_dir
from detectors.atomic import write_atomically
from detectors.config.errors import InputError

MANIFEST = "manifest.json"
WITHDRAWAL = "withdrawn.parquet"
_REVISION = re.compile(r"^rev=(\d{3,})$")


@dataclass(frozen=True)
class BoardRevision:
    week: str
    revision: int
    published_at: str
    content_hash: str
    folder: Path
    config: dict[str, Any] | None = None  # the board config it was published with
    withdrawn_at: str | None = None
    withdrawn_reason: str | None = None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def week_folder(root: Path, week: str) -> Path:
    return boards_dir(root) / f"week={week}"


def revision_folder(root: Path, week: str, revision: int) -> Path:
    return week_folder(root, week) / f"rev={revision:03d}"


def revision_numbers(root: Path, week: str) -> list[int]:
    """Numbers already taken for ``week``, published or claimed, in order."""
    folder = week_folder(root, week)
    if not folder.is_dir():
        return []
    matches = (_REVISION.match(child.name) for child in folder.iterdir())
    return sorted(int(match[1]) for match in matches if match)


def claim_revision(root: Path, week: str) -> int:
    """The next free revision number of ``week``, reserved by creating its empty folder."""
    week_folder(root, week).mkdir(parents=True, exist_ok=True)
    while True:
        revision = max(revision_numbers(root, week), default=0) + 1
        try:
            revision_folder(root, week, revision).mkdir()
            return revision
        except FileExistsError:
            continue  # another publisher took it between the listing and the mkdir


def publish_revision(root: Path, week: str, write: Callable[[Path, int], None]) -> Path:
    """Claim a revision, let ``write(staging_folder, revision)`` fill it, move it into place."""
    revision = claim_revision(root, week)
    final = revision_folder(root, week, revision)
    staging_root = root / ".staging"
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"board-{week}-rev{revision:03d}-", dir=staging_root))
    try:
        write(staging, revision)
        staging.chmod(0o755)
        fsync_tree(staging)
        os.replace(staging, final)  # over the empty claimed folder: one atomic rename
        fsync_tree(final.parent, recursive=False)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            final.rmdir()  # give the number back, unless the folder was already moved in
        raise
    return final


def board_revisions(root: Path, week: str | None = None) -> list[BoardRevision]:
    """Every published revision (of ``week``, or of all weeks), oldest week and revision first.
    A claimed number whose publishing never finished has no manifest and is not listed."""
    weeks = [week] if week else sorted(p.name[5:] for p in boards_dir(root).glob("week=*"))
    listed = []
    for name in weeks:
        for revision in revision_numbers(root, name):
            manifest = revision_folder(root, name, revision) / MANIFEST
            if manifest.is_file():
                listed.append(read_revision(name, revision, manifest.parent))
    return listed


def read_revision(week: str, revision: int, folder: Path) -> BoardRevision:
    record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    withdrawal = read_withdrawal(folder)
    return BoardRevision(
        week=week,
        revision=revision,
        published_at=record["published_at"],
        content_hash=record["content_hash"],
        folder=folder,
        config=record.get("config"),
        withdrawn_at=withdrawal.get("withdrawn_at"),
        withdrawn_reason=withdrawal.get("reason"),
    )


def current_revision(root: Path, week: str) -> BoardRevision | None:
    """The week's board as it stands: its newest revision not withdrawn."""
    return standing_revision(board_revisions(root, week))


def standing_revision(revisions: list[BoardRevision]) -> BoardRevision | None:
    """The newest of one week's ``revisions`` (oldest first) not withdrawn."""
    standing = [revision for revision in revisions if not revision.is_withdrawn]
    return standing[-1] if standing else None


def withdraw_revision(
    root: Path, week: str, revision: int, reason: str, now: datetime | None = None
) -> BoardRevision:
    """Mark a published revision withdrawn, saying why; its files stay as they were."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analytics.board.history import WITHDRAWAL_SCHEMA

    folder = revision_folder(root, week, revision)
    if not (folder / MANIFEST).is_file():
        raise InputError(
            f"week {week} has no published revision {revision}; "
            "`civility board revisions` lists them"
        )
    if not reason.strip():
        raise InputError("a withdrawal needs a reason, said in a few words (--reason)")
    if (folder / WITHDRAWAL).is_file():
        raise InputError(f"revision {revision} of week {week} is already withdrawn")
    record = {
        "board_week": week,
        "revision": revision,
        "withdrawn_at": now or datetime.now(UTC),
        "reason": reason.strip(),
    }
    table = pa.Table.from_pylist([record], schema=WITHDRAWAL_SCHEMA)
    write_atomically(folder / WITHDRAWAL, lambda temp: pq.write_table(table, temp))
    return read_revision(week, revision, folder)


def read_withdrawal(folder: Path) -> dict[str, Any]:
    if not (folder / WITHDRAWAL).is_file():
        return {}
    import pyarrow.parquet as pq

    [record] = pq.read_table(folder / WITHDRAWAL).to_pylist()
    return {**record, "withdrawn_at": record["withdrawn_at"].isoformat()}


def fsync_tree(folder: Path, recursive: bool = True) -> None:
    paths = [*folder.rglob("*"), folder] if recursive else [folder]
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
