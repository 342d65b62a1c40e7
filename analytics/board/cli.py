"""``board``: publish the weekly 文明交通红黑榜 and list its revisions (mounted by ``civility``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analytics.cli import WarehouseOption
from civility.terminal import JsonFlag, console, errors, print_json, reports_input_errors, table

board_app = typer.Typer(
    name="board",
    help="The weekly 文明交通红黑榜: rankings by violations per 1,000 exposures.",
    no_args_is_help=True,
    add_completion=False,
)
WeekOption = Annotated[
    str | None,
    typer.Option("--week", help="ISO week YYYY-Www. Default: the last complete week."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Board config YAML (see analytics/board/board.example.yaml)."),
]


@board_app.command()
@reports_input_errors
def publish(
    week: WeekOption = None,
    warehouse: WarehouseOption = None,
    config: ConfigOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Publish a week's board as a new revision and print its folder."""
    from analytics.board.config import load_board_config
    from analytics.board.publish import publish_week
    from analytics.warehouse import warehouse_root

    board_config = load_board_config(config)
    root = warehouse_root(warehouse)
    with errors.status(f"publishing the board from {root}"):
        folder = publish_week(root, week, board_config)
    if as_json:
        print_json({"folder": folder, "page": folder / "index.html"})
    else:
        console.print(f"board published: {folder / 'index.html'}")


@board_app.command()
@reports_input_errors
def revisions(
    week: WeekOption = None, warehouse: WarehouseOption = None, as_json: JsonFlag = False
) -> None:
    """List published revisions (of one week, or of all weeks)."""
    from analytics.board.revisions import board_revisions
    from analytics.warehouse import warehouse_root

    published = board_revisions(warehouse_root(warehouse), week)
    if as_json:
        print_json({"revisions": published})
        return
    listed = table("week", "revision", "published at", "content hash")
    for revision in published:
        listed.add_row(
            revision.week,
            f"{revision.revision:03d}",
            revision.published_at,
            revision.content_hash,
        )
    console.print(listed)
