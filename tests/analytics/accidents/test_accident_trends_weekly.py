"""accident_trends_weekly on a hand-made set: weekly counts of all accidents are

    2025-W10: 2   2025-W11: 0   2025-W12: 4   (then nothing until)
    2026-W10: 3   2026-W11: 1   2026-W12: 4

in Asia/Shanghai; one of the 2026-W10 accidents happened at 00:30 on Monday 2 March local time,
which is still Sunday (2026-W09) in UTC.
"""

import pytest

RECORDS = [
    ("2025-03-03T09:00+08:00", {"is_courier_involved": True, "severity": "minor_injury"}),
    ("2025-03-09T23:59+08:00", {}),
    ("2025-03-17T08:00+08:00", {}),
    ("2025-03-18T08:00+08:00", {}),
    ("2025-03-19T08:00+08:00", {}),
    ("2025-03-23T22:00+08:00", {}),
    ("2026-03-01T16:30+00:00", {}),
    (
        "2026-03-04T12:00+08:00",
        {"is_courier_involved": True, "severity": "fatal", "count_deaths": 1, "count_injuries": 2},
    ),
    ("2026-03-08T12:00+08:00", {}),
    ("2026-03-10T12:00+08:00", {}),
    ("2026-03-16T12:00+08:00", {}),
    ("2026-03-17T12:00+08:00", {}),
    ("2026-03-18T12:00+08:00", {}),
    ("2026-03-22T12:00+08:00", {}),
]
COLUMNS = (
    "count_accidents, count_accidents_prev_week, change_wow_count, change_wow_pct, "
    "count_accidents_last_year, change_yoy_count, change_yoy_pct, "
    "rolling_4w_mean_count, rolling_13w_mean_count"
)


@pytest.fixture
def con(accident_db):
    return accident_db(RECORDS)


def figures(con, week: str, segment: str = "all") -> tuple:
    query = f"select {COLUMNS} from accident_trends_weekly where week = ? and segment = ?"
    return con.execute(query, [week, segment]).fetchone()


def test_every_week_and_segment_is_listed_with_zeros(con):
    weeks, rows, fatal = con.execute(
        "select count(distinct week), count(*), sum(count_accidents) filter (segment = 'fatal') "
        "from accident_trends_weekly"
    ).fetchone()
    # 2025-W10 .. 2025-W52 is 43 weeks, 2026-W01 .. 2026-W12 another 12; 10 segments each.
    assert (weeks, rows, fatal) == (55, 55 * 10, 1)


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        ("2025-W10", (2, None, None, None, None, None, None, None, None)),
        ("2025-W11", (0, 2, -2, -100.0, None, None, None, None, None)),
        ("2025-W12", (4, 0, 4, None, None, None, None, None, None)),
        ("2025-W13", (0, 4, -4, -100.0, None, None, None, 1.5, None)),
        ("2025-W22", (0, 0, 0, None, None, None, None, 0.0, pytest.approx(6 / 13))),
        ("2026-W10", (3, 0, 3, None, 2, 1, 50.0, 0.75, pytest.approx(3 / 13))),
        ("2026-W11", (1, 3, -2, pytest.approx(-200 / 3), 0, 1, None, 1.0, pytest.approx(4 / 13))),
        ("2026-W12", (4, 1, 3, 300.0, 4, 0, 0.0, 2.0, pytest.approx(8 / 13))),
    ],
)
def test_week_over_week_year_over_year_and_rolling_means(con, week, expected):
    assert figures(con, week) == expected


def test_rolling_means_wait_for_a_full_window(con):
    assert figures(con, "2025-W12")[7] is None
    assert figures(con, "2025-W21")[8] is None


def test_segments_count_their_own_accidents(con):
    assert figures(con, "2026-W10", "courier")[:7] == (1, 0, 1, None, 1, 0, 0.0)
    deaths = con.execute(
        "select segment, count_accidents, count_deaths, count_injuries from accident_trends_weekly "
        "where week = '2026-W10' and segment in ('all', 'fatal', 'property_damage') "
        "order by display_order"
    ).fetchall()
    assert deaths == [("all", 3, 1, 2), ("property_damage", 2, 0, 0), ("fatal", 1, 1, 2)]


def test_weeks_follow_each_records_own_zone_not_the_board_variable(con, accident_db):
    con.execute("set variable board_timezone = 'UTC'")
    counts = con.execute(
        "select week, count_accidents from accident_trends_weekly "
        "where segment = 'all' and week in ('2026-W09', '2026-W10') order by week"
    ).fetchall()
    assert counts == [("2026-W09", 0), ("2026-W10", 3)]
    # 20:00 on Sunday 1 March in New York is Monday 09:00 in Shanghai: still New York's W09.
    mixed = accident_db(
        [
            ("2026-03-01T20:00-05:00", {"timezone": "America/New_York"}),
            ("2026-03-02T09:00+08:00", {}),
        ]
    )
    counts = mixed.execute(
        "select week, count_accidents from accident_trends_weekly where segment = 'all' "
        "order by week"
    ).fetchall()
    assert counts == [("2026-W09", 1), ("2026-W10", 1)]


def test_partial_weeks_and_placeholder_times_are_flagged(accident_db):
    con = accident_db(
        [
            ("2026-03-04T12:00+08:00", {}),  # Wednesday of W10: the data start mid-week
            ("2026-03-09T00:00+08:00", {"is_time_placeholder": True}),
            ("2026-03-22T12:00+08:00", {}),  # Sunday of W12: the last week is whole
        ]
    )
    flags = con.execute(
        "select week, is_partial, count_placeholder_time_accidents from accident_trends_weekly "
        "where segment = 'all' order by week"
    ).fetchall()
    assert flags == [("2026-W10", True, 0), ("2026-W11", False, 1), ("2026-W12", False, 0)]


def test_an_empty_warehouse_has_no_weeks(accident_db):
    assert accident_db([]).execute("select count(*) from accident_trends_weekly").fetchone() == (0,)
