"""The published boards as a site: the index of weeks and the latest links."""

from __future__ import annotations

import os

from analytics.board.config import BoardConfig
from analytics.board.publish import publish_week
from analytics.board.revisions import withdraw_revision
from analytics.board.site import refresh_site
from analytics.warehouse.layout import boards_dir


def test_latest_leads_to_the_current_board_and_the_index_lists_the_weeks(synthetic_warehouse):
    publish_week(synthetic_warehouse, "2026-W46", BoardConfig(), force=True)
    publish_week(synthetic_warehouse, "2026-W47")
    second = publish_week(synthetic_warehouse, "2026-W47", BoardConfig(min_exposures=100))
    boards = boards_dir(synthetic_warehouse)
    latest = boards / "week=2026-W47" / "latest" / "manifest.json"
    assert latest.resolve() == second.folder / "manifest.json"
    assert os.readlink(boards / "week=2026-W46" / "latest") == "rev=001"
    forward = (boards / "latest.html").read_text(encoding="utf-8")
    assert 'url=week=2026-W47/rev=002/index.html"' in forward
    index = (boards / "index.html").read_text(encoding="utf-8")
    assert index.index("2026年11月16日—22日") < index.index("2026年11月9日—15日")
    assert 'href="week=2026-W47/rev=002/index.html"' in index


def test_a_withdrawn_revision_is_noted_and_latest_falls_back(synthetic_warehouse):
    publish_week(synthetic_warehouse, "2026-W47")
    publish_week(synthetic_warehouse, "2026-W47", BoardConfig(min_exposures=100))
    withdraw_revision(synthetic_warehouse, "2026-W47", 2, "数据有误")
    refresh_site(synthetic_warehouse)
    boards = boards_dir(synthetic_warehouse)
    assert os.readlink(boards / "week=2026-W47" / "latest") == "rev=001"
    assert "第 2 版已撤回：数据有误" in (boards / "index.html").read_text(encoding="utf-8")
    withdraw_revision(synthetic_warehouse, "2026-W47", 1, "整周重算")
    refresh_site(synthetic_warehouse)
    assert not (boards / "latest.html").exists()
    assert not (boards / "week=2026-W47" / "latest").exists()
    assert "榜单已撤回" in (boards / "index.html").read_text(encoding="utf-8")
