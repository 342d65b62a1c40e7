"""The board's access to the warehouse: a connection over the weeks it needs, its variables set,
and rows of the marts as dictionaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analytics.board.config import BoardConfig
from analytics.board.weeks import weeks_up_to
from analytics.warehouse import connect


def board_connection(root: Path, week: str, config: BoardConfig) -> duckdb.DuckDBPyConnection:
    """A warehouse connection reading only the weeks a board of ``week`` needs, its variables
    set from ``config``."""
    con = connect(root, weeks=weeks_up_to(week, config.weeks_read))
    set_board_variables(con, config)
    return con


def snapshot_weekly_counts(con: duckdb.DuckDBPyConnection) -> None:
    """Compute ``board_weekly_counts`` once, for the variables set now. Every figure is its own
    mart query, and the rankings, the trend and the accident correlation all start from these
    counts: without the snapshot each would scan the weeks' events again."""
    con.execute("create temp table board_weekly_counts_snapshot as from board_weekly_counts")
    con.execute("create or replace view board_weekly_counts as from board_weekly_counts_snapshot")


def set_board_variables(con: duckdb.DuckDBPyConnection, config: BoardConfig) -> None:
    """Set the DuckDB variables the board marts read (analytics/sql/marts/board_*.sql)."""
    for name, value in config.sql_variables().items():
        con.execute(f"set variable {name} = ?", [value])


def rows(
    con: duckdb.DuckDBPyConnection, query: str, parameters: list[Any] | None = None
) -> list[dict[str, Any]]:
    result = con.execute(query, parameters or [])
    names = [column[0] for column in result.description]
    return [dict(zip(names, values, strict=True)) for values in result.fetchall()]
