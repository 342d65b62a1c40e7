"""The warehouse's accident tables: ``accidents/records/<sha16>.parquet``, one per imported file.

``RECORD_SCHEMA`` is the contract of ``raw_accident_records``: the warehouse runner reads these
files with it, or makes an empty relation of it when nothing has been imported yet. Columns are
only ever added at the end; a file written before a column existed reads it as null.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.accidents.rows import Accident
from detectors.atomic import write_atomically

RECORDS_DIR = Path("accidents") / "records"
REJECTED_DIR = Path("accidents") / "rejected"
IMPORTS_DIR = Path("accidents") / "imports"

_UTC = pa.timestamp("us", tz="UTC")
RECORD_SCHEMA = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("source_file_sha16", pa.string(), nullable=False),
        pa.field("source_line", pa.int64(), nullable=False),
        pa.field("occurred_at", _UTC, nullable=False),
        pa.field("intersection_id", pa.string()),
        pa.field("location_text", pa.string()),
        pa.field("district", pa.string()),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("count_deaths", pa.int32()),
        pa.field("count_injuries", pa.int32()),
        pa.field("is_pedestrian_involved", pa.bool_()),
        pa.field("is_non_motor_involved", pa.bool_()),
        pa.field("is_courier_involved", pa.bool_()),
        pa.field("is_motor_vehicle_involved", pa.bool_()),
        pa.field("is_synthetic", pa.bool_(), nullable=False),
        pa.field("imported_at", _UTC, nullable=False),
        pa.field("case_key", pa.string()),
        pa.field("content_sha16", pa.string()),
        pa.field("source_name", pa.string()),
        pa.field("occurred_local_at", pa.timestamp("us")),
        pa.field("timezone", pa.string()),
        pa.field("is_time_placeholder", pa.bool_()),
        pa.field("is_severity_derived", pa.bool_()),
        pa.field("zip_code", pa.string()),
        pa.field("beat", pa.string()),
        pa.field("location_kind", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
    ]
)


@dataclass(frozen=True)
class SourcedAccident:
    line: int
    accident: Accident


def records_table(
    accepted: Sequence[SourcedAccident], file_sha16: str, imported_at: datetime
) -> pa.Table:
    """The rows of one import in ``RECORD_SCHEMA`` order."""
    names = [field.name for field in fields(Accident)]
    columns: dict[str, list] = {name: [] for name in RECORD_SCHEMA.names}
    for item in accepted:
        values = dict(zip(names, astuple(item.accident), strict=True))
        values |= {
            "source_file_sha16": file_sha16,
            "source_line": item.line,
            "imported_at": imported_at,
        }
        for name in RECORD_SCHEMA.names:
            columns[name].append(values[name])
    return pa.table(columns, schema=RECORD_SCHEMA)


def records_path(root: Path, file_sha16: str) -> Path:
    return root / RECORDS_DIR / f"{file_sha16}.parquet"


@dataclass(frozen=True)
class StoredImport:
    """What one imported file holds: each record's content digest, and when it was imported."""

    contents: dict[str, str | None]  # record_id -> content_sha16 (None: written before digests)
    imported_at: datetime | None


def stored_imports(root: Path) -> dict[str, StoredImport]:
    """The imports in the warehouse, by the sha16 of their file."""
    stored = {}
    for path in sorted((root / RECORDS_DIR).glob("*.parquet")):
        names = pq.read_schema(path).names
        wanted = [name for name in ("record_id", "content_sha16", "imported_at") if name in names]
        rows = pq.read_table(path, columns=wanted).to_pylist()
        stored[path.stem] = StoredImport(
            {row["record_id"]: row.get("content_sha16") for row in rows},
            rows[0].get("imported_at") if rows else None,
        )
    return stored


def write_records(path: Path, table: pa.Table) -> None:
    write_atomically(path, lambda temp: pq.write_table(table, temp))
