"""accident_before_after on a hand-made set around a campaign starting 2026-03-10 (local days in
Asia/Shanghai). With campaign_end 2026-03-19 the windows are 10 days: before 02-28..03-09,
after 03-10..03-19, last year 2025-03-10..2025-03-19."""

import pytest

COURIER = {"is_courier_involved": True}
RECORDS = [
    ("2025-03-09T23:00+08:00", {}),  # outside last year's window, by one hour
    ("2025-03-10T01:00+08:00", COURIER),
    ("2025-03-12T12:00+08:00", COURIER),
    ("2025-03-15T12:00+08:00", COURIER),
    ("2025-03-19T22:00+08:00", {}),
    ("2025-03-20T12:00+08:00", {}),
    ("2026-02-27T12:00+08:00", {}),
    ("2026-02-28T00:10+08:00", COURIER),
    ("2026-03-05T12:00+08:00", COURIER),
    ("2026-03-09T23:30+08:00", {}),
    ("2026-03-09T16:10+00:00", {}),  # 00:10 on 03-10 in Shanghai: the campaign's first day
    ("2026-03-19T23:59+08:00", COURIER),
    ("2026-03-20T08:00+08:00", {}),
]
COLUMNS = "count_before, count_after, count_last_year, change_pct, change_yoy_pct"


@pytest.fixture
def con(accident_db):
    return accident_db(RECORDS)


def set_campaign(con, start: str, end: str | None = None) -> None:
    con.execute(f"set variable campaign_start = date '{start}'")
    if end:
        con.execute(f"set variable campaign_end = date '{end}'")


def figures(con, segment: str) -> tuple:
    query = f"select {COLUMNS} from accident_before_after where segment = ?"
    return con.execute(query, [segment]).fetchone()


def test_equal_windows_before_and_after_and_the_same_dates_last_year(con):
    set_campaign(con, "2026-03-10", "2026-03-19")
    assert figures(con, "all") == (3, 2, 4, pytest.approx(-100 / 3), -50.0)
    assert figures(con, "courier") == (2, 1, 3, -50.0, pytest.approx(-200 / 3))
    assert figures(con, "pedestrian") == (0, 0, 0, None, None)
    windows = con.execute(
        "select distinct window_days, before_from_date::varchar, before_to_date::varchar, "
        "after_to_date::varchar, last_year_from_date::varchar, last_year_to_date::varchar, "
        "is_before_covered, is_after_covered, is_last_year_covered from accident_before_after"
    ).fetchall()
    assert windows == [
        (10, "2026-02-28", "2026-03-09", "2026-03-19", "2025-03-10", "2025-03-19", True, True, True)
    ]


def test_the_after_window_runs_to_the_last_day_with_data_by_default(con):
    set_campaign(con, "2026-03-10")
    # 11 days: after 03-10..03-20 (3), before 02-27..03-09 (4), last year 03-10..03-20 (5).
    assert figures(con, "all") == (4, 3, 5, -25.0, -40.0)


def test_windows_the_data_do_not_cover_are_flagged(con):
    set_campaign(con, "2026-03-01", "2026-03-31")
    covered = con.execute(
        "select distinct is_before_covered, is_after_covered, is_last_year_covered "
        "from accident_before_after"
    ).fetchall()
    assert covered == [(True, False, False)]


def test_days_are_each_records_own_not_the_board_variables(con):
    set_campaign(con, "2026-03-10", "2026-03-19")
    con.execute("set variable board_timezone = 'UTC'")
    assert figures(con, "all")[:2] == (3, 2)


def test_no_campaign_start_no_rows(con):
    assert con.execute("select count(*) from accident_before_after").fetchone() == (0,)
    set_campaign(con, "2026-03-10", "2026-03-01")  # ends before it starts
    assert con.execute("select count(*) from accident_before_after").fetchone() == (0,)
