"""accident_area_trends on a hand-made set from two sources: 'police' (Asia/Shanghai, March and
April 2025 and 2026) and 'nyc' (America/New_York, April 2026 only)."""

import pytest

NYC = {"source_name": "nyc", "timezone": "America/New_York", "district": "BROOKLYN"}
RECORDS = [
    ("2025-03-01T10:00+08:00", {"district": "朝阳区"}),
    ("2025-04-02T10:00+08:00", {"district": "朝阳区", "severity": "fatal", "count_deaths": 1}),
    ("2025-04-30T10:00+08:00", {"district": "东城区", "is_pedestrian_involved": True}),
    ("2026-03-03T10:00+08:00", {"district": "朝阳区"}),
    ("2026-04-01T10:00+08:00", {"district": "朝阳区", "is_time_placeholder": True}),
    ("2026-04-20T10:00+08:00", {"district": "朝阳区"}),
    ("2026-04-30T10:00+08:00", {"district": None}),
    ("2026-04-10T12:00-04:00", NYC | {"zip_code": "11201", "intersection_id": None}),
    (
        "2026-04-11T12:00-04:00",
        NYC
        | {
            "zip_code": "11201",
            "intersection_id": None,
            "location_text": "ATLANTIC AVENUE & BROADWAY",
            "location_kind": "intersection",
        },
    ),
]
COLUMNS = (
    "count_accidents, count_accidents_prev_period, change_prev_pct, "
    "count_accidents_last_year, change_yoy_pct, is_partial, is_last_year_partial"
)


@pytest.fixture
def con(accident_db):
    return accident_db(RECORDS)


def figures(con, source, kind, area, period, period_kind="month"):
    return con.execute(
        f"select {COLUMNS} from accident_area_trends where source_name = ? and area_kind = ? "
        "and area = ? and period = ? and period_kind = ?",
        [source, kind, area, period, period_kind],
    ).fetchone()


def test_districts_of_a_source_month_over_month_and_year_over_year(con):
    # 朝阳区: 2025-03 1, 2025-04 1, 2026-03 1, 2026-04 2. The police data run from 2025-03-01
    # to 2026-04-30, so every month is whole.
    assert figures(con, "police", "district", "朝阳区", "2026-04") == (
        2,
        1,
        100.0,
        1,
        100.0,
        False,
        False,
    )
    # 东城区 had an accident in April 2025 only: March 2025 is covered, so its count is 0.
    assert figures(con, "police", "district", "东城区", "2025-04") == (
        1,
        0,
        None,
        None,
        None,
        False,
        False,
    )
    assert figures(con, "police", "district", "东城区", "2026-04") is None  # no accident, no row


def test_the_source_as_a_whole_and_other_sources_apart(con):
    assert figures(con, "police", "source", "police", "2026-04")[:4] == (3, 1, 200.0, 2)
    # New York's data cover 10 and 11 April only: April is partial, March not covered at all.
    assert figures(con, "nyc", "source", "nyc", "2026-04") == (
        2,
        None,
        None,
        None,
        None,
        True,
        False,
    )
    assert figures(con, "nyc", "zip_code", "11201", "2026-W15", "week")[0] == 2


def test_intersections_from_ids_or_two_street_names(con):
    areas = con.execute(
        "select source_name, area, sum(count_accidents) from accident_area_trends "
        "where area_kind = 'intersection' and period_kind = 'month' group by all order by all"
    ).fetchall()
    assert areas == [("nyc", "ATLANTIC AVENUE & BROADWAY", 1), ("police", "x-1", 7)]


def test_segment_columns_and_placeholder_times(con):
    counts = con.execute(
        "select period, count_fatal_accidents, count_pedestrian_accidents, "
        "count_placeholder_time_accidents from accident_area_trends "
        "where area_kind = 'source' and source_name = 'police' and period_kind = 'month' "
        "and period in ('2025-04', '2026-04') order by period"
    ).fetchall()
    assert counts == [("2025-04", 1, 1, 0), ("2026-04", 0, 0, 1)]


def test_the_trend_marts_take_their_partial_periods_from_every_source(con):
    # One definition (int_accident_periods): police's April 2026 is whole, New York's is not,
    # so April for all sources together is partial, by month and for New York's week too.
    assert figures(con, "police", "source", "police", "2026-04")[5] is False
    monthly = con.execute(
        "select month, is_partial, is_last_year_partial from accident_trends_monthly "
        "where segment = 'all' and month in ('2026-03', '2026-04') order by month"
    ).fetchall()
    assert monthly == [("2026-03", False, False), ("2026-04", True, False)]
    weekly = con.execute(
        "select is_partial from accident_trends_weekly where segment = 'all' and week = ?",
        ["2026-W15"],
    ).fetchone()
    assert weekly == (True,)
