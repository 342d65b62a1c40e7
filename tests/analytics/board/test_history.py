"""The history of published boards: raw_board_entries, published_boards, board_revisions."""

from __future__ import annotations

from analytics.board.config import BoardConfig
from analytics.board.publish import publish_week
from analytics.warehouse import connect


def test_no_board_yet_is_an_empty_history(tmp_path):
    con = connect(tmp_path)
    assert con.execute("select count(*) from board_revisions").fetchall() == [(0,)]


def test_revisions_are_listed_and_the_latest_marked(synthetic_warehouse):
    publish_week(synthetic_warehouse, "2026-W47")
    publish_week(synthetic_warehouse, "2026-W47", BoardConfig(min_exposures=100))
    con = connect(synthetic_warehouse)
    revisions = con.execute(
        "select week, revision, is_latest_revision, is_same_as_previous from board_revisions "
        "order by revision"
    ).fetchall()
    assert revisions == [("2026-W47", 1, False, False), ("2026-W47", 2, True, False)]
    latest = con.execute(
        "select count(*) from published_boards where is_latest_revision"
    ).fetchone()[0]
    entries = con.execute("select count(*) from published_boards").fetchone()[0]
    assert latest > 0 and entries >= 2 * latest


def test_a_board_published_with_clips_pending_says_so_everywhere(synthetic_warehouse):
    complete = publish_week(synthetic_warehouse, "2026-W47").folder
    late = publish_week(synthetic_warehouse, "2026-W47", count_clips_pending=3).folder

    notice = "仍有 3 段视频未完成分析"
    assert notice in (late / "index.html").read_text(encoding="utf-8")
    assert notice in (late / "board.md").read_text(encoding="utf-8")
    assert "未完成分析" not in (complete / "index.html").read_text(encoding="utf-8")
    con = connect(synthetic_warehouse)
    assert con.execute(
        "select revision, count_clips_pending, is_same_as_previous from board_revisions "
        "order by revision"
    ).fetchall() == [(1, 0, False), (2, 3, False)]


def test_revisions_written_before_the_pending_count_read_it_as_unknown(synthetic_warehouse):
    import pyarrow.parquet as pq

    folder = publish_week(synthetic_warehouse, "2026-W47").folder
    entries = pq.read_table(folder / "entries.parquet")
    pq.write_table(entries.drop_columns(["count_clips_pending"]), folder / "entries.parquet")

    con = connect(synthetic_warehouse)
    assert con.execute("select distinct count_clips_pending from published_boards").fetchall() == [
        (None,)
    ]


def test_a_withdrawn_revision_stays_marked_with_its_reason(synthetic_warehouse):
    from analytics.board.revisions import current_revision, withdraw_revision

    publish_week(synthetic_warehouse, "2026-W47")
    publish_week(synthetic_warehouse, "2026-W47", BoardConfig(min_exposures=100))
    withdraw_revision(synthetic_warehouse, "2026-W47", 2, "排名口径有误")
    assert current_revision(synthetic_warehouse, "2026-W47").revision == 1
    con = connect(synthetic_warehouse)
    assert con.execute(
        "select revision, is_withdrawn, withdrawn_reason, is_latest_revision from board_revisions "
        "order by revision"
    ).fetchall() == [(1, False, None, True), (2, True, "排名口径有误", False)]
