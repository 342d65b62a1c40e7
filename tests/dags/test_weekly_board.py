"""weekly_board across a timezone boundary: a run at Sunday 23:30 UTC (Monday 07:30 in
Shanghai) publishes 2026-W47, the week that just ended in the board's timezone."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_the_run_publishes_at_once_since_the_weeks_clips_are_analysed(pipeline):
    run = pipeline.runs["weekly"]

    assert run.state == "success"
    assert run.tasks == {
        ("board_week", -1): "success",
        ("week_processed", -1): "success",
        ("publish", -1): "success",
    }


def test_the_board_of_the_week_that_ended_in_shanghai_is_published(pipeline):
    boards = pipeline.data / "warehouse" / "boards"

    assert sorted(p.name for p in boards.glob("week=*")) == ["week=2026-W47"]
    assert sorted(p.name for p in (boards / "week=2026-W47").glob("rev=*")) == ["rev=001"]
    board = json.loads((boards / "week=2026-W47" / "rev=001" / "board.json").read_text())
    assert board["coverage"]["count_clips_pending"] == 0  # every clip of the week was analysed
