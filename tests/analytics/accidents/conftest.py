"""Factories for the accident tests: small exports with their mapping, and a DuckDB connection
holding hand-made accident records under the accident views of analytics/sql.

Exports use short English headers so that each test shows its rows in full:
``when,place,junction,district,severity,deaths,injured,parties``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pytest
import yaml

from analytics.accidents.records import RECORD_SCHEMA
from analytics.warehouse.connection import apply_models
from analytics.warehouse.sql_files import sql_text

HEADER = "when,place,junction,district,severity,deaths,injured,parties"
MAPPING: dict[str, Any] = {
    "source": "police",
    "encoding": "utf-8",
    "timezone": "Asia/Shanghai",
    "occurred_at": {"column": "when", "formats": ["%Y-%m-%d %H:%M"]},
    "location": "place",
    "intersection_id": "junction",
    "district": "district",
    "severity": {
        "column": "severity",
        "values": {"damage": "property_damage", "minor": "minor_injury", "fatal": "fatal"},
    },
    "deaths": "deaths",
    "injuries": "injured",
    "parties": {
        "column": "parties",
        "separators": "+",
        "values": {
            "car": "motor_vehicle",
            "walker": "pedestrian",
            "bike": "non_motor_vehicle",
            "courier": ["courier", "non_motor_vehicle"],
        },
    },
}
ACCIDENT_MODELS = [
    "staging/stg_accident_records",
    "intermediate/int_accident_segment_names",
    "intermediate/int_accident_segments",
    "intermediate/int_accident_segment_periods",
    "intermediate/int_accident_periods",
    "intermediate/int_accident_period_counts",
    "intermediate/int_campaign_windows",
    "marts/accident_trends_weekly",
    "marts/accident_trends_monthly",
    "marts/accident_before_after",
    "marts/accident_area_trends",
    "marts/accident_record_versions",
    "marts/intersection_accident_correlation",
]


@pytest.fixture
def mapping_dict() -> Callable[..., dict[str, Any]]:
    """The test mapping as a dict; keyword arguments replace top-level fields."""

    def make(**overrides: Any) -> dict[str, Any]:
        return copy.deepcopy(MAPPING) | overrides

    return make


@pytest.fixture
def write_export(tmp_path: Path) -> Callable[..., tuple[Path, Path]]:
    """Write ``rows`` (CSV lines after the header, or whole bytes) and a mapping; return paths."""

    def write(
        rows: list[str] | bytes,
        mapping: dict[str, Any] | None = None,
        name: str = "export",
        encoding: str = "utf-8",
    ) -> tuple[Path, Path]:
        csv_path = tmp_path / f"{name}.csv"
        data = rows if isinstance(rows, bytes) else "\n".join([HEADER, *rows]) + "\n"
        csv_path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        mapping_path = tmp_path / f"{name}.yaml"
        mapping_path.write_text(yaml.safe_dump(mapping or MAPPING, allow_unicode=True), "utf-8")
        return csv_path, mapping_path

    return write


def _record(number: int, at: str, **overrides: Any) -> dict[str, Any]:
    """A stored record at ``at`` (ISO text with its offset): its local time is the wall-clock
    time written there, in the zone ``timezone`` (default Asia/Shanghai) names."""
    imported_at = datetime(2026, 12, 1, tzinfo=UTC)
    moment = datetime.fromisoformat(at)
    timezone = overrides.get("timezone", "Asia/Shanghai")
    record = {
        "record_id": f"r{number:04d}",
        "source_file_sha16": "0" * 16,
        "source_line": number + 2,
        "occurred_at": moment.astimezone(UTC),
        "occurred_local_at": moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None),
        "timezone": timezone,
        "source_name": "police",
        "intersection_id": "x-1",
        "location_text": "somewhere",
        "district": "朝阳区",
        "severity": "property_damage",
        "count_deaths": 0,
        "count_injuries": 0,
        "is_pedestrian_involved": False,
        "is_non_motor_involved": False,
        "is_courier_involved": False,
        "is_motor_vehicle_involved": True,
        "is_synthetic": False,
        "imported_at": imported_at,
    }
    return record | overrides


@pytest.fixture
def accident_db() -> Callable[..., duckdb.DuckDBPyConnection]:
    """A connection whose raw_accident_records holds ``records``, under the accident views.

    Each record is ``(occurred_at ISO text with offset, {column: value overrides})``.
    ``weekly_counts`` rows stand in for the board's ``board_weekly_counts`` view.
    """

    def make(
        records: list[tuple[str, dict[str, Any]]], weekly_counts: list[dict] | None = None
    ) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        con.execute("set TimeZone = 'UTC'")
        rows = [_record(number, at, **overrides) for number, (at, overrides) in enumerate(records)]
        con.register("records_arrow", pa.Table.from_pylist(rows, schema=RECORD_SCHEMA))
        con.execute("create table raw_accident_records as select * from records_arrow")
        counts = pa.Table.from_pylist(weekly_counts or [], schema=_WEEKLY_COUNTS_SCHEMA)
        con.register("counts_arrow", counts)
        con.execute("create table board_weekly_counts as select * from counts_arrow")
        apply_models(con, [(name.split("/")[1], sql_text(name)) for name in ACCIDENT_MODELS])
        return con

    return make


_WEEKLY_COUNTS_SCHEMA = pa.schema(
    [
        ("week_start_date", pa.date32()),
        ("entity_kind", pa.string()),
        ("entity_id", pa.string()),
        ("district", pa.string()),
        ("rule", pa.string()),
        ("count_exposures", pa.int64()),
        ("count_violations", pa.int64()),
    ]
)
