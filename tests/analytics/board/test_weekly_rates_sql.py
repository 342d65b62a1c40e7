"""board_weekly_rates: raw rates, the beta-binomial prior fit and the shrunk estimates."""

from __future__ import annotations

import pytest

RED = "pedestrian_red_light"


def test_shrinkage_on_three_intersections(board_con, make_violations, make_exposures, week_at):
    # Three intersections in one week: (exposures, violations) = (100, 10), (400, 20), (500, 10).
    # Pooled rate m = 40 / 1000 = 0.04. Weighted variance S = sum(x^2/n)/N - m^2
    #   = (1 + 1 + 0.2) / 1000 - 0.0016 = 0.0006.
    # rho = (S / (m (1 - m)) - k/N) / (1 - k/N) = (0.0006/0.0384 - 0.003) / 0.997 = 0.012663
    # prior strength s = 1/rho - 1 = 77.970 (below the cap N/k = 333.3).
    # Estimates (x + m s) / (n + s): A (10 + 3.1188) / 177.97 = 0.073713,
    #   B (20 + 3.1188) / 477.97 = 0.048369, C (10 + 3.1188) / 577.97 = 0.022698.
    when = week_at(0)
    con = board_con(
        violations=[
            *make_violations("A", RED, 10, when),
            *make_violations("B", RED, 20, when),
            *make_violations("C", RED, 10, when),
        ],
        exposures=[
            make_exposures("A", RED, 100, when),
            make_exposures("B", RED, 400, when),
            make_exposures("C", RED, 500, when),
        ],
    )
    rows = con.execute(
        "select entity_id, rate_per_1000, estimated_rate_per_1000, pooled_rate_per_1000, "
        "prior_strength_exposures from board_weekly_rates "
        "where entity_kind = 'intersection' and week = '2026-W47' order by entity_id"
    ).fetchall()
    assert [row[0] for row in rows] == ["A", "B", "C"]
    assert [row[1] for row in rows] == pytest.approx([100.0, 50.0, 20.0])
    assert [row[2] for row in rows] == pytest.approx([73.713, 48.369, 22.698], abs=1e-3)
    assert [row[3] for row in rows] == pytest.approx([40.0, 40.0, 40.0])
    assert rows[0][4] == pytest.approx(77.970, abs=1e-3)


def test_no_spread_between_entities_caps_the_prior_at_the_mean_exposure(
    board_con, make_violations, make_exposures, week_at
):
    # A (100, 5) and B (300, 15) share the rate 0.05: S = (0.25 + 0.75) / 400 - 0.05^2 = 0,
    # so the fitted correlation is negative and the prior strength is capped at N/k = 200.
    when = week_at(0)
    con = board_con(
        violations=[*make_violations("A", RED, 5, when), *make_violations("B", RED, 15, when)],
        exposures=[make_exposures("A", RED, 100, when), make_exposures("B", RED, 300, when)],
    )
    rows = con.execute(
        "select entity_id, prior_strength_exposures, estimated_rate_per_1000, is_eligible "
        "from board_weekly_rates where entity_kind = 'intersection' order by entity_id"
    ).fetchall()
    assert rows == [
        ("A", pytest.approx(200.0), pytest.approx(50.0), False),
        ("B", pytest.approx(200.0), pytest.approx(50.0), True),
    ]


def test_min_exposures_sets_eligibility(board_con, make_exposures, week_at):
    con = board_con(exposures=[make_exposures("A", RED, 150, week_at(0))], board_min_exposures=150)
    assert con.execute(
        "select is_eligible from board_weekly_rates where entity_kind = 'intersection'"
    ).fetchall() == [(True,)]
