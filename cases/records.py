"""What a case is made of: the confirmed violation as the warehouse holds it, and its decision
with the history of who said what (from the review store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analytics.board.weeks import week_monday
from analytics.decisions.decisions import (
    HistoryStep,
    audit_trail,
    current_decision,
    decision_history,
)
from analytics.decisions.models import Decision
from analytics.decisions.store import open_store_read_only

SQL_DIR = Path(__file__).with_name("sql")


def confirmed_cases(root: Path, week: str, timezone: str) -> list[dict[str, Any]]:
    """The week's confirmed violations (rows of fct_violations), in time order."""
    week_monday(week)  # a malformed week is named before the warehouse is opened
    return query_rows(root, [week], "confirmed_cases", {"week": week, "timezone": timezone})


def query_rows(
    root: Path, weeks: list[str], name: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """The rows of ``sql/<name>.sql`` over the warehouse's partitions of ``weeks``."""
    from analytics.warehouse import connect

    con = connect(Path(root), weeks=weeks)
    try:
        relation = con.execute((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"), params)
        names = [column[0] for column in relation.description]
        return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    finally:
        con.close()


def decisions_of(
    root: Path, event_ids: list[str]
) -> dict[str, tuple[Decision | None, list[HistoryStep]]]:
    """Each event's current decision and its history, read without locking the workbench."""
    conn = open_store_read_only(root)
    if conn is None:
        return {event_id: (None, []) for event_id in event_ids}
    try:
        return {
            event_id: (
                current_decision(conn, event_id),
                decision_history(audit_trail(conn, event_id)),
            )
            for event_id in event_ids
        }
    finally:
        conn.close()
