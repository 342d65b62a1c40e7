"""Exposure and violation counts per clip and zone."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.synthetic.cells import (
    CAMPAIGN_COURIER_FACTOR,
    Clips,
    campaign_factor,
    pedestrian_cells,
    two_wheeler_cells,
)
from analytics.synthetic.world import LANES, PLATFORMS, build_world


def clips(count: int, days_since_campaign: int = -1) -> Clips:
    return Clips(
        camera=np.zeros(count, dtype=np.int64),
        started_us=np.zeros(count, dtype=np.int64),
        local_day=np.full(count, 20_000),
        local_hour=np.full(count, 8),
        years_elapsed=np.zeros(count),
        days_since_campaign=np.full(count, days_since_campaign),
    )


@pytest.mark.parametrize(
    ("days", "factor"), [(-30, 1.0), (0, 1.0), (7, 1 - 0.75 / 2), (14, 0.25), (200, 0.25)]
)
def test_the_campaign_ramps_down_over_two_weeks(days, factor):
    assert campaign_factor(clips(1, days))[0] == pytest.approx(factor)


def test_violations_never_exceed_exposures_and_cells_are_complete():
    world = build_world(2, seed=5)
    rng = np.random.default_rng(0)
    cells = two_wheeler_cells(world, clips(50), rng)
    assert len(cells.clip) == 50 * len(LANES) * len(PLATFORMS)
    assert (cells.count_violations <= cells.count_exposures).all()
    assert set(cells.platform) == set(range(len(PLATFORMS)))
    assert (pedestrian_cells(world, clips(50), rng).platform == -1).all()


def test_after_the_campaign_couriers_ride_the_wrong_way_a_quarter_as_often():
    world = build_world(2, seed=5)
    before = two_wheeler_cells(world, clips(4000, -1), np.random.default_rng(1))
    after = two_wheeler_cells(world, clips(4000, 60), np.random.default_rng(1))

    def courier_rate(cells):
        couriers = cells.platform < len(PLATFORMS) - 1
        return cells.count_violations[couriers].sum() / cells.count_exposures[couriers].sum()

    assert courier_rate(after) / courier_rate(before) == pytest.approx(
        CAMPAIGN_COURIER_FACTOR, rel=0.05
    )
