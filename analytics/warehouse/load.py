"""Loading one clip's engine outputs into the warehouse: idempotent and atomic.

A load copies the clip's evidence, then its tables into a new ``load=<stamp>`` folder that
appears by one rename. Views take the newest load of each clip, so re-processing a clip replaces
its rows instead of adding to them, and a load killed half-way is invisible. Loads of different
clips never wait for each other; loads of one clip take turns (a lock per clip), so whatever
half-built folder of that clip is found meanwhile was left by a killed load and is removed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.warehouse.layout import (
    clips_dir,
    evidence_dir,
    evidence_root,
    iso_week,
    load_dir,
    new_stamp,
)
from analytics.warehouse.sql_files import sql_text
from detectors.atomic import file_lock, staged_folder
from detectors.config.errors import InputError
from detectors.outputs import TABLES

# Columns newer than some clip outputs still on disk: loaded as null where missing.
OPTIONAL_COLUMNS = {
    "zone_passages": {"courier_platform": pa.string()},
    "clip": {
        "camera_config_sha256": pa.string(),
        "view_changed_s": pa.float64(),
        "view_changed_at": pa.timestamp("us", tz="UTC"),
        "view_shift_max_px": pa.float64(),
        "view_registration_ms": pa.float64(),
        "continued_from_clip_id": pa.string(),
        "count_view_changes": pa.int32(),
        "view_changed_duration_s": pa.float64(),
    },
}


@dataclass(frozen=True)
class LoadResult:
    clip_id: str
    load_id: str
    week: str
    count_events: int
    folder: Path


def load_clip(root: Path, clip_out_dir: Path) -> LoadResult:
    """Copy a ``civility detect`` output folder into the warehouse as the clip's newest load."""
    out = Path(clip_out_dir)
    tables = read_clip_outputs(out)
    clip = tables["clip"].to_pylist()[0]
    clip_id, week = clip["clip_id"], iso_week(clip["started_at"])
    tables["exposures"] = exposures(tables["zone_passages"])
    with file_lock(clip_lock_path(root, clip_id)):
        remove_partial_loads(root, clip_id)
        load_id = new_stamp()
        if (out / "evidence").is_dir():
            with staged_folder(evidence_dir(root, clip_id, load_id)) as staging:
                shutil.copytree(out / "evidence", staging, dirs_exist_ok=True)
        final = load_dir(root, week, clip_id, load_id)
        with staged_folder(final) as staging:
            for name, table in tables.items():
                pq.write_table(table, staging / f"{name}.parquet")
    return LoadResult(clip_id, load_id, week, tables["events"].num_rows, final)


def clip_lock_path(root: Path, clip_id: str) -> Path:
    """Locked while the clip is loaded (``file_lock``)."""
    return clips_dir(root) / ".locks" / f"clip={clip_id}.lock"


def partial_loads(root: Path, clip_id: str = "*") -> list[Path]:
    """Half-built load and evidence folders (of one clip, or of all)."""
    pattern = f"clip={clip_id}/.load=*.partial-*"
    return [
        *clips_dir(root).glob(f"week=*/{pattern}"),
        *evidence_root(root).glob(pattern),
    ]


def remove_partial_loads(root: Path, clip_id: str) -> None:
    """Under the clip's lock: no load of it is running, so its partial folders are dead."""
    for folder in partial_loads(root, clip_id):
        shutil.rmtree(folder, ignore_errors=True)


def read_clip_outputs(out: Path) -> dict[str, pa.Table]:
    """The five tables of a clip folder, checked to describe one clip."""
    if not out.is_dir():
        raise InputError(f"{out}: no such clip output folder; run `civility detect` to make one.")
    tables = {}
    for name in TABLES:
        path = out / f"{name}.parquet"
        if not path.is_file():
            raise InputError(
                f"{out}: {path.name} is missing, so this is not a complete `civility detect` "
                "output; run detect on the clip again."
            )
        try:
            tables[name] = with_optional_columns(name, pq.read_table(path))
        except pa.ArrowInvalid as error:
            raise InputError(
                f"{path}: not a readable Parquet file ({error}); re-run detect."
            ) from None
    if tables["clip"].num_rows != 1:
        raise InputError(f"{out}/clip.parquet: holds {tables['clip'].num_rows} rows, not 1.")
    clip_id = tables["clip"].column("clip_id")[0].as_py()
    for name in TABLES:
        strays = set(tables[name].column("clip_id").to_pylist()) - {clip_id}
        if strays:
            raise InputError(
                f"{out}/{name}.parquet: rows of clip {sorted(strays)[0]}, not of {clip_id}; "
                "the folder mixes two clips. Re-run detect into an empty folder."
            )
    return tables


def with_optional_columns(name: str, table: pa.Table) -> pa.Table:
    missing = {
        column: kind
        for column, kind in OPTIONAL_COLUMNS.get(name, {}).items()
        if column not in table.column_names
    }
    for column, kind in missing.items():
        table = table.append_column(column, pa.nulls(table.num_rows, kind))
    return table


def exposures(zone_passages: pa.Table) -> pa.Table:
    """Hourly exposure counts of one clip (``sql/load/exposures.sql``)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.register("zone_passages", zone_passages)
    return con.sql(sql_text("load/exposures")).to_arrow_table()
