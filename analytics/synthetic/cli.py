"""``synthetic``: a demo warehouse of synthetic clip results (and accidents), clearly marked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from analytics.cli import WarehouseOption
from civility.terminal import JsonFlag, console, errors, print_json, reports_input_errors

if TYPE_CHECKING:
    from analytics.accidents.importer import ImportReport
    from analytics.synthetic.generate import SyntheticSpec

synthetic_app = typer.Typer(
    help="Synthetic data for demos and benchmarks: never real footage or real accidents.",
    no_args_is_help=True,
)


@synthetic_app.command("warehouse")
@reports_input_errors
def warehouse_command(
    warehouse: WarehouseOption = None,
    cameras: Annotated[int, typer.Option(min=1, help="Cameras (two per intersection).")] = 36,
    weeks: Annotated[int, typer.Option(min=1, help="Weeks of footage, ending last week.")] = 52,
    campaign_weeks_ago: Annotated[
        int, typer.Option(help="The courier campaign began this many weeks before the end.")
    ] = 20,
    accidents: Annotated[
        bool, typer.Option(help="Also import a synthetic accident export for the same sites.")
    ] = True,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed, the same data.")
    ] = 20261123,
    as_json: JsonFlag = False,
) -> None:
    """Write synthetic clip results (compacted weeks) into a warehouse, for a demo board."""
    from rich.progress import Progress

    from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse
    from analytics.synthetic.world import build_world
    from analytics.warehouse import warehouse_root

    root = warehouse_root(warehouse)
    this_monday = date.today() - timedelta(days=date.today().weekday())
    first_monday = this_monday - timedelta(weeks=weeks)
    campaign_start = this_monday - timedelta(weeks=campaign_weeks_ago)
    spec = SyntheticSpec(
        count_cameras=cameras,
        count_weeks=weeks,
        first_monday=first_monday,
        campaign_start=campaign_start,
        seed=seed,
    )
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("synthetic weeks", total=weeks + 1)
        summary = write_synthetic_warehouse(root, spec, on_week=lambda _: progress.advance(task))
    report = (
        import_synthetic_accidents(root, build_world(cameras, seed).sites(), spec)
        if accidents
        else None
    )
    if as_json:
        print_json({"warehouse": root, "synthetic": summary, "accidents": report})
        return
    console.print(
        f"{summary.count_clips:,} synthetic clips, {summary.count_events:,} events "
        f"in {len(summary.weeks)} weeks -> {root}"
    )
    if report:
        console.print(
            f"synthetic accidents: {report.count_accepted:,} imported, {report.count_rejected} "
            "malformed rows set aside on purpose"
        )


def import_synthetic_accidents(
    root: Path, sites: list[tuple[str, str]], spec: SyntheticSpec
) -> ImportReport:
    """The accidents module's synthetic export for the same intersections, imported."""
    from analytics.accidents.importer import import_accidents
    from analytics.accidents.synthetic import write_synthetic_export

    export = write_synthetic_export(
        root / ".staging" / "synthetic-accidents",
        sites=sites,
        campaign_start=spec.campaign_start,
        start=spec.first_monday - timedelta(weeks=52),
        end=spec.first_monday + timedelta(weeks=spec.count_weeks) - timedelta(days=1),
        seed=spec.seed,
    )
    return import_accidents(root, export.csv_path, export.mapping_path)
