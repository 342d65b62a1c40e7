"""``civility accidents …``: import police accident exports, list presets, write the synthetic
export.

Exit status: 2 for a bad mapping, a missing file or an export of which no row could be imported
(one message, nothing written); 1 when rows were imported but more were rejected than the
mapping's ``max_rejected_share``; 0 otherwise. Rejected rows are counted, their most frequent
reasons listed with example lines, and all kept aside in the warehouse.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from analytics.cli import WarehouseOption
from civility.terminal import JsonFlag, console, errors, print_json, reports_input_errors, table

if TYPE_CHECKING:
    from analytics.accidents.report import ImportReport, ReasonCount

EXIT_TOO_MANY_REJECTED = 1

accidents_app = typer.Typer(
    help="Police accident records: import exports (CSV + column mapping), synthetic demo data.",
    no_args_is_help=True,
)


@accidents_app.command("import")
@reports_input_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="Accident export, CSV (utf-8, gbk, cp1252 ...).")],
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Column mapping YAML (docs/accidents.md)."),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="A shipped mapping for a common layout (see `civility accidents presets`); "
            "with --mapping, the file's fields override the preset's.",
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Import an export; importing the same file again adds nothing."""
    from analytics.accidents.importer import import_accidents
    from analytics.warehouse import warehouse_root

    report = import_accidents(warehouse_root(warehouse), file, mapping, preset=preset)
    for notice in report.notices:
        errors.print(f"[yellow]notice:[/] {notice}", highlight=False)
    if as_json:
        print_json(report)
    else:
        print_report(report)
    if report.is_rejected_share_exceeded:
        raise typer.Exit(EXIT_TOO_MANY_REJECTED)


def print_report(report: ImportReport) -> None:
    console.print(f"{report.source_path} ({report.status} import, sha16 {report.file_sha16})")
    console.print(f"read with {report.mapping} as source '{report.source_name}', {report.encoding}")
    summary = table("what", "value", show_header=False)
    summary.add_row("records read", str(report.count_read))
    summary.add_row("accepted", str(report.count_accepted))
    summary.add_row("  already in the warehouse", str(report.count_already_present))
    summary.add_row("  of them corrected (this version counts)", str(report.count_corrected))
    summary.add_row("rejected", str(report.count_rejected))
    console.print(summary)
    if report.status == "unchanged":
        console.print("this file was imported before with the same result: nothing written")
    else:
        console.print(f"records: {report.records_path}")
    print_reasons("kept with a caveat", report.warnings)
    if not report.rejected:
        return
    print_reasons("rejected", report.rejection_reasons)
    share = f"{report.count_rejected / report.count_read:.1%}"
    colour = "red" if report.is_rejected_share_exceeded else "yellow"
    console.print(
        f"[{colour}]{report.count_rejected} row(s) rejected ({share})[/], all kept with their "
        "reasons in"
    )
    console.print(str(report.rejected_path))
    if report.is_rejected_share_exceeded:
        console.print(
            f"[red]more than {report.max_rejected_share:.0%} of the rows were rejected[/] "
            "(max_rejected_share in the mapping): is it the right mapping? Fix the export or "
            "the mapping and import again"
        )


def print_reasons(title: str, reasons: list[ReasonCount]) -> None:
    if not reasons:
        return
    listed = table("rows", "reason", "e.g. lines", title=f"{title}: most frequent reasons")
    for reason in reasons:
        listed.add_row(str(reason.count), reason.reason, ", ".join(map(str, reason.example_lines)))
    console.print(listed)


@accidents_app.command("presets")
def presets_command(as_json: JsonFlag = False) -> None:
    """List the shipped mapping presets (--preset NAME) and the layout each reads."""
    from analytics.accidents.mapping import preset_descriptions

    described = preset_descriptions()
    if as_json:
        print_json(described)
        return
    listed = table("preset", "layout")
    for name, description in described.items():
        listed.add_row(name, description)
    console.print(listed)


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
