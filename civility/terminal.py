"""What every ``civility`` command shares: its consoles, progress bars and error handling.

Bad input (a clip that will not decode, a camera file with a wrong field, a malformed CSV) is
reported as one clear message with exit status 2, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from detectors.config.errors import InputError

# Tables stay readable when the output goes to a file or a CI log rather than a terminal.
console = Console(width=None if sys.stdout.isatty() else 140)
errors = Console(stderr=True)


def reports_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
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
