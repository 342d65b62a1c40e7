"""Publishing a week's board from a (synthetic) warehouse: files, refusals, revisions, privacy."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest
from PIL import Image

from analytics.board.config import BoardConfig
from analytics.board.publish import PublishRefused, publish_week
from analytics.board.revisions import board_revisions
from analytics.board.weeks import last_complete_week
from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse
from analytics.warehouse import connect

FILES = {
    "index.html",
    "analysis.html",
    "board.md",
    "board.json",
    "entries.csv",
    "entries.parquet",
    "wechat.png",
    "manifest.json",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def published(synthetic_warehouse_template, tmp_path_factory):
    """The 2026-W47 board of a copy of the synthetic warehouse, published once."""
    root = tmp_path_factory.mktemp("published") / "warehouse"
    shutil.copytree(synthetic_warehouse_template, root)
    return root, publish_week(root, "2026-W47").folder


def test_a_board_is_pages_tables_charts_and_a_long_image(published):
    _, folder = published
    assert (folder.parent.name, folder.name) == ("week=2026-W47", "rev=001")
    assert {path.name for path in folder.iterdir()} == FILES
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.count('<svg class="chart"') == 2  # the city trend of each rule
    image = folder / "wechat.png"
    assert image.read_bytes()[:8] == PNG_SIGNATURE
    with Image.open(image) as drawn:
        assert drawn.width == 1080 and drawn.height > 1500


def test_the_public_page_speaks_plain_chinese_and_states_what_it_counts(published):
    text = (published[1] / "index.html").read_text(encoding="utf-8")
    assert "2026年11月16日—22日" in text
    assert "本榜统计已确认和待审核的违法" in text and "已由民警审核 0 起" in text
    assert "合成数据" in text
    for jargon in ("2026-W47", "Asia/Shanghai", "docs/board.md", "暴露", "估计值", "syn-"):
        assert jargon not in text, jargon


def test_the_analysts_page_has_the_method_and_the_hash(published):
    _, folder = published
    text = (folder / "analysis.html").read_text(encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "经验贝叶斯" in text and manifest["content_hash"] in text
    assert manifest["config"]["min_exposures"] == 200


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


def test_three_intersections_make_one_ranked_list(published):
    root, folder = published
    entries = (
        connect(root)
        .execute(
            f"select board_week, revision, list_name, count(*) from '{folder}/entries.parquet' "
            "where entity_kind = 'intersection' group by all order by all"
        )
        .fetchall()
    )
    # Three intersections per rule, fewer than six: one table of all of them per rule.
    assert entries == [("2026-W47", 1, "ranked", 6)]


def test_publishing_unchanged_figures_again_writes_nothing(synthetic_warehouse):
    first = publish_week(synthetic_warehouse, "2026-W47")
    again = publish_week(synthetic_warehouse, "2026-W47")
    assert (first.revision, first.unchanged) == (1, False)
    assert (again.folder, again.revision, again.unchanged) == (first.folder, 1, True)
    assert [revision.revision for revision in board_revisions(synthetic_warehouse)] == [1]


def test_late_data_makes_a_new_revision_with_another_hash(synthetic_warehouse):
    first = publish_week(synthetic_warehouse, "2026-W47").folder
    before = (first / "index.html").read_bytes()
    late = SyntheticSpec(
        count_cameras=2, count_weeks=1, first_monday="2026-11-16", clip_hours=(12,), seed=7
    )
    write_synthetic_warehouse(synthetic_warehouse, late)
    second = publish_week(synthetic_warehouse, "2026-W47")
    first_hash, second_hash = (
        json.loads((folder / "manifest.json").read_text())["content_hash"]
        for folder in (first, second.folder)
    )
    assert (second.revision, second.unchanged) == (2, False)
    assert first_hash != second_hash
    assert (first / "index.html").read_bytes() == before  # the earlier revision is untouched


def test_a_republish_without_a_config_keeps_the_previous_revisions(synthetic_warehouse):
    config = BoardConfig(top_n=1, issuer="示例交通管理部门", contact="举报电话 122")
    first = publish_week(synthetic_warehouse, "2026-W47", config)
    again = publish_week(synthetic_warehouse, "2026-W47")
    assert again.unchanged and again.revision == first.revision
    page = (first.folder / "index.html").read_text(encoding="utf-8")
    assert "示例交通管理部门" in page and "举报电话 122" in page


@pytest.mark.parametrize(
    ("week", "config", "reason"),
    [
        ("2027-W10", BoardConfig(), "future_week"),
        ("2026-W49", BoardConfig(), "week_not_over"),
        ("2020-W47", BoardConfig(), "no_clips"),
        ("2026-W47", BoardConfig(min_camera_hours=100.0), "below_coverage"),
    ],
)
def test_nonsense_is_refused_unless_forced(synthetic_warehouse, week, config, reason):
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)  # a Friday: week 2026-W49 is not over
    with pytest.raises(PublishRefused) as refused:
        publish_week(synthetic_warehouse, week, config, now=now)
    assert refused.value.reason == reason
    assert "不能发布榜单" in str(refused.value) and "--force" in str(refused.value)
    assert board_revisions(synthetic_warehouse) == []
    forced = publish_week(synthetic_warehouse, week, config, force=True, now=now)
    assert (forced.revision, forced.unchanged) == (1, False)


def test_the_default_week_is_the_last_complete_one(synthetic_warehouse):
    outcome = publish_week(synthetic_warehouse, force=True)
    assert outcome.folder.parent.name == f"week={last_complete_week('Asia/Shanghai')}"


def test_counting_only_confirmed_events_is_stated_and_applied(synthetic_warehouse):
    config = BoardConfig(count_only_confirmed=True)
    folder = publish_week(synthetic_warehouse, "2026-W47", config).folder
    assert "本榜只统计审核确认的违法" in (folder / "index.html").read_text(encoding="utf-8")
    board = json.loads((folder / "board.json").read_text(encoding="utf-8"))
    assert board["count_only_confirmed"] is True
    assert board["rankings"] == []  # nothing has been reviewed, so no violation counts


def test_a_campaign_whose_before_window_starts_on_29_february(synthetic_warehouse):
    from analytics.board.data import campaign_figures

    # After: 2028-03-10..03-19 (10 days, the week 2028-W11); before: 02-29..03-09, whose date a
    # year earlier does not exist. The warehouse holds no 2028 data: no figure, and no crash.
    config = BoardConfig(campaign_start="2028-03-10")
    assert campaign_figures(synthetic_warehouse, "2028-W11", config) == []


def test_a_logo_is_copied_into_the_revision(synthetic_warehouse, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (64, 64), "#c8102e").save(logo)
    folder = publish_week(synthetic_warehouse, "2026-W47", BoardConfig(logo=logo)).folder
    assert (folder / "logo.png").read_bytes() == logo.read_bytes()
    assert 'src="logo.png"' in (folder / "index.html").read_text(encoding="utf-8")
