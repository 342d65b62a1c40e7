"""``civility board publish`` and ``civility board revisions``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from analytics.board.cli import board_app
from civility.terminal import console

runner = CliRunner()


def test_publish_prints_where_the_board_is_and_revisions_lists_it(synthetic_warehouse):
    arguments = ["--week", "2026-W47", "--warehouse", str(synthetic_warehouse), "--json"]
    published = runner.invoke(board_app, ["publish", *arguments])
    assert published.exit_code == 0, published.output
    page = Path(json.loads(published.stdout)["page"])
    assert page.is_file() and page.parent.name == "rev=001"
    listed = runner.invoke(board_app, ["revisions", *arguments])
    assert listed.exit_code == 0, listed.output
    [revision] = json.loads(listed.stdout)["revisions"]
    assert (revision["week"], revision["revision"]) == ("2026-W47", 1)
    assert Path(revision["folder"]) == page.parent


def test_publish_prints_the_page_path_whole(synthetic_warehouse, monkeypatch):
    monkeypatch.setattr(console, "width", 30)
    arguments = ["--week", "2026-W47", "--warehouse", str(synthetic_warehouse)]
    published = runner.invoke(board_app, ["publish", *arguments])
    assert published.exit_code == 0, published.output
    [page] = synthetic_warehouse.glob("boards/week=2026-W47/rev=001/index.html")
    assert f"board published (revision 1): {page}" in published.stdout.splitlines()


def test_a_malformed_week_exits_2_with_the_expected_form(synthetic_warehouse):
    result = runner.invoke(
        board_app, ["publish", "--week", "2026-47", "--warehouse", str(synthetic_warehouse)]
    )
    assert result.exit_code == 2
    assert "YYYY-Www" in result.output


def test_a_bad_config_exits_2_naming_the_file(synthetic_warehouse, tmp_path):
    config = tmp_path / "board.yaml"
    config.write_text("top_n: 0\n", encoding="utf-8")
    result = runner.invoke(
        board_app, ["publish", "--warehouse", str(synthetic_warehouse), "--config", str(config)]
    )
    assert result.exit_code == 2
    assert "board.yaml" in result.output and "top_n" in result.output


def test_a_future_week_exits_non_zero_and_writes_no_revision(synthetic_warehouse):
    arguments = ["--week", "2099-W10", "--warehouse", str(synthetic_warehouse)]
    result = runner.invoke(board_app, ["publish", *arguments])
    assert result.exit_code == 2 and "尚未开始" in result.output
    assert not (synthetic_warehouse / "boards").exists()


def test_withdraw_marks_the_revision_and_revisions_lists_it(synthetic_warehouse):
    arguments = ["--week", "2026-W47", "--warehouse", str(synthetic_warehouse)]
    assert runner.invoke(board_app, ["publish", *arguments]).exit_code == 0
    withdrawn = runner.invoke(
        board_app, ["withdraw", *arguments, "--revision", "1", "--reason", "数据有误", "--json"]
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    assert json.loads(withdrawn.stdout)["current"] is None
    [revision] = json.loads(runner.invoke(board_app, ["revisions", *arguments, "--json"]).stdout)[
        "revisions"
    ]
    assert revision["withdrawn_reason"] == "数据有误"
