"""``civility review``: the workbench's accounts, its server and its queue (mounted by the lead's
``civility`` command)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from analytics.cli import WarehouseOption
from analytics.decisions.users import Role
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
    district: Annotated[
        list[str] | None,
        typer.Option(
            "--district",
            help="A district (辖区) the user sees and decides; repeat for several. "
            "Default: every district (an existing user keeps theirs).",
        ),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Add a user, or give an existing one a new role and password (ending their sessions; a
    stopped account stays stopped).

    The password is asked for without echo; piped in, it is read from the first line of stdin.
    """
    from analytics.decisions.store import store_path, store_session
    from analytics.decisions.users import add_user

    root = _existing_warehouse(warehouse)
    password = _read_password()
    with store_session(root) as conn:
        user = add_user(conn, name, role, password, districts=district or None)
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
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="Address (or network) of a reverse proxy whose X-Forwarded-For names the "
            "client; repeat for several. From anyone else the header is ignored.",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="Review policy YAML (double review, penalty schedule). Default: "
            "$CIVILITY_REVIEW_POLICY, else the shipped one.",
        ),
    ] = None,
) -> None:
    """Serve the workbench; the queue follows the warehouse in the background."""
    from pydantic import ValidationError

    from analytics.decisions.store import open_store
    from review.app import create_app
    from review.serving import serve as serve_app
    from review.settings import ReviewSettings

    root = _existing_warehouse(warehouse)
    try:
        settings = ReviewSettings(
            warehouse=root,
            secure_cookies=secure_cookies,
            sync_interval_s=sync_interval,
            trusted_proxies=tuple(trusted_proxy or ()),
            policy_file=policy,
        )
    except ValidationError as error:
        raise InputError(f"review serve: {error.errors()[0]['msg']}") from None
    open_store(root).close()  # a store that cannot be opened stops us here
    console.print(f"review workbench on http://{host}:{port}/ over {root}")
    serve_app(create_app(settings), host, port)


@review_app.command()
@reports_input_errors
def sync(warehouse: WarehouseOption = None, as_json: JsonFlag = False) -> None:
    """Copy new and reloaded events from the warehouse into the review queue now."""
    from analytics.decisions.queue_sync import sync_from_warehouse

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
