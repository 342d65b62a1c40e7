"""Publishing from the pipeline on the board's terms: ``publish_week``'s answers (a revision,
nothing changed, a refusal) are scripted, and the outcome is kept per week."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analytics.board import publish as board_publish
from analytics.board.publish import PublishOutcome, PublishRefused
from orchestration.boards import EXPECTED_REFUSALS, last_outcome, publish_board

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture
def answers(monkeypatch):
    """Set ``answers.next`` to what publish_week returns or raises; calls are kept."""

    class Answers:
        next: object = None
        calls: list = []

        def publish_week(self, root, week, config, force=False, count_clips_pending=0):
            self.calls.append({"week": week, "force": force, "pending": count_clips_pending})
            if isinstance(self.next, Exception):
                raise self.next
            return self.next

    scripted = Answers()
    monkeypatch.setattr(board_publish, "publish_week", scripted.publish_week)
    return scripted


def test_a_published_revision_is_kept_as_the_weeks_outcome(answers, locations):
    answers.next = PublishOutcome(Path("/wh/boards/week=2026-W47/rev=002"), 2, False)

    outcome = publish_board(locations, "2026-W47", None, count_clips_pending=3, now=NOW)

    assert outcome == {
        "week": "2026-W47",
        "forced": False,
        "status": "published",
        "revision": 2,
        "folder": "/wh/boards/week=2026-W47/rev=002",
        "count_clips_pending": 3,
        "at": NOW.isoformat(),
    }
    assert last_outcome(locations, "2026-W47") == outcome
    assert answers.calls == [{"week": "2026-W47", "force": False, "pending": 3}]


def test_nothing_changed_is_reported_as_unchanged(answers, locations):
    answers.next = PublishOutcome(Path("/wh/boards/week=2026-W47/rev=001"), 1, True)

    assert publish_board(locations, "2026-W47", None)["status"] == "unchanged"


@pytest.mark.parametrize("reason", ["future_week", "week_not_over", "no_clips", "below_coverage"])
def test_a_refusal_is_an_outcome_with_its_reason(answers, locations, reason):
    answers.next = PublishRefused(reason, "第 2026-W47 周 ...", "week 2026-W47 ...")

    outcome = publish_board(locations, "2026-W47", None, force=False)

    assert (outcome["status"], outcome["reason"]) == ("refused", reason)
    assert outcome["message"].startswith("第 2026-W47 周")
    assert (reason in EXPECTED_REFUSALS) == (reason != "below_coverage")


def test_forcing_is_passed_on(answers, locations):
    answers.next = PublishOutcome(Path("/x"), 3, False)

    assert publish_board(locations, "2026-W47", None, force=True)["forced"] is True
    assert answers.calls[-1]["force"] is True
