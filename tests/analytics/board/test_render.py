"""What the public page shows: red lists before the black, enforcement figures once penalties
exist (mart enforcement_weekly, interface of the review workbench)."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics.board.config import BoardConfig
from analytics.board.data import correlation_window, read_board
from analytics.board.publish import write_board
from analytics.board.queries import board_connection, snapshot_weekly_counts
from analytics.board.render import page_context

ENFORCEMENT = """
create view enforcement_weekly as
select * from (values
    ('2026-W47', '朝阳区建外街道', 'wrong_way', 5, 2, 400, 1, 1, 1),
    ('2026-W47', '海淀区海淀街道', 'wrong_way', 3, 1, 200, 1, 0, 1),
    ('2026-W46', '海淀区海淀街道', 'wrong_way', 9, 9, 1800, 0, 0, 0)
) as t(week, district, rule, count_cases, count_fines, fine_yuan_total, count_warnings,
       count_education, count_exposure_only)
"""


def board_of(root, config, enforcement: bool = False):
    con = board_connection(root, "2026-W47", config)
    snapshot_weekly_counts(con)
    if enforcement:
        con.execute(ENFORCEMENT)
    return read_board(con, "2026-W47", config, [], None, correlation_window("2026-W47", config))


def test_enforcement_figures_appear_once_the_mart_has_rows(synthetic_warehouse):
    config = BoardConfig()
    without = board_of(synthetic_warehouse, config)
    assert without.enforcement == []
    data = board_of(synthetic_warehouse, config, enforcement=True)
    folder = write_board(synthetic_warehouse, data)
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "非机动车逆行：本周依法处理 8 起，其中罚款 3 起、共 600 元" in page
    assert "曝光 2 起" in page


def test_red_lists_come_before_the_black_list(synthetic_warehouse):
    # Three intersections: red and black lists when a kind needs only one entity for them.
    data = board_of(synthetic_warehouse, BoardConfig(min_listed_entities=1))
    context = page_context(data, 1, datetime(2026, 11, 23, tzinfo=UTC), None)
    for section in context["sections"]:
        kinds = [listed["css"] for listed in section["lists"]]
        assert "black" in kinds and "red" in kinds
        assert max(i for i, css in enumerate(kinds) if css == "red") < kinds.index("black")
