"""``civility sql`` without a query: an interactive prompt over the same locked connection.

Statements end with ``;`` and may span lines; each runs as ``civility sql "..."`` would (refused
unless it is a query, its rows capped). A few dot commands list what there is to query.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from civility.terminal import console, errors
from detectors.config.errors import InputError

PROMPT = "civility> "
CONTINUED = "      ...> "
HISTORY = Path.home() / ".civility_sql_history"
HELP = """\
Statements end with ';'. Only queries run (select, with, from, describe, show, summarize,
explain) and `set variable`; rows are capped (civility sql --help: --limit, --all, --out).
  .tables          the marts (show tables)
  .layers          every view of every layer, with its schema (show all tables)
  .schema NAME     the columns of a view, with its comment
  .help            this text
  .quit            leave (or Ctrl-D)"""
DOT_COMMANDS = {
    ".tables": "show tables",
    ".layers": "select schema_name, view_name, comment from duckdb_views() where not internal "
    "order by schema_name != 'main', schema_name, view_name",
}


def run_shell(run: Callable[[str], None], read_line: Callable[[str], str]) -> None:
    """Read statements with ``read_line(prompt)`` until end of input, running each with ``run``;
    an error is printed and the prompt goes on."""
    console.print("civility sql: the warehouse, read-only. .help for help, .quit to leave.")
    pending: list[str] = []
    while True:
        try:
            line = read_line(CONTINUED if pending else PROMPT)
        except EOFError:
            return
        except KeyboardInterrupt:
            pending = []
            console.print()
            continue
        text = line.strip()
        if not pending and text.startswith("."):
            if text in (".quit", ".exit"):
                return
            statement = dot_command(text)
            if statement is None:
                continue
        else:
            pending.append(line)
            if not text.endswith(";"):
                continue
            statement, pending = "\n".join(pending), []
        try:
            run(statement)
        except InputError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False)


def dot_command(text: str) -> str | None:
    """The SQL a dot command stands for; None when it only printed something."""
    command, _, argument = text.partition(" ")
    if command in DOT_COMMANDS:
        return DOT_COMMANDS[command]
    if command == ".schema" and argument.strip():
        name = argument.strip().replace("'", "''")
        return (
            f"select column_name, data_type, (select comment from duckdb_views() "
            f"where view_name = '{name}' limit 1) as view_comment "
            f"from information_schema.columns where table_name = '{name}' order by ordinal_position"
        )
    console.print(HELP)
    return None


def terminal_reader() -> Callable[[str], str]:
    """``input`` with line editing and a history file, where readline is available."""
    with contextlib.suppress(ImportError, OSError):
        import atexit
        import readline

        if HISTORY.is_file():
            readline.read_history_file(HISTORY)
        atexit.register(readline.write_history_file, HISTORY)
    return input
