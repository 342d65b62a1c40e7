from datetime import date

import pytest

from analytics.accidents.trends import accident_trends
from detectors.config.errors import InputError

RECORDS = [
    ("2025-03-18T12:00+08:00", {}),  # 2025-W12
    ("2026-03-04T12:00+08:00", {}),  # 2026-W10
    ("2026-03-10T12:00+08:00", {"is_courier_involved": True}),  # W11
    ("2026-03-17T12:00+08:00", {}),  # W12
    ("2026-03-18T12:00+08:00", {"is_synthetic": True}),  # W12
]


@pytest.fixture
def con(accident_db):
    return accident_db(RECORDS)


def test_the_weeks_figures_and_the_weeks_before(con):
    trends = accident_trends(con, "2026-W12", count_periods=3)
    assert trends.period == "week"
    assert [(row.period, row.segment) for row in trends.periods[:2]] == [
        ("2026-W10", "all"),
        ("2026-W10", "pedestrian"),
    ]
    assert len(trends.periods) == 3 * 10 and len(trends.this_period) == 10
    everything = trends.this_period[0]
    assert (everything.period, everything.segment, everything.count_accidents) == (
        "2026-W12",
        "all",
        2,
    )
    assert (everything.count_accidents_prev_period, everything.change_prev_pct) == (1, 100.0)
    assert (everything.count_accidents_last_year, everything.change_yoy_pct) == (1, 100.0)
    assert (trends.campaign, trends.before_after, trends.is_synthetic) == (None, [], True)


def test_by_month_the_last_whole_month_by_the_weeks_sunday(con):
    # 2026-W12 ends on Sunday 22 March: March is not over, so February is the last whole month.
    trends = accident_trends(con, "2026-W12", count_periods=13, period="month")
    assert trends.period == "month"
    assert {row.period for row in trends.this_period} == {"2026-02"}
    months = sorted({row.period for row in trends.periods})
    assert months == ["2025-03", *[f"2025-{m:02d}" for m in range(4, 13)], "2026-01", "2026-02"]
    march = [row for row in trends.periods if row.period == "2025-03" and row.segment == "all"]
    assert (march[0].count_accidents, march[0].is_partial) == (1, True)
    # 2026-W13 ends on 29 March, W14 on Sunday 5 April: March is then whole.
    later = accident_trends(con, "2026-W14", period="month")
    assert {row.period for row in later.this_period} == {"2026-03"}


def test_the_campaign_windows_end_on_the_weeks_sunday(con):
    trends = accident_trends(con, "2026-W12", campaign_start=date(2026, 3, 10))
    campaign = trends.campaign
    # 13 days: after 03-10..03-22 (3 accidents), before 02-25..03-09 (1), a year earlier (1).
    assert (campaign.window_days, campaign.before_from_date, campaign.after_to_date) == (
        13,
        date(2026, 2, 25),
        date(2026, 3, 22),
    )
    assert not campaign.is_after_covered  # the data end on 03-18
    everything, courier = trends.before_after[0], trends.before_after[3]
    assert (everything.count_before, everything.count_after, everything.count_last_year) == (
        1,
        3,
        1,
    )
    assert (everything.change_pct, everything.change_yoy_pct) == (200.0, 200.0)
    assert (courier.segment, courier.count_after, courier.change_pct) == ("courier", 1, None)


def test_a_week_before_the_data_has_no_rows(con):
    trends = accident_trends(con, "2024-W10")
    assert (trends.this_period, trends.periods, trends.is_synthetic) == ([], [], False)


def test_a_malformed_week_is_an_input_error(con):
    with pytest.raises(InputError, match="write it as YYYY-Www"):
        accident_trends(con, "2026-12")
