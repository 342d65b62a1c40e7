"""Compaction and vacuum: fewer, larger files for old weeks, and superseded files removed.

A week's loads are merged into one file per table under ``compacted/week=W/gen=G`` (a new
generation appears by one rename; the views prefer it for the loads it holds). Nothing is deleted
at that moment: vacuum removes files only once something newer has existed for a grace period,
longer than any query runs, so a reader that listed the old files can still open them. Vacuum
also removes the half-built folders that killed loads and compactions left: those of a clip or
week whose lock it can take (a running load or compaction holds it).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.warehouse.connection import connect
from analytics.warehouse.layout import CLIP_TABLES, compacted_dir, evidence_dir, new_stamp
from analytics.warehouse.load import clip_lock_path, partial_loads
from detectors.atomic import file_lock, staged_folder

DEFAULT_GRACE = timedelta(hours=1)


def write_compacted(root: Path, week: str, tables: dict[str, pa.Table]) -> Path:
    """Publish ``tables`` (every per-clip table, rows carrying clip_id and load_id) as a new
    generation of the week; also how the synthetic scale data is written."""
    final = compacted_dir(root, week, new_stamp())
    with staged_folder(final) as staging:
        for name in CLIP_TABLES:
            pq.write_table(tables[name], staging / f"{name}.parquet", row_group_size=1 << 20)
    return final


def compact_week(root: Path, week: str) -> Path | None:
    """Merge the current loads filed under ``week`` into one generation; None if it has none."""
    # Two compactions of one week at once would each miss the other's rows.
    with file_lock(week_lock_path(root, week)):
        return _compact_locked(root, week)


def week_lock_path(root: Path, week: str) -> Path:
    return root / "compacted" / f"week={week}.lock"


def _compact_locked(root: Path, week: str) -> Path | None:
    con = connect(root, weeks=[week])
    current = (
        "select rows.* exclude (week, generation) from raw_{name} as rows "
        "semi join int_current_loads using (clip_id, load_id, generation) where rows.week = ?"
    )
    tables = {
        name: con.sql(current.format(name=name), params=[week]).to_arrow_table()
        for name in CLIP_TABLES
    }
    if tables["clip"].num_rows == 0:
        return None
    return write_compacted(root, week, tables)


@dataclass(frozen=True)
class VacuumReport:
    removed: list[Path]
    kept_for_grace: int


def vacuum(
    root: Path, grace: timedelta = DEFAULT_GRACE, now: datetime | None = None
) -> VacuumReport:
    """Remove loads, evidence and compactions that newer ones superseded more than ``grace`` ago."""
    now = now or datetime.now(UTC)
    con = connect(root)
    holders = con.sql(
        """
        select clip_id, load_id, week, generation,
               max(load_id) over (partition by clip_id) as newest_load,
               max(generation) over (partition by clip_id, load_id) as newest_generation
        from raw_clip
        """
    ).fetchall()
    obsolete: list[tuple[Path, str]] = []
    for clip_id, load_id, week, generation, newest_load, newest_generation in holders:
        superseded_by = newest_load if load_id != newest_load else newest_generation
        if load_id == newest_load and generation == newest_generation:
            continue
        if generation == "":
            folder = root / "clips" / f"week={week}" / f"clip={clip_id}" / f"load={load_id}"
            obsolete.append((folder, superseded_by))
        if load_id != newest_load:
            obsolete.append((evidence_dir(root, clip_id, load_id), superseded_by))
    obsolete += superseded_generations(root)
    removed, kept = remove_orphans(root), 0
    for folder, newer_stamp in obsolete:
        if not folder.exists():
            continue
        if now - stamp_time(newer_stamp) < grace:
            kept += 1
            continue
        shutil.rmtree(folder)
        removed.append(folder)
        if not any(folder.parent.iterdir()):  # the clip's last superseded load
            folder.parent.rmdir()
    return VacuumReport(removed, kept)


def remove_orphans(root: Path) -> list[Path]:
    """Remove the half-built load, evidence and compaction folders that no running load or
    compaction is building (their clip's or week's lock is free); return them."""
    building = [
        (folder, clip_lock_path(root, folder.parent.name.removeprefix("clip=")))
        for folder in partial_loads(root)
    ]
    building += [
        (folder, week_lock_path(root, folder.parent.name.removeprefix("week=")))
        for folder in (root / "compacted").glob("week=*/.gen=*.partial-*")
    ]
    removed = []
    for folder, lock in building:
        with file_lock(lock, wait=False) as is_free:
            if is_free:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def superseded_generations(root: Path) -> list[tuple[Path, str]]:
    """Every compaction but the newest of its week: the newest holds all their current rows."""
    found = []
    for week_dir in (root / "compacted").glob("week=*"):
        generations = sorted(week_dir.glob("gen=*"))
        newest = generations[-1].name.removeprefix("gen=") if generations else ""
        found += [(folder, newest) for folder in generations[:-1]]
    return found


def stamp_time(stamp: str) -> datetime:
    return datetime.strptime(stamp.split("-")[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
