"""weekly_board across a timezone boundary: a run at Sunday 23:30 UTC (Monday 07:30 in
Shanghai) publishes 2026-W47, the week that just ended in the board's timezone; a second run
finds nothing changed and writes no revision; a week in the future is refused, not published."""

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

    assert sorted(p.name for p in boards.glob("week=*")) == [
        "week=2026-W47"
    ]  # nothing for 2099-W01
    assert sorted(p.name for p in (boards / "week=2026-W47").glob("rev=*")) == ["rev=001"]
    board = json.loads((boards / "week=2026-W47" / "rev=001" / "board.json").read_text())
    assert board["coverage"]["count_clips_pending"] == 0  # every clip of the week was analysed


def test_a_second_run_writes_no_revision_when_nothing_changed(pipeline):
    run = pipeline.runs["weekly_again"]
    outcome = json.loads((pipeline.data / "operations" / "boards" / "2026-W47.json").read_text())

    assert run.state == "success"
    assert run.tasks[("publish", -1)] == "success"
    assert (outcome["status"], outcome["revision"]) == ("unchanged", 1)


def test_a_week_not_over_is_refused_and_the_run_skips_publishing(pipeline):
    run = pipeline.runs["weekly_future"]
    outcome = json.loads((pipeline.data / "operations" / "boards" / "2099-W01.json").read_text())

    assert run.state == "success"
    assert run.tasks[("publish", -1)] == "skipped"
    assert outcome["status"] == "refused"
    assert outcome["reason"] in {"future_week", "week_not_over"}
