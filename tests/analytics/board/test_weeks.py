"""ISO weeks in the board's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from analytics.board.weeks import last_complete_week, week_monday, weeks_up_to
from detectors.config.errors import InputError


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Monday 2026-11-23 00:30 in Shanghai (Sunday 16:30 UTC): week 47 has just ended.
        (datetime(2026, 11, 22, 16, 30, tzinfo=UTC), "2026-W47"),
        # Sunday 2026-11-22 23:30 in Shanghai: week 47 is still running, so week 46.
        (datetime(2026, 11, 22, 15, 30, tzinfo=UTC), "2026-W46"),
        # Across the year: Monday 2027-01-04 is in 2027-W01, so the last complete week is 2026-W53.
        (datetime(2027, 1, 4, 1, 0, tzinfo=UTC), "2026-W53"),
    ],
)
def test_last_complete_week_in_shanghai(now, expected):
    assert last_complete_week("Asia/Shanghai", now) == expected


def test_last_complete_week_depends_on_the_timezone():
    now = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # Sunday in UTC, Monday in Shanghai
    assert last_complete_week("UTC", now) == "2026-W46"


def test_weeks_up_to_crosses_the_year():
    assert weeks_up_to("2027-W02", 4) == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]


def test_week_monday():
    assert week_monday("2026-W47") == date(2026, 11, 16)


@pytest.mark.parametrize("text", ["2026-47", "2026-W54", "2025-W53", "last week"])
def test_a_malformed_week_names_the_expected_form(text):
    with pytest.raises(InputError, match="YYYY-Www"):
        week_monday(text)
