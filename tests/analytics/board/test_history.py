"""The history of published boards: raw_board_entries, published_boards, board_revisions."""

from __future__ import annotations

from analytics.board.publish import publish_week
from analytics.warehouse import connect


def test_no_board_yet_is_an_empty_history(tmp_path):
    con = connect(tmp_path)
    assert con.execute("select count(*) from board_revisions").fetchall() == [(0,)]


def test_revisions_are_listed_and_the_latest_marked(synthetic_warehouse):
    publish_week(synthetic_warehouse, "2026-W47")
    publish_week(synthetic_warehouse, "2026-W47")
    con = connect(synthetic_warehouse)
    revisions = con.execute(
        "select week, revision, is_latest_revision, is_same_as_previous from board_revisions "
        "order by revision"
    ).fetchall()
    assert revisions == [("2026-W47", 1, False, False), ("2026-W47", 2, True, True)]
    latest = con.execute(
        "select count(*) from published_boards where is_latest_revision"
    ).fetchone()[0]
    entries = con.execute("select count(*) from published_boards").fetchone()[0]
    assert latest > 0 and entries == 2 * latest
