"""accident_trends_monthly on a hand-made set: 6 accidents in March 2025, none until March 2026,
8 in March 2026 (Asia/Shanghai); one of those happened at 00:30 on 1 March local time, which is
still February in UTC."""

import pytest

MARCH_2025 = ["2025-03-03", "2025-03-09", "2025-03-17", "2025-03-18", "2025-03-19", "2025-03-31"]
MARCH_2026 = ["2026-03-04", "2026-03-08", "2026-03-10", "2026-03-16", "2026-03-17", "2026-03-31"]
RECORDS = [
    *[(f"{day}T12:00+08:00", {}) for day in MARCH_2025 + MARCH_2026],
    ("2026-02-28T16:30+00:00", {}),
    ("2026-03-20T12:00+08:00", {"severity": "fatal", "count_deaths": 2}),
]
COLUMNS = (
    "count_accidents, count_accidents_prev_month, change_mom_count, change_mom_pct, "
    "count_accidents_last_year, change_yoy_count, change_yoy_pct, "
    "rolling_3m_mean_count, rolling_12m_mean_count"
)


@pytest.fixture
def con(accident_db):
    return accident_db(RECORDS)


def figures(con, month: str, segment: str = "all") -> tuple:
    query = f"select {COLUMNS} from accident_trends_monthly where month = ? and segment = ?"
    return con.execute(query, [month, segment]).fetchone()


def test_every_month_and_segment_is_listed(con):
    months, rows = con.execute(
        "select count(distinct month), count(*) from accident_trends_monthly"
    ).fetchone()
    assert (months, rows) == (13, 13 * 10)


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2025-03", (6, None, None, None, None, None, None, None, None)),
        ("2025-04", (0, 6, -6, -100.0, None, None, None, None, None)),
        ("2025-05", (0, 0, 0, None, None, None, None, 2.0, None)),
        ("2026-02", (0, 0, 0, None, None, None, None, 0.0, 0.5)),
        ("2026-03", (8, 0, 8, None, 6, 2, pytest.approx(100 / 3), pytest.approx(8 / 3), 8 / 12)),
    ],
)
def test_month_over_month_year_over_year_and_rolling_means(con, month, expected):
    assert figures(con, month) == expected


def test_months_follow_each_records_own_zone_not_the_board_variable(con):
    con.execute("set variable board_timezone = 'UTC'")
    assert figures(con, "2026-02")[0] == 0 and figures(con, "2026-03")[0] == 8


def test_partial_months_are_flagged_and_so_is_a_comparison_with_one(con):
    # The data run from 2025-03-03 to 2026-03-31: March 2025 lacks its first two days.
    flags = con.execute(
        "select month, is_partial, is_last_year_partial from accident_trends_monthly "
        "where segment = 'all' and month in ('2025-03', '2025-04', '2026-03') order by month"
    ).fetchall()
    assert flags == [("2025-03", True, False), ("2025-04", False, False), ("2026-03", False, True)]


def test_deaths_are_summed_per_segment(con):
    assert con.execute(
        "select count_accidents, count_deaths from accident_trends_monthly "
        "where month = '2026-03' and segment = 'fatal'"
    ).fetchone() == (1, 2)
