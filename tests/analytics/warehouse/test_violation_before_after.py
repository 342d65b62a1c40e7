"""violation_before_after: the campaign figures of the seeds ("courier wrong-way riding -75%")."""

import pytest

from analytics.warehouse import connect, load_clip

LANE = {"zone_kind": "lane", "road_user": "two_wheeler", "zone_id": "nb"}


def clip(make_clip_outputs, name, day, couriers_wrong, others_wrong, courier_passes, other_passes):
    """A clip at 10:00 Beijing time on ``day`` with that many wrong-way events and passages."""
    events = [
        {"rule": "wrong_way", "t_s": 1.0 + i, "courier_platform": "meituan"}
        for i in range(couriers_wrong)
    ]
    events += [{"rule": "wrong_way", "t_s": 50.0 + i} for i in range(others_wrong)]
    passages = [{**LANE, "entered_s": 1.0, "courier_platform": "meituan"}] * courier_passes
    passages += [{**LANE, "entered_s": 2.0}] * other_passes
    return make_clip_outputs(
        name,
        clip_id=name.ljust(16, "0"),
        started_at=f"{day}T02:00:00+00:00",
        events=events,
        passages=passages,
    )


@pytest.fixture
def campaign(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    # Campaign from 2026-06-01 to 2026-06-10 (10 days): before = 05-22..05-31, last year
    # = 2025-06-01..06-10. Couriers: 8 of 200 passes before, 2 of 200 after, 4 of 100 last year.
    load_clip(root, clip(make_clip_outputs, "a", "2026-05-25", 8, 1, 200, 100))
    load_clip(root, clip(make_clip_outputs, "b", "2026-06-05", 2, 1, 200, 100))
    load_clip(root, clip(make_clip_outputs, "c", "2025-06-03", 4, 0, 100, 100))
    load_clip(root, clip(make_clip_outputs, "d", "2026-05-01", 50, 0, 50, 0))  # outside
    con = connect(root)
    con.execute("set variable campaign_start = date '2026-06-01'")
    con.execute("set variable campaign_end = date '2026-06-10'")
    return con


def figures(con, segment):
    return con.sql(
        "select window_days, before_from_date::varchar, count_violations_before, "
        "count_exposures_before, count_violations_after, count_exposures_after, "
        "count_violations_last_year, round(change_count_pct, 1), round(change_rate_pct, 1), "
        "round(change_rate_yoy_pct, 1) from violation_before_after "
        f"where rule = 'wrong_way' and segment = '{segment}'"
    ).fetchall()


def test_courier_wrong_way_riding_before_and_after(campaign):
    # rates: before 8/200 = 40 per 1000, after 2/200 = 10, last year 4/100 = 40
    assert figures(campaign, "courier") == [
        (10, "2026-05-22", 8, 200, 2, 200, 4, -75.0, -75.0, -75.0)
    ]


def test_all_wrong_way_riding_before_and_after(campaign):
    # before 9/300 = 30 per 1000, after 3/300 = 10; last year 4/200 = 20
    assert figures(campaign, "all") == [(10, "2026-05-22", 9, 300, 3, 300, 4, -66.7, -66.7, -50.0)]


def test_no_campaign_no_rows(tmp_path, make_clip_outputs):
    load_clip(tmp_path / "wh", clip(make_clip_outputs, "a", "2026-05-25", 1, 1, 10, 10))
    assert connect(tmp_path / "wh").sql("select * from violation_before_after").fetchall() == []
