"""``civility cases``: signed case packages for the penalty system, their verification, and
weekly notices to courier platforms (mounted by ``civility``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from analytics.cli import WarehouseOption
from civility.terminal import JsonFlag, console, errors, print_json, reports_input_errors

cases_app = typer.Typer(
    name="cases",
    help="Case packages (案件) of confirmed violations, their verification, platform notices.",
    no_args_is_help=True,
    add_completion=False,
)

KeyOption = Annotated[
    Path | None,
    typer.Option(
        "--key",
        help="The office's Ed25519 private key (PEM). Default: $CIVILITY_CASE_KEY.",
    ),
]
WeekOption = Annotated[
    str, typer.Option("--week", help="Local ISO week of the violations, YYYY-Www.")
]
TimezoneOption = Annotated[
    str,
    typer.Option("--timezone", help="Time zone the weeks and the sheets' times are in."),
]


@cases_app.command()
@reports_input_errors
def keygen(
    key: Annotated[Path, typer.Option("--key", help="Where to write the private key.")],
    as_json: JsonFlag = False,
) -> None:
    """Make the office's signing key: PATH (private, 0600) and PATH.pub (public)."""
    from cases.signing import fingerprint, load_private_key, make_key

    private, public = make_key(key)
    print_fingerprint = fingerprint(load_private_key(private).public_key())
    if as_json:
        print_json({"key": private, "public_key": public, "fingerprint": print_fingerprint})
        return
    console.print(f"private key (keep it safe; set $CIVILITY_CASE_KEY to it):\n{private}")
    console.print(f"public key (give it to whoever verifies cases):\n{public}")
    console.print(f"fingerprint: {print_fingerprint}")


@cases_app.command("export")
@reports_input_errors
def export_command(
    week: WeekOption,
    out: Annotated[Path, typer.Option("--out", help="New folder for the case packages.")],
    status: Annotated[
        Literal["confirmed"],
        typer.Option("--status", help="Which violations become cases: confirmed ones."),
    ] = "confirmed",
    warehouse: WarehouseOption = None,
    key: KeyOption = None,
    timezone: TimezoneOption = "Asia/Shanghai",
    as_json: JsonFlag = False,
) -> None:
    """One signed case package per confirmed violation of the week, and index.csv."""
    from analytics.warehouse import warehouse_root
    from cases.export import export_cases

    with errors.status(f"exporting the {status} cases of {week} ..."):
        summary = export_cases(warehouse_root(warehouse), week, out, key, timezone)
    if as_json:
        print_json(summary)
        return
    states = ", ".join(f"{count} {state}" for state, count in summary.evidence_states.items())
    console.print(
        f"{summary.count_cases} case(s) of {summary.week} in {summary.runtime_s:.1f} s, signed by "
        f"{summary.signed_by}; evidence: {states or 'none'}"
    )
    console.print(f"cases:\n{summary.folder}")


@cases_app.command("verify")
@reports_input_errors
def verify_command(
    folder: Annotated[Path, typer.Argument(help="An export folder, or one case folder in it.")],
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="The office's public key (PEM). Default: derived from $CIVILITY_CASE_KEY; "
            "without either, the key inside the manifests (integrity only).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Check that every file is exactly as signed; exit status 1 if anything changed."""
    from cases.verify import verify

    result = verify(folder, public_key)
    if as_json:
        print_json({**result.__dict__, "ok": result.ok})
    else:
        trust = "the office's key" if result.key_checked else "the key in the manifests only"
        console.print(
            f"{result.kind}: {result.count_cases} case(s), {result.count_files} file(s), "
            f"signed by {result.signed_by} (checked with {trust})"
        )
        for problem in result.problems:
            console.print(f"[red]✗[/] {problem}", highlight=False)
        console.print("[green]all files as signed[/]" if result.ok else "[red]changed[/]")
    if not result.ok:
        raise typer.Exit(1)


@cases_app.command("notices")
@reports_input_errors
def notices_command(
    week: WeekOption,
    out: Annotated[Path, typer.Option("--out", help="Folder for the notices.")],
    warehouse: WarehouseOption = None,
    cases: Annotated[
        str,
        typer.Option(
            "--cases",
            help="Where the notices link each case's evidence: a URL or path prefix to which "
            "'<case no>/case.html' is added. Default: the case export beside the notices.",
        ),
    ] = "../cases",
    timezone: TimezoneOption = "Asia/Shanghai",
    as_json: JsonFlag = False,
) -> None:
    """Weekly notices to courier platforms (一人一码): their riders' confirmed cases."""
    from analytics.warehouse import warehouse_root
    from cases.notices import write_notices

    written = write_notices(warehouse_root(warehouse), week, out, cases, timezone)
    if as_json:
        print_json({"week": week, "notices": written})
        return
    for notice in written:
        console.print(
            f"{notice.platform_name}: {notice.count_cases} case(s), "
            f"{notice.count_repeat_riders} repeat rider(s)"
        )
        console.print(f"{notice.folder}")
