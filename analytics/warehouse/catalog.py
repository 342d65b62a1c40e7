"""The catalog: a DuckDB file of the warehouse's views, kept beside it and rebuilt only when the
warehouse has changed in a way its views cannot see.

The views read Parquet files by glob, so new loads and compactions of a week already listed show
up by themselves. What a catalog cannot see is recorded in its fingerprint: the week partitions
that exist, whether accident records and published boards exist, the review decisions (copied
into it as a table), and the SQL and DuckDB version it was built with. Opening the catalog costs
milliseconds; building it, about a second.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import duckdb

from analytics.warehouse.layout import (
    SOURCE_SCHEMA,
    accident_records_dir,
    boards_dir,
    clips_dir,
    review_store,
)
from analytics.warehouse.sql_files import SQL_DIR

CATALOG_FILE = "catalog.duckdb"
FINGERPRINT_TABLE = f"{SOURCE_SCHEMA}.catalog_fingerprint"
# The Python that defines the raw sources: a change to it changes what a catalog must hold.
SOURCE_CODE = ("connection.py", "sources.py", "shared_sources.py", "catalog.py")


def catalog_path(root: Path) -> Path:
    return Path(root) / CATALOG_FILE


def write_catalog(root: Path, path: Path | None = None) -> Path:
    """A DuckDB file holding the warehouse's views (over absolute file paths) and its small
    tables, stamped with the warehouse's fingerprint. Built beside its final place under a name
    of its own and renamed over it, so a reader that has the old one open keeps a consistent
    snapshot and two writers never write one file."""
    # Imported here: connection imports the sources, which import this package's layout only.
    from analytics.warehouse.connection import connect
    from analytics.warehouse.sources import comment_on

    root, path = Path(root), Path(path or catalog_path(root))
    stamp = fingerprint(root)  # before building: a change during the build is seen next time
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    os.unlink(staging)  # DuckDB creates the file itself
    try:
        con = connect(root, database=staging)
        con.execute(f"create table {FINGERPRINT_TABLE} as select ? as fingerprint", [stamp])
        comment_on(con, "table", FINGERPRINT_TABLE, "what the catalog was built from")
        con.close()
        os.replace(staging, path)
    finally:
        Path(staging).unlink(missing_ok=True)
    return path


def open_catalog(root: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse's catalog opened read-only, rebuilt first if the warehouse changed since it
    was written (an OSError where the warehouse cannot be written to)."""
    path = catalog_path(root)
    if path.is_file():
        con = duckdb.connect(str(path), read_only=True)
        if stored_fingerprint(con) == fingerprint(root):
            return con
        con.close()
    write_catalog(root, path)
    return duckdb.connect(str(path), read_only=True)


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        return con.execute(f"select fingerprint from {FINGERPRINT_TABLE}").fetchone()[0]
    except duckdb.Error:
        return None  # written by an older version: no fingerprint


def fingerprint(root: Path) -> str:
    """What the views of a catalog depend on beyond the files their globs find."""
    root = Path(root)
    review = review_store(root)
    parts = [
        duckdb.__version__,
        *sorted(
            str(path.relative_to(root))
            for base in (clips_dir(root), root / "compacted")
            for path in base.glob("week=*")
        ),
        f"accidents:{any(accident_records_dir(root).glob('*.parquet'))}",
        f"boards:{any(boards_dir(root).glob('week=*/rev=*/entries.parquet'))}",
        f"withdrawals:{any(boards_dir(root).glob('week=*/rev=*/withdrawn.parquet'))}",
        *(file_state(path) for path in (review, review.with_name(review.name + "-wal"))),
    ]
    digest = hashlib.sha256("\n".join(parts).encode())
    code = [*sorted(SQL_DIR.rglob("*.sql")), *(Path(__file__).with_name(n) for n in SOURCE_CODE)]
    for path in code:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_state(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return f"{path.name}:absent"
    return f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
