"""``civility warehouse …`` and ``civility sql``: loading clips and querying the warehouse."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from civility.terminal import JsonFlag, console, print_json, reports_input_errors, table
from detectors.config.errors import InputError

warehouse_app = typer.Typer(
    help="The DuckDB warehouse: load clip results, compact old weeks, build a catalog file.",
    no_args_is_help=True,
)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="Warehouse folder. Default: $CIVILITY_WAREHOUSE, else ./warehouse.",
    ),
]


@warehouse_app.command("load")
@reports_input_errors
def load(
    outputs: Annotated[
        list[Path], typer.Argument(help="Folders written by `civility detect` (one per clip).")
    ],
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Load clip results; loading a clip again replaces its rows, never adds to them."""
    from analytics.warehouse import load_clip, warehouse_root

    root = warehouse_root(warehouse)
    results = []
    for folder in outputs:
        result = load_clip(root, folder)
        results.append(result)
        if not as_json:
            console.print(
                f"loaded clip {result.clip_id} ({result.count_events} events, week {result.week}): "
                f"{result.folder}"
            )
    if as_json:
        print_json({"loads": results})


@warehouse_app.command("compact")
@reports_input_errors
def compact(
    week: Annotated[str, typer.Option("--week", help="ISO week of clip starts, YYYY-Www.")],
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Merge a week's loads into one file per table (faster boards over many clips)."""
    from analytics.warehouse import compact_week, warehouse_root

    folder = compact_week(warehouse_root(warehouse), week)
    if as_json:
        print_json({"week": week, "compacted": folder})
    else:
        console.print(f"compacted into {folder}" if folder else f"no clips filed under {week}")


@warehouse_app.command("vacuum")
@reports_input_errors
def vacuum(
    grace_minutes: Annotated[
        float,
        typer.Option(help="Keep superseded files this long after something newer appeared."),
    ] = 60.0,
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Remove files that newer loads or compactions superseded."""
    from analytics.warehouse import vacuum as vacuum_warehouse
    from analytics.warehouse import warehouse_root

    report = vacuum_warehouse(warehouse_root(warehouse), grace=timedelta(minutes=grace_minutes))
    if as_json:
        print_json(report)
        return
    for folder in report.removed:
        console.print(f"removed {folder}")
    kept = report.kept_for_grace
    console.print(f"removed {len(report.removed)} folder(s); {kept} kept for the grace period")


@warehouse_app.command("catalog")
@reports_input_errors
def catalog(
    out: Annotated[
        Path | None, typer.Argument(help="DuckDB file to write. Default: WAREHOUSE/catalog.duckdb")
    ] = None,
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Write a DuckDB file of the warehouse's views, to open with `duckdb -readonly FILE`."""
    from analytics.warehouse import warehouse_root, write_catalog

    root = warehouse_root(warehouse)
    written = write_catalog(root, out or root / "catalog.duckdb")
    if as_json:
        print_json({"catalog": written})
    else:
        console.print(f"catalog: {written}")


def sql(
    query: Annotated[str, typer.Argument(help="One SQL query over the warehouse's views.")],
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Run an ad-hoc query: `civility sql "select * from fct_violations limit 5"`.

    Views: fct_violations, fct_exposures, fct_clips, dim_cameras, dim_intersections,
    dim_districts, dim_courier_platforms and more (docs/warehouse.md).
    """
    from analytics.warehouse import connect, warehouse_root

    try:
        relation = connect(warehouse_root(warehouse)).sql(query)
    except duckdb.Error as error:
        raise InputError(f"query failed: {error}") from None
    if relation is None:
        return
    print_relation(relation, "csv" if csv else "json" if as_json else "table")


def print_relation(relation: duckdb.DuckDBPyRelation, style: str) -> None:
    columns, rows = relation.columns, relation.fetchall()
    if style == "csv":
        import csv as csv_module

        writer = csv_module.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif style == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        shown = table(*columns)
        for row in rows:
            shown.add_row(*("" if value is None else str(value) for value in row))
        console.print(shown)
        console.print(f"{len(rows)} row(s)")
