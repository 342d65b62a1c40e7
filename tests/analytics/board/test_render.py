"""What the public page shows: red lists before the black, enforcement figures once penalties
exist (mart enforcement_weekly, interface of the review workbench)."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics.board.config import BoardConfig
from analytics.board.data import correlation_window, read_board
from analytics.board.publish import write_board
from analytics.board.queries import board_connection, snapshot_weekly_counts
from analytics.board.render import page_context


def board_of(root, config):
    con = board_connection(root, "2026-W47", config)
    snapshot_weekly_counts(con)
    return read_board(con, "2026-W47", config, [], None, correlation_window("2026-W47", config))


def test_enforcement_figures_appear_once_reviewers_have_decided(synthetic_warehouse):
    from analytics.decisions.synthetic_decisions import write_synthetic_decisions
    from analytics.warehouse import connect

    config = BoardConfig()
    assert board_of(synthetic_warehouse, config).enforcement == []

    write_synthetic_decisions(synthetic_warehouse, seed=7)
    folder = write_board(synthetic_warehouse, board_of(synthetic_warehouse, config))

    # The same figures counted from the violations themselves, not from the mart.
    [(cases, fines, yuan, exposures)] = (
        connect(synthetic_warehouse)
        .sql(
            "select count(*), count(*) filter (where disposition = 'fine'), "
            "coalesce(sum(fine_yuan) filter (where disposition = 'fine'), 0), "
            "count(*) filter (where disposition = 'exposure_only') from fct_violations "
            "where rule = 'wrong_way' and review_status = 'confirmed' "
            "and strftime(timezone('Asia/Shanghai', occurred_at), '%G-W%V') = '2026-W47'"
        )
        .fetchall()
    )
    assert cases > 0 and fines > 0
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert f"非机动车逆行：本周依法处理 {cases:,} 起，其中罚款 {fines:,} 起、共 {yuan:,} 元" in page
    assert f"曝光 {exposures:,} 起" in page


def test_red_lists_come_before_the_black_list(synthetic_warehouse):
    # Three intersections: red and black lists when a kind needs only one entity for them.
    data = board_of(synthetic_warehouse, BoardConfig(min_listed_entities=1))
    context = page_context(data, 1, datetime(2026, 11, 23, tzinfo=UTC), None)
    for section in context["sections"]:
        kinds = [listed["css"] for listed in section["lists"]]
        assert "black" in kinds and "red" in kinds
        assert max(i for i, css in enumerate(kinds) if css == "red") < kinds.index("black")
