"""board_rankings: black and red lists, the minimum exposure, most improved against the baseline,
one ranked list for a kind with few entities, last week's rank."""

from __future__ import annotations

import pytest

RED = "pedestrian_red_light"
LISTS = (
    "select list_name, rank, entity_id from board_rankings "
    "where entity_kind = 'intersection' and week = ? order by list_name, rank"
)


def week_of_rates(make_violations, make_exposures, when, rates: dict[str, tuple[int, int]]):
    """Violations and exposures at ``when`` for {intersection: (exposures, violations)}."""
    violations, exposures = [], []
    for intersection, (count_exposures, count_violations) in rates.items():
        violations += make_violations(intersection, RED, count_violations, when)
        exposures.append(make_exposures(intersection, RED, count_exposures, when))
    return violations, exposures


def test_lists_in_order_without_the_entity_below_minimum_exposure(
    board_con, make_violations, make_exposures, week_at
):
    # Equal exposures, so shrinkage keeps the order of the raw rates. G has the worst rate
    # (66.7 per 1000) but only 150 exposures, below the minimum of 200: it is not ranked. Six
    # ranked entities: each list takes half of them, three; the pooled rate is
    # 220 / 6150 = 35.8 per 1000, so A-C are worse than it and D-F better.
    rates = {
        "A": (1000, 60), "B": (1000, 50), "C": (1000, 40), "D": (1000, 30), "E": (1000, 20),
        "F": (1000, 10), "G": (150, 10),
    }  # fmt: skip
    violations, exposures = week_of_rates(make_violations, make_exposures, week_at(0), rates)
    con = board_con(violations=violations, exposures=exposures)
    assert con.execute(LISTS, ["2026-W47"]).fetchall() == [
        ("black", 1, "A"),
        ("black", 2, "B"),
        ("black", 3, "C"),
        ("red_best", 1, "F"),
        ("red_best", 2, "E"),
        ("red_best", 3, "D"),
    ]


def test_nobody_is_black_listed_when_nobody_breaks_the_rule(
    board_con, make_violations, make_exposures, week_at
):
    rates = {name: (1000, 0) for name in "ABCDEF"}
    violations, exposures = week_of_rates(make_violations, make_exposures, week_at(0), rates)
    con = board_con(violations=violations, exposures=exposures)
    assert con.execute(LISTS, ["2026-W47"]).fetchall() == []


def test_top_n_shortens_the_lists(board_con, make_violations, make_exposures, week_at):
    rates = {name: (1000, 10 * (i + 1)) for i, name in enumerate("ABCDEF")}
    violations, exposures = week_of_rates(make_violations, make_exposures, week_at(0), rates)
    con = board_con(violations=violations, exposures=exposures, board_top_n=1)
    assert con.execute(LISTS, ["2026-W47"]).fetchall() == [("black", 1, "F"), ("red_best", 1, "A")]


def test_a_small_sample_with_the_worst_raw_rate_does_not_top_the_black_list(
    board_con, make_violations, make_exposures, week_at
):
    # (n, x): A (1000, 70), B (1000, 30), C (1000, 20), D (1000, 40), H (200, 16).
    # N = 4200, m = 176/4200 = 0.0419048; S = 9.08/4200 - m^2 = 0.00040590;
    # rho = (S / (m (1 - m)) - 5/4200) / (1 - 5/4200) = (0.0101099 - 0.0011905) / 0.9988095
    #     = 0.0089301; prior strength s = 1/rho - 1 = 110.98.
    # H: (16 + m s) / (200 + s) = 20.651 / 310.98 = 66.41 per 1000 (raw 80);
    # A: (70 + m s) / (1000 + s) = 74.651 / 1110.98 = 67.19 per 1000 (raw 70): A is worst.
    rates = {"A": (1000, 70), "B": (1000, 30), "C": (1000, 20), "D": (1000, 40), "H": (200, 16)}
    violations, exposures = week_of_rates(make_violations, make_exposures, week_at(0), rates)
    con = board_con(violations=violations, exposures=exposures, board_min_listed_entities=1)
    black = con.execute(
        "select entity_id, rate_per_1000, estimated_rate_per_1000 from board_rankings "
        "where list_name = 'black' and entity_kind = 'intersection' order by rank"
    ).fetchall()
    assert [row[0] for row in black] == ["A", "H"]
    assert black[0][2] == pytest.approx(67.19, abs=0.01)
    assert black[1][1:] == pytest.approx((80.0, 66.41), abs=0.01)


def test_most_improved_against_the_previous_four_weeks(
    board_con, make_violations, make_exposures, week_at
):
    # Per week (exposures, violations). P falls from 60 to 20 per 1000, far beyond its standard
    # error (about 6 per 1000); S from 30 to 25, within it, so S is not named most improved.
    # Q falls too but is on the black list; R worsens. T is best this week but had only 100
    # exposures over the baseline weeks (< 200), so its improvement is not ranked. Q's week -5
    # (500 per 1000) lies outside the four baseline weeks: were it counted, Q would lead.
    baseline = {"P": (1000, 60), "Q": (1000, 40), "R": (1000, 20), "S": (1000, 30), "T": (25, 3)}
    this_week = {
        "P": (1000, 20),
        "Q": (1000, 30),
        "R": (1000, 40),
        "S": (1000, 25),
        "T": (1000, 10),
    }
    violations, exposures = week_of_rates(
        make_violations, make_exposures, week_at(-5), {"Q": (1000, 500)}
    )
    for offset in (-4, -3, -2, -1):
        more = week_of_rates(make_violations, make_exposures, week_at(offset), baseline)
        violations, exposures = violations + more[0], exposures + more[1]
    more = week_of_rates(make_violations, make_exposures, week_at(0), this_week)
    con = board_con(
        violations=violations + more[0], exposures=exposures + more[1], board_min_listed_entities=1
    )

    assert con.execute(LISTS, ["2026-W47"]).fetchall() == [
        ("black", 1, "R"),
        ("black", 2, "Q"),
        ("red_best", 1, "T"),
        ("red_best", 2, "P"),
        ("red_improved", 1, "P"),
    ]
    baseline_counts = con.execute(
        "select entity_id, count_baseline_exposures, count_baseline_violations "
        "from board_weekly_rates where entity_kind = 'intersection' and week = '2026-W47' "
        "order by entity_id"
    ).fetchall()
    assert baseline_counts == [
        ("P", 4000, 240),
        ("Q", 4000, 160),
        ("R", 4000, 80),
        ("S", 4000, 120),
        ("T", 100, 12),
    ]


def test_platforms_are_ranked_on_wrong_way_only(
    board_con, make_violations, make_exposures, week_at
):
    when = week_at(0)
    platforms = {"meituan": (1000, 50), "eleme": (1000, 20)}
    violations, exposures = [], []
    for platform, (count_exposures, count_violations) in platforms.items():
        violations += make_violations(
            "A", "wrong_way", count_violations, when, courier_platform=platform
        )
        exposures.append(
            make_exposures("A", "wrong_way", count_exposures, when, courier_platform=platform)
        )
    con = board_con(violations=violations, exposures=exposures)
    # Two platforms, fewer than six: one list of all of them, lowest rate first.
    assert con.execute(
        "select rule, list_name, rank, entity_id from board_rankings "
        "where entity_kind = 'platform' order by rank"
    ).fetchall() == [("wrong_way", "ranked", 1, "eleme"), ("wrong_way", "ranked", 2, "meituan")]


def test_no_red_list_names_an_entity_worse_than_the_city(
    board_con, make_violations, make_exposures, week_at
):
    # With one entry per list, B is not on the black list; it fell from 80 to 45 per 1000, far
    # beyond its uncertainty, yet stays worse than the city's 31 per 1000: not "most improved".
    baseline = {name: (1000, 30) for name in "ACDEF"} | {"B": (1000, 80)}
    this_week = {"A": (1000, 60), "B": (1000, 45), "C": (1000, 30)}
    this_week |= {"D": (1000, 20), "E": (1000, 15), "F": (1000, 15)}
    violations, exposures = [], []
    for offset, rates in [(-4, baseline), (-3, baseline), (-2, baseline), (-1, baseline)]:
        more = week_of_rates(make_violations, make_exposures, week_at(offset), rates)
        violations, exposures = violations + more[0], exposures + more[1]
    more = week_of_rates(make_violations, make_exposures, week_at(0), this_week)
    con = board_con(violations=violations + more[0], exposures=exposures + more[1], board_top_n=1)
    listed = con.execute(
        "select list_name, entity_id, estimated_rate_per_1000 > pooled_rate_per_1000 "
        "from board_rankings where week = '2026-W47' and entity_kind = 'intersection' "
        "order by list_name, rank"
    ).fetchall()
    # E (and F) fell from 30 to 15 per 1000 and are better than the city: most improved.
    assert listed == [("black", "A", True), ("red_best", "E", False), ("red_improved", "E", False)]


def test_last_weeks_rank_is_given_beside_this_weeks(
    board_con, make_violations, make_exposures, week_at
):
    last_week = {"A": (1000, 60), "B": (1000, 50), "C": (1000, 40)}
    last_week |= {"D": (1000, 30), "E": (1000, 20), "F": (1000, 10)}
    this_week = last_week | {"A": (1000, 45), "B": (1000, 55)}
    violations, exposures = week_of_rates(make_violations, make_exposures, week_at(-1), last_week)
    more = week_of_rates(make_violations, make_exposures, week_at(0), this_week)
    con = board_con(violations=violations + more[0], exposures=exposures + more[1])
    black = con.execute(
        "select entity_id, rank, previous_rank from board_rankings "
        "where week = '2026-W47' and list_name = 'black' order by rank"
    ).fetchall()
    assert black == [("B", 1, 2), ("A", 2, 1), ("C", 3, 3)]
