"""The warehouse's accident tables: ``accidents/records/<sha16>.parquet``, one per imported file.

``RECORD_SCHEMA`` is the contract of ``raw_accident_records``: the warehouse runner reads these
files with it, or makes an empty relation of it when nothing has been imported yet.
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
        pa.field("location_text", pa.string(), nullable=False),
        pa.field("district", pa.string()),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("count_deaths", pa.int32(), nullable=False),
        pa.field("count_injuries", pa.int32(), nullable=False),
        pa.field("is_pedestrian_involved", pa.bool_(), nullable=False),
        pa.field("is_non_motor_involved", pa.bool_(), nullable=False),
        pa.field("is_courier_involved", pa.bool_(), nullable=False),
        pa.field("is_motor_vehicle_involved", pa.bool_(), nullable=False),
        pa.field("is_synthetic", pa.bool_(), nullable=False),
        pa.field("imported_at", _UTC, nullable=False),
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


def stored_record_ids(root: Path) -> dict[str, set[str]]:
    """Record ids already in the warehouse, per imported file (by its sha16)."""
    folder = root / RECORDS_DIR
    return {
        path.stem: set(pq.read_table(path, columns=["record_id"]).column(0).to_pylist())
        for path in sorted(folder.glob("*.parquet"))
    }


def write_records(path: Path, table: pa.Table) -> None:
    write_atomically(path, lambda temp: pq.write_table(table, temp))
