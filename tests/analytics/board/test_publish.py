"""Publishing a week's board from a (synthetic) warehouse: files, revisions, privacy."""

from __future__ import annotations

import json
import shutil

import pytest

from analytics.board.config import BoardConfig
from analytics.board.publish import publish_week
from analytics.board.revisions import board_revisions
from analytics.board.weeks import last_complete_week
from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse
from analytics.warehouse import connect

FILES = {"index.html", "board.md", "board.json", "entries.csv", "entries.parquet", "manifest.json"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def published(synthetic_warehouse_template, tmp_path_factory):
    """The 2026-W47 board of a copy of the synthetic warehouse, published once."""
    root = tmp_path_factory.mktemp("published") / "warehouse"
    shutil.copytree(synthetic_warehouse_template, root)
    return root, publish_week(root, "2026-W47")


def test_a_board_is_pages_tables_and_charts(published):
    _, folder = published
    assert (folder.parent.name, folder.name) == ("week=2026-W47", "rev=001")
    assert {path.name for path in folder.iterdir()} >= FILES
    charts = sorted((folder / "charts").glob("*.png"))
    assert charts and all(path.read_bytes()[:8] == PNG_SIGNATURE for path in charts)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "charts/trend_wrong_way.png" in manifest["files"]


def test_the_board_states_what_it_counts_and_that_its_data_are_synthetic(published):
    text = (published[1] / "index.html").read_text(encoding="utf-8")
    assert "计入已确认及待审核的违法事件" in text
    assert "合成数据" in text


def test_no_event_clip_or_evidence_reference_leaves_the_warehouse(published):
    root, folder = published
    references = {
        value
        for (value,) in connect(root)
        .execute("select clip_id from fct_clips union all select event_id from fct_violations")
        .fetchall()
    }
    for path in folder.iterdir():
        if path.suffix in {".html", ".md", ".json", ".csv"}:
            text = path.read_text(encoding="utf-8")
            assert "evidence" not in text and "rider_code" not in text
            assert not any(reference in text for reference in references)


def test_the_entries_table_holds_the_ranked_lists(published):
    root, folder = published
    entries = (
        connect(root)
        .execute(
            f"select board_week, revision, list_name, count(*) from '{folder}/entries.parquet' "
            "where entity_kind = 'intersection' and list_name != 'red_improved' "
            "group by all order by all"
        )
        .fetchall()
    )
    # Three intersections per rule: the black and the best list take one each (half of three).
    assert entries == [("2026-W47", 1, "black", 2), ("2026-W47", 1, "red_best", 2)]


def test_publishing_twice_keeps_both_revisions_with_one_content_hash(synthetic_warehouse):
    first = publish_week(synthetic_warehouse, "2026-W47")
    second = publish_week(synthetic_warehouse, "2026-W47")
    assert (first.name, second.name) == ("rev=001", "rev=002")
    revisions = board_revisions(synthetic_warehouse, "2026-W47")
    assert [revision.revision for revision in revisions] == [1, 2]
    assert revisions[0].content_hash == revisions[1].content_hash


def test_late_data_makes_a_new_revision_with_another_hash(synthetic_warehouse):
    first = publish_week(synthetic_warehouse, "2026-W47")
    before = (first / "index.html").read_bytes()
    late = SyntheticSpec(
        count_cameras=2, count_weeks=1, first_monday="2026-11-16", clip_hours=(12,), seed=7
    )
    write_synthetic_warehouse(synthetic_warehouse, late)
    second = publish_week(synthetic_warehouse, "2026-W47")
    first_hash, second_hash = (
        json.loads((folder / "manifest.json").read_text())["content_hash"]
        for folder in (first, second)
    )
    assert first_hash != second_hash
    assert (first / "index.html").read_bytes() == before  # the earlier revision is untouched


def test_the_default_week_is_the_last_complete_one(synthetic_warehouse):
    folder = publish_week(synthetic_warehouse)
    assert folder.parent.name == f"week={last_complete_week('Asia/Shanghai')}"


def test_counting_only_confirmed_events_is_stated_and_applied(synthetic_warehouse):
    folder = publish_week(synthetic_warehouse, "2026-W47", BoardConfig(count_only_confirmed=True))
    assert "仅计入经人工审核确认的违法事件" in (folder / "index.html").read_text(encoding="utf-8")
    board = json.loads((folder / "board.json").read_text(encoding="utf-8"))
    assert board["count_only_confirmed"] is True
    assert board["rankings"] == []  # nothing has been reviewed, so no violation counts
