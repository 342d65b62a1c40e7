"""``board``: publish the weekly 文明交通红黑榜 and list its revisions (mounted by ``civility``)."""

from __future__ import annotations

from dataclasses import asdict
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


@board_app.command()
@reports_input_errors
def publish(
    week: WeekOption = None,
    warehouse: WarehouseOption = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Board config YAML (analytics/board/board.example.yaml). Default: the config of "
            "the week's current revision, else the defaults.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Publish even a week not over, without analysed clips or below min_coverage.",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Publish a week's board as a new revision and print its page; a board whose figures equal
    the current revision's is not published again."""
    from analytics.board.config import load_board_config
    from analytics.board.publish import publish_week
    from analytics.warehouse import warehouse_root

    board_config = load_board_config(config) if config else None
    root = warehouse_root(warehouse)
    with errors.status(f"publishing the board from {root}"):
        outcome = publish_week(root, week, board_config, force)
    page = outcome.folder / "index.html"
    if as_json:
        print_json({**asdict(outcome), "page": page, "image": outcome.folder / "wechat.png"})
    elif outcome.unchanged:
        console.print(f"nothing changed since revision {outcome.revision}; not published again:")
        console.print(str(page))
    else:
        console.print(f"board published (revision {outcome.revision}): {page}")


@board_app.command()
@reports_input_errors
def withdraw(
    week: Annotated[str, typer.Option("--week", help="ISO week YYYY-Www.")],
    revision: Annotated[int, typer.Option("--revision", min=1, help="Revision number.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, in a few words (shown publicly).")],
    warehouse: WarehouseOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Withdraw a published revision: it is kept, marked withdrawn with the reason, and the
    week's board is again its newest revision not withdrawn."""
    from analytics.board.revisions import current_revision, withdraw_revision
    from analytics.board.site import refresh_site
    from analytics.warehouse import warehouse_root

    root = warehouse_root(warehouse)
    withdrawn = withdraw_revision(root, week, revision, reason)
    refresh_site(root)
    standing = current_revision(root, week)
    if as_json:
        print_json({"withdrawn": withdrawn, "current": standing})
        return
    console.print(f"revision {revision} of {week} withdrawn: {withdrawn.withdrawn_reason}")
    console.print(
        f"the week's board is now revision {standing.revision}"
        if standing
        else "the week has no board standing"
    )


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
    listed = table("week", "revision", "published at", "content hash", "withdrawn")
    for revision in published:
        listed.add_row(
            revision.week,
            f"{revision.revision:03d}",
            revision.published_at,
            revision.content_hash,
            f"{revision.withdrawn_at}: {revision.withdrawn_reason}"
            if revision.is_withdrawn
            else "",
        )
    console.print(listed)
