"""``civility accidents …``: import police accident exports, write the synthetic export.

A bad mapping or a missing file exits with status 2 and one message; bad rows in a CSV are not an
error: they are counted, listed (the first few) and kept aside in the warehouse.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from analytics.accidents.importer import ImportReport, import_accidents
from analytics.cli import WarehouseOption
from civility.terminal import JsonFlag, console, print_json, reports_input_errors, table

SHOWN_BAD_ROWS = 10

accidents_app = typer.Typer(
    help="Police accident records: import exports (CSV + column mapping), synthetic demo data.",
    no_args_is_help=True,
)


@accidents_app.command("import")
@reports_input_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="Accident export, CSV (utf-8, utf-8-sig or gbk).")],
    mapping: Annotated[
        Path,
        typer.Option("--mapping", help="Column mapping YAML (docs/accidents.md)."),
    ],
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Import an export; importing the same file again adds nothing."""
    from analytics.warehouse import warehouse_root

    report = import_accidents(warehouse_root(warehouse), file, mapping)
    if as_json:
        print_json(report)
    else:
        print_report(report)


def print_report(report: ImportReport) -> None:
    console.print(f"{report.source_path} ({report.status} import, sha16 {report.file_sha16})")
    summary = table("what", "value", show_header=False)
    summary.add_row("records read", str(report.count_read))
    summary.add_row("accepted", str(report.count_accepted))
    summary.add_row("  already in the warehouse", str(report.count_already_present))
    summary.add_row("rejected", str(report.count_rejected))
    console.print(summary)
    if report.status == "unchanged":
        console.print("this file was imported before with the same result: nothing written")
    else:
        console.print(f"records: {report.records_path}")
    if not report.rejected:
        return
    bad = table(
        "line", "reason", title=f"bad rows (first {min(SHOWN_BAD_ROWS, len(report.rejected))})"
    )
    for row in report.rejected[:SHOWN_BAD_ROWS]:
        bad.add_row(str(row.line), row.reason)
    console.print(bad)
    console.print(
        f"[yellow]{report.count_rejected} row(s) rejected[/], all kept with their reasons in "
        f"{report.rejected_path}; fix the export or the mapping and import again"
    )


@accidents_app.command("synthetic")
@reports_input_errors
def synthetic_command(
    out: Annotated[Path, typer.Argument(help="Folder to write the CSV and its mapping into.")],
    campaign_start: Annotated[
        datetime | None,
        typer.Option(
            "--campaign-start",
            formats=["%Y-%m-%d"],
            help="From this day courier accidents fall markedly. Default: 2026-06-01.",
        ),
    ] = None,
    encoding: Annotated[
        Literal["gbk", "utf-8-sig"], typer.Option("--encoding", help="Text encoding of the CSV.")
    ] = "gbk",
    as_json: JsonFlag = False,
) -> None:
    """Write a synthetic police export (clearly marked 合成数据) and its mapping YAML."""
    from analytics.accidents.synthetic import DEFAULT_CAMPAIGN_START, write_synthetic_export

    start: date = campaign_start.date() if campaign_start else DEFAULT_CAMPAIGN_START
    export = write_synthetic_export(out, campaign_start=start, encoding=encoding)
    if as_json:
        print_json(export)
        return
    console.print(f"synthetic export: {export.csv_path}")
    console.print(f"  {export.count_rows} rows, {export.count_malformed} malformed on purpose")
    console.print(f"mapping: {export.mapping_path}")
