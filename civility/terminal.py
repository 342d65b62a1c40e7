"""What every ``civility`` command shares: its consoles, tables, JSON output and error handling.

Output never loses information. Lines are never wrapped or cut by us: the terminal (or the log
viewer) wraps them, so a path or an id stays one piece that can be copied, whatever the width and
whether or not a terminal is attached. Table cells fold instead of ending in an ellipsis. Commands
whose output scripts read take ``--json`` and then print one JSON object on stdout, nothing else.

Bad input (a clip that will not decode, a camera file with a wrong field, a malformed CSV) is
reported as one clear message with exit status 2, never a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Column, Table

from detectors.config.errors import InputError

# Without a terminal there is no width to read; tables get room enough for their usual columns.
_LOG_WIDTH = 160
console = Console(
    soft_wrap=True,
    width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else _LOG_WIDTH,
)
errors = Console(stderr=True, soft_wrap=True)

JsonFlag = Annotated[
    bool,
    typer.Option("--json", help="Print one JSON object for scripts instead of text."),
]


def table(*columns: str | Column, title: str | None = None, show_header: bool = True) -> Table:
    """A table whose cells fold when the width runs out, never cropped with an ellipsis."""
    folded = [
        column if isinstance(column, Column) else Column(column, overflow="fold")
        for column in columns
    ]
    return Table(*folded, title=title, show_header=show_header)


def print_json(value: Any) -> None:
    """One JSON document on stdout: dataclasses, pydantic models, paths and dates included."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=_jsonable) + "\n")
    sys.stdout.flush()


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path | set | frozenset | tuple):
        return str(value) if isinstance(value, Path) else list(value)
    return str(value)


def reports_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            errors.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=not sys.stderr.isatty(),
    )
