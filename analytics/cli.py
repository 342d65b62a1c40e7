"""``civility warehouse …`` and ``civility sql``: loading clips and querying the warehouse."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from civility.terminal import JsonFlag, console, errors, print_json, reports_input_errors
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
    """Write the catalog: a DuckDB file of the warehouse's views. `civility sql` keeps it fresh
    by itself; another DuckDB client opening it is not locked down as `civility sql` is."""
    from analytics.warehouse import warehouse_root, write_catalog

    root = warehouse_root(warehouse)
    written = write_catalog(root, out or root / "catalog.duckdb")
    if as_json:
        print_json({"catalog": written})
    else:
        console.print(f"catalog: {written}")


def sql(
    query: Annotated[
        str | None,
        typer.Argument(
            help="SQL over the warehouse's views; '-' reads it from stdin. Without it (and "
            "without --file) a terminal gets an interactive prompt."
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the SQL from this file.")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=0, help="Rows to show (default 100), or to write with --out (all)."
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every row, no cap.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the rows to this file (.csv, .parquet, .json, .jsonl) instead."
        ),
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON object: columns, rows, count_rows, is_truncated."
        ),
    ] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Query the warehouse, read-only: `civility sql "select * from fct_violations"`.

    Only queries run (and `set variable`): anything that would write a file or change a view is
    refused before it runs, and files outside the warehouse cannot be read. Rows are capped
    (--limit, --all) and streamed. Marts: fct_violations, fct_exposures, fct_clips, dim_cameras,
    board_rankings ... (`show tables`, docs/warehouse.md).
    """
    from analytics.query.access import analyst_connection
    from analytics.query.results import DEFAULT_LIMIT
    from analytics.warehouse import warehouse_root

    text = sql_text(query, file)
    if text is None and out is not None:
        raise InputError("--out needs a query to write: give it as an argument or with --file")
    root = warehouse_root(warehouse)
    con = analyst_connection(root)
    style = "csv" if csv else "json" if as_json else "table"
    cap = None if show_all else limit if limit is not None or out else DEFAULT_LIMIT
    if text is not None:
        run_sql(con, text, root, style, cap, out)
        return
    from analytics.query.shell import run_shell, terminal_reader

    run_shell(
        lambda statement: run_sql(con, statement, root, "table", cap, None), terminal_reader()
    )


def sql_text(query: str | None, file: Path | None) -> str | None:
    """The SQL given on the command line, in a file or on stdin; None for the prompt."""
    if query is not None and file is not None:
        raise InputError("give the SQL either as an argument or with --file, not both")
    if file is not None:
        if not file.is_file():
            raise InputError(f"--file {file}: no such file")
        return file.read_text(encoding="utf-8")
    if query == "-" or (query is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    return query


def run_sql(
    con: duckdb.DuckDBPyConnection,
    text: str,
    root: Path,
    style: str,
    limit: int | None,
    out: Path | None,
) -> None:
    """Run every statement of ``text`` once all are known to read only; show (or write to
    ``out``) the last one's rows."""
    from analytics.query.access import checked_statements, explained_error
    from analytics.query.results import show_result, write_result

    *earlier, last = checked_statements(con, text)
    try:
        for statement in earlier:
            con.execute(statement.query)
        if out is not None:
            count = write_result(con, last.query, out, root, limit)
            errors.print(f"{count:,} row(s) written to", highlight=False)
            errors.print(str(out), highlight=False, soft_wrap=True)
        else:
            show_result(con, last.query, style, limit)
    except duckdb.Error as error:
        raise explained_error(error) from None
