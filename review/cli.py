"""``civility review``: the workbench's accounts, its server and its queue (mounted by the lead's
``civility`` command)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from analytics.cli import WarehouseOption
from analytics.decisions.queue_sync import sync_from_warehouse
from analytics.decisions.store import store_path, store_session
from analytics.decisions.users import Role, add_user
from analytics.warehouse import warehouse_root
from civility.terminal import JsonFlag, console, print_json, reports_input_errors
from detectors.config.errors import InputError

review_app = typer.Typer(
    name="review",
    help="The review workbench (审核工作台): user accounts, the web server, the queue.",
    no_args_is_help=True,
    add_completion=False,
)


@review_app.command("add-user")
@reports_input_errors
def add_user_command(
    name: Annotated[str, typer.Argument(help="User name (2-32 letters, digits, '.', '_', '-').")],
    role: Annotated[Role, typer.Option("--role", help="What the user may do.")],
    warehouse: WarehouseOption = None,
) -> None:
    """Add a user, or give an existing one a new role and password (ending their sessions).

    The password is asked for without echo; piped in, it is read from the first line of stdin.
    """
    root = warehouse_root(warehouse)
    password = _read_password()
    with store_session(root) as conn:
        user = add_user(conn, name, role, password)
    console.print(f"user [bold]{user.username}[/] ({user.role}) saved in {store_path(root)}")


@review_app.command()
@reports_input_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    warehouse: WarehouseOption = None,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Send cookies over HTTPS only (behind TLS).")
    ] = False,
    sync_interval: Annotated[
        float, typer.Option("--sync-interval", min=0, help="Seconds between queue syncs; 0: once.")
    ] = 60.0,
) -> None:
    """Serve the workbench; the queue follows the warehouse in the background."""
    import uvicorn

    from review.app import create_app
    from review.settings import ReviewSettings

    root = _existing_warehouse(warehouse)
    settings = ReviewSettings(
        warehouse=root, secure_cookies=secure_cookies, sync_interval_s=sync_interval
    )
    console.print(f"review workbench on http://{host}:{port}/ over {root}")
    uvicorn.run(create_app(settings), host=host, port=port)


@review_app.command()
@reports_input_errors
def sync(warehouse: WarehouseOption = None, as_json: JsonFlag = False) -> None:
    """Copy new and reloaded events from the warehouse into the review queue now."""
    report = sync_from_warehouse(_existing_warehouse(warehouse))
    if as_json:
        print_json(report)
        return
    console.print(
        f"queue synced: {report.count_clips_synced} clip(s) copied "
        f"({report.count_events_written} event(s)), {report.count_clips_removed} removed"
    )


def _existing_warehouse(warehouse: Path | None) -> Path:
    root = warehouse_root(warehouse)
    if not root.is_dir():
        raise InputError(
            f"{root}: no warehouse here; pass --warehouse DIR or set $CIVILITY_WAREHOUSE"
        )
    return root


def _read_password() -> str:
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    if not line.strip():
        raise InputError("no password on stdin: pipe it as one line, or run in a terminal")
    return line.rstrip("\r\n")
