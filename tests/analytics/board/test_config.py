"""The board config file."""

from __future__ import annotations

import pytest

from analytics.board.config import EXAMPLE_CONFIG, BoardConfig, load_board_config
from detectors.config.errors import ConfigError


def test_the_example_file_holds_the_defaults():
    assert load_board_config(EXAMPLE_CONFIG) == BoardConfig()


def test_no_file_means_the_defaults():
    assert load_board_config(None).timezone == "Asia/Shanghai"


def test_a_misspelt_field_is_named_with_a_suggestion(tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text("count_only_confirmd: true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean 'count_only_confirmed'"):
        load_board_config(path)


def test_an_unknown_timezone_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text("timezone: Asia/Beijing\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an IANA time zone name"):
        load_board_config(path)


def test_weeks_read_covers_the_longer_of_baseline_and_trend():
    assert BoardConfig(baseline_weeks=4, trend_weeks=8).weeks_read == 8
    assert BoardConfig(baseline_weeks=6, trend_weeks=3).weeks_read == 7
