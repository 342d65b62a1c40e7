"""Raw sources that other parts of the system write: courier platforms, review decisions,
accident records, published boards."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from analytics.accidents.records import RECORD_SCHEMA
from analytics.warehouse.layout import accident_records_dir, boards_dir
from analytics.warehouse.sources import define_parquet_source, define_table_source
from detectors.config.platforms import load_platform_profiles


def define_courier_platforms(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """``raw_courier_platforms``: the livery profiles the engine attributes couriers with."""
    rows = [
        {
            "platform": profile.name,
            "display_name": profile.display_name,
            "brands": ", ".join(profile.platforms),
            "regions": ", ".join(profile.regions),
        }
        for profile in load_platform_profiles().profiles
    ]
    define_table_source(
        con,
        "raw_courier_platforms",
        pa.Table.from_pylist(rows),
        "the courier livery profiles (detectors/config/platforms.yaml)",
    )


def define_review_decisions(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """``raw_review_decisions``: the workbench's current decision on each reviewed event, read
    once per connection (a snapshot, like the Parquet sources)."""
    # Imported here: the decision store finds its file through this package's layout.
    from analytics.decisions.export import current_decisions

    define_table_source(
        con,
        "raw_review_decisions",
        current_decisions(root),
        "the review workbench's current decision on each reviewed event (review/review.sqlite)",
    )


def define_accident_records(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """``raw_accident_records``: every imported police accident file."""
    define_parquet_source(
        con,
        "raw_accident_records",
        accident_records_dir(root.resolve()),
        "*.parquet",
        RECORD_SCHEMA,
        "imported police accident records (accidents/records/*.parquet)",
    )


def define_board_entries(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """``raw_board_entries``: every published board revision (the folder names are not columns:
    each file carries its week and revision)."""
    # Imported here: the board package itself opens the warehouse.
    from analytics.board.history import ENTRIES_GLOB, ENTRIES_SCHEMA

    define_parquet_source(
        con,
        "raw_board_entries",
        boards_dir(root.resolve()),
        ENTRIES_GLOB,
        ENTRIES_SCHEMA,
        "the list entries of every published board revision (boards/week=*/rev=*/entries.parquet)",
    )


def define_board_withdrawals(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """``raw_board_withdrawals``: revisions withdrawn after publication, when and why."""
    from analytics.board.history import WITHDRAWAL_SCHEMA, WITHDRAWALS_GLOB

    define_parquet_source(
        con,
        "raw_board_withdrawals",
        boards_dir(root.resolve()),
        WITHDRAWALS_GLOB,
        WITHDRAWAL_SCHEMA,
        "withdrawn board revisions (boards/week=*/rev=*/withdrawn.parquet)",
    )


SHARED_SOURCES = (
    define_courier_platforms,
    define_review_decisions,
    define_accident_records,
    define_board_entries,
    define_board_withdrawals,
)
