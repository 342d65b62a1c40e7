"""board_weekly_counts: local ISO weeks, what counts as a violation, the entity kinds."""

from __future__ import annotations

from datetime import UTC, datetime

RED = "pedestrian_red_light"
WRONG = "wrong_way"
COUNTS = (
    "select entity_kind, entity_id, rule, week, count_exposures, count_violations "
    "from board_weekly_counts order by entity_kind, entity_id, rule, week"
)


def test_a_sunday_2330_shanghai_event_falls_in_that_iso_week(board_con, make_violations):
    # Sunday 2026-11-22 23:30 in Asia/Shanghai is 15:30 UTC: still ISO week 47 there.
    # Monday 00:30 Shanghai (16:30 UTC the same Sunday) already belongs to week 48.
    sunday_late = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)
    monday_early = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
    con = board_con(
        violations=[
            *make_violations("A", RED, 1, sunday_late),
            *make_violations("A", RED, 2, monday_early),
        ]
    )
    weeks = con.execute(
        "select week, count_violations from board_weekly_counts "
        "where entity_kind = 'city' order by week"
    ).fetchall()
    assert weeks == [("2026-W47", 1), ("2026-W48", 2)]


def test_the_board_timezone_moves_the_week_boundary(board_con, make_violations):
    # Both moments are on Sunday in UTC, so a board kept in UTC puts them in one week.
    sunday_late = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)
    monday_early = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
    con = board_con(
        violations=[
            *make_violations("A", RED, 1, sunday_late),
            *make_violations("A", RED, 2, monday_early),
        ],
        board_timezone="UTC",
    )
    weeks = con.execute(
        "select week, count_violations from board_weekly_counts where entity_kind = 'city'"
    ).fetchall()
    assert weeks == [("2026-W47", 3)]


def test_rejected_events_never_count_and_pending_ones_only_when_configured(
    board_con, make_violations, week_at
):
    when = week_at(0)
    events = [
        *make_violations("A", RED, 3, when, review_status="confirmed"),
        *make_violations("A", RED, 5, when, review_status="pending"),
        *make_violations("A", RED, 7, when, review_status="rejected"),
    ]
    query = "select count_violations from board_weekly_counts where entity_kind = 'city'"
    assert board_con(violations=events).execute(query).fetchall() == [(8,)]
    only_confirmed = board_con(violations=events, board_count_only_confirmed=True)
    assert only_confirmed.execute(query).fetchall() == [(3,)]


def test_entity_kinds_roll_up_exposures_and_violations(
    board_con, make_violations, make_exposures, week_at
):
    when = week_at(0)
    con = board_con(
        violations=[
            *make_violations("A", WRONG, 2, when, courier_platform="meituan"),
            *make_violations("A", WRONG, 1, when),
            *make_violations("B", WRONG, 4, when, district="D2", courier_platform="meituan"),
            *make_violations("B", RED, 6, when, district="D2"),
        ],
        exposures=[
            make_exposures("A", WRONG, 50, when, courier_platform="meituan"),
            make_exposures("A", WRONG, 150, when),
            make_exposures("B", WRONG, 70, when, district="D2", courier_platform="meituan"),
            make_exposures("B", RED, 300, when, district="D2"),
        ],
    )
    assert con.execute(COUNTS).fetchall() == [
        ("city", "city", RED, "2026-W47", 300, 6),
        ("city", "city", WRONG, "2026-W47", 270, 7),
        ("district", "D1", WRONG, "2026-W47", 200, 3),
        ("district", "D2", RED, "2026-W47", 300, 6),
        ("district", "D2", WRONG, "2026-W47", 70, 4),
        ("intersection", "A", WRONG, "2026-W47", 200, 3),
        ("intersection", "B", RED, "2026-W47", 300, 6),
        ("intersection", "B", WRONG, "2026-W47", 70, 4),
        # Platforms: wrong way only, riders of unknown platform left out.
        ("platform", "meituan", WRONG, "2026-W47", 120, 6),
    ]


def test_events_without_a_wall_clock_time_are_left_out(board_con, make_violations, week_at):
    events = make_violations("A", RED, 2, week_at(0))
    events[0]["occurred_at"] = None
    con = board_con(violations=events)
    assert con.execute(
        "select count_violations from board_weekly_counts where entity_kind = 'city'"
    ).fetchall() == [(1,)]
