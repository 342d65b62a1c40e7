"""Hand-made warehouse marts for the board's SQL: the few columns the board reads, row by row.

``board_con(violations=..., exposures=..., clips=...)`` registers ``fct_violations``,
``fct_exposures``, ``fct_clips`` and ``dim_cameras`` in an in-memory DuckDB and creates the
board marts over them exactly as the warehouse runner does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from analytics.warehouse.connection import apply_models
from analytics.warehouse.sql_files import sql_text

BOARD_MODELS = (
    "intermediate/int_placed_violations",
    "intermediate/int_hourly_counts",
    "marts/board_weekly_counts",
    "marts/board_weekly_rates",
    "marts/board_rankings",
    "marts/board_week_coverage",
)
_TS = pa.timestamp("us", tz="UTC")
SCHEMAS = {
    "fct_violations": pa.schema(
        [
            ("event_id", pa.string()),
            ("intersection_id", pa.string()),
            ("district", pa.string()),
            ("rule", pa.string()),
            ("courier_platform", pa.string()),
            ("occurred_at", _TS),
            ("review_status", pa.string()),
        ]
    ),
    "fct_exposures": pa.schema(
        [
            ("intersection_id", pa.string()),
            ("district", pa.string()),
            ("rule", pa.string()),
            ("courier_platform", pa.string()),
            ("hour_at", _TS),
            ("count_exposures", pa.int64()),
        ]
    ),
    "fct_clips": pa.schema(
        [
            ("camera_id", pa.string()),
            ("started_at", _TS),
            ("duration_s", pa.float64()),
            ("covered_s", pa.float64()),
            ("is_partial", pa.bool_()),
            ("is_view_changed", pa.bool_()),
            ("engine_version", pa.string()),
        ]
    ),
    "dim_cameras": pa.schema(
        [("camera_id", pa.string()), ("intersection_id", pa.string()), ("district", pa.string())]
    ),
}
# Monday 2026-11-16 00:00 in Asia/Shanghai: the start of ISO week 2026-W47 there.
W47_START = datetime(2026, 11, 15, 16, 0, tzinfo=UTC)


def at(week_offset: int, hours: float = 12) -> datetime:
    """A UTC moment ``hours`` after the start of the week ``week_offset`` weeks after 2026-W47."""
    return W47_START + timedelta(weeks=week_offset, hours=hours)


def violations(
    intersection: str, rule: str, count: int, when: datetime, **columns: str | None
) -> list[dict]:
    base = {
        "intersection_id": intersection,
        "district": columns.get("district", "D1"),
        "rule": rule,
        "courier_platform": columns.get("courier_platform"),
        "occurred_at": when,
        "review_status": columns.get("review_status", "pending"),
    }
    return [
        {**base, "event_id": f"{intersection}-{rule}-{when:%Y%m%d%H}-{i}"} for i in range(count)
    ]


def exposures(
    intersection: str, rule: str, count: int, when: datetime, **columns: str | None
) -> dict:
    return {
        "intersection_id": intersection,
        "district": columns.get("district", "D1"),
        "rule": rule,
        "courier_platform": columns.get("courier_platform"),
        "hour_at": when.replace(minute=0, second=0, microsecond=0),
        "count_exposures": count,
    }


@pytest.fixture
def board_con() -> Callable[..., duckdb.DuckDBPyConnection]:
    def make(
        violations: Sequence[dict] = (),
        exposures: Sequence[dict] = (),
        clips: Sequence[dict] = (),
        cameras: Sequence[dict] = (),
        **variables: object,
    ) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        con.execute("set TimeZone = 'UTC'")
        rows = {
            "fct_violations": violations,
            "fct_exposures": exposures,
            "fct_clips": clips,
            "dim_cameras": cameras,
        }
        for name, schema in SCHEMAS.items():
            con.register(f"{name}_rows", pa.Table.from_pylist(list(rows[name]), schema=schema))
            con.execute(f"create view {name} as select * from {name}_rows")
        apply_models(con, [(name.split("/")[1], sql_text(name)) for name in BOARD_MODELS])
        for name, value in variables.items():
            con.execute(f"set variable {name} = ?", [value])
        return con

    return make


@pytest.fixture
def make_violations() -> Callable[..., list[dict]]:
    return violations


@pytest.fixture
def make_exposures() -> Callable[..., dict]:
    return exposures


@pytest.fixture
def week_at() -> Callable[..., datetime]:
    return at


@pytest.fixture(scope="session")
def synthetic_warehouse_template(tmp_path_factory):
    """A small synthetic warehouse: 6 cameras (3 intersections), ISO weeks 2026-W44 to W47 in
    Asia/Shanghai, two clips a day per camera. Generated once; tests get copies."""
    from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse

    spec = SyntheticSpec(
        count_cameras=6, count_weeks=4, first_monday=date(2026, 10, 26), clip_hours=(8, 18)
    )
    root = tmp_path_factory.mktemp("synthetic") / "warehouse"
    write_synthetic_warehouse(root, spec)
    return root


@pytest.fixture
def synthetic_warehouse(synthetic_warehouse_template, tmp_path):
    return Path(shutil.copytree(synthetic_warehouse_template, tmp_path / "warehouse"))
