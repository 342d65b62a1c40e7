"""intersection_accident_correlation on hand-made weeks. Accidents span 2026-W10..W12; at x-1
there are none in W10, one (a pedestrian) in W11 and two in W12 (one a non-motor vehicle)."""

from datetime import date

import pytest

RECORDS = [
    ("2026-03-03T12:00+08:00", {"intersection_id": "x-2"}),
    ("2026-03-10T12:00+08:00", {"is_pedestrian_involved": True}),
    ("2026-03-17T12:00+08:00", {"is_non_motor_involved": True}),
    ("2026-03-18T12:00+08:00", {}),
    ("2026-03-18T13:00+08:00", {"intersection_id": None}),  # no intersection: not placed
]
MONDAYS = {10: date(2026, 3, 2), 11: date(2026, 3, 9), 12: date(2026, 3, 16), 13: date(2026, 3, 23)}


def counts(entity_id, rule, week, violations, exposures, kind="intersection"):
    return {
        "week_start_date": MONDAYS[week],
        "entity_kind": kind,
        "entity_id": entity_id,
        "district": "朝阳区",
        "rule": rule,
        "count_violations": violations,
        "count_exposures": exposures,
    }


RED, WRONG = "pedestrian_red_light", "wrong_way"
WEEKLY_COUNTS = [
    counts("x-1", RED, 10, 10, 100),
    counts("x-1", RED, 11, 20, 100),
    counts("x-1", RED, 12, 30, 100),
    counts("x-1", RED, 13, 40, 100),  # after the accident data end: left out
    counts("x-1", WRONG, 10, 5, 50),
    counts("x-1", WRONG, 11, 5, 50),
    counts("x-1", WRONG, 12, 10, 50),
    counts("x-2", RED, 10, 5, 100),
    counts("x-2", RED, 11, 3, 0),  # no exposure: no rate
    counts("x-2", RED, 12, 7, 100),
    counts("朝阳区", RED, 10, 99, 100, kind="district"),
]


@pytest.fixture
def rows(accident_db):
    con = accident_db(RECORDS, WEEKLY_COUNTS)
    result = con.execute(
        "select intersection_id, rule, count_weeks, count_violations, count_exposures, "
        "rate_per_1000, count_accidents, count_related_accidents, corr_rate_accidents, "
        "corr_rate_related_accidents from intersection_accident_correlation order by 1, 2"
    )
    return {(row[0], row[1]): row[2:] for row in result.fetchall()}


def test_only_intersections_are_correlated(rows):
    assert list(rows) == [("x-1", RED), ("x-1", WRONG), ("x-2", RED)]


def test_rates_rising_with_accidents_correlate_fully(rows):
    # rates .1 .2 .3 against accidents 0 1 2; pedestrian accidents 0 1 0 do not move with them.
    assert rows[("x-1", RED)] == (3, 60, 300, 200.0, 3, 1, pytest.approx(1.0), pytest.approx(0.0))


def test_wrong_way_relates_to_non_motor_accidents(rows):
    # rates .1 .1 .2 against accidents 0 1 2 (r = sqrt(3)/2) and non-motor accidents 0 0 1 (r = 1).
    assert rows[("x-1", WRONG)][-2:] == (pytest.approx(3**0.5 / 2), pytest.approx(1.0))


def test_too_few_weeks_give_no_correlation(rows):
    assert rows[("x-2", RED)] == (2, 12, 200, 60.0, 1, 0, None, None)
