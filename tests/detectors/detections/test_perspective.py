"""The camera's perspective learnt from its own boxes: box height as a straight line in the foot
row, through the small road users of each row."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.detections.perspective import MIN_HEIGHT_PX, HeightModel, HeightSampler, fit_heights

FRAME_H = 480


def road_users(rows: np.ndarray, intercept: float, slope: float, seed: int = 0):
    """Boxes whose heights spread from 1x to 2x the small road user's height at their row."""
    rng = np.random.default_rng(seed)
    return rows, (intercept + slope * rows) * rng.uniform(1.0, 2.0, len(rows))


def test_the_line_goes_through_the_small_road_users_of_each_row():
    rows, heights = road_users(np.linspace(150, 470, 400), intercept=10.0, slope=0.2)

    model = fit_heights(rows, heights, FRAME_H)

    # The lower quartile of a 1x-2x spread sits at 1.25x the small road user.
    for row in (200.0, 400.0):
        assert model.height_at(row) == pytest.approx(1.25 * (10 + 0.2 * row), rel=0.1)


def test_far_rows_without_road_users_are_extrapolated_along_the_line():
    rows, heights = road_users(np.linspace(300, 470, 300), intercept=-40.0, slope=0.3)

    model = fit_heights(rows, heights, FRAME_H)

    assert model.height_at(180) == pytest.approx(1.25 * (-40 + 0.3 * 180), rel=0.2)
    assert model.height_at(0) == MIN_HEIGHT_PX  # beyond the horizon: the floor, never below


@pytest.mark.parametrize(
    "rows",
    [np.linspace(200, 470, 20), np.full(100, 300.0)],
    ids=["too few boxes", "all on one row"],
)
def test_no_line_until_boxes_cover_enough_rows(rows):
    assert fit_heights(rows, np.full(len(rows), 50.0), FRAME_H) is None


def test_a_camera_looking_straight_down_has_one_height_everywhere():
    rows = np.linspace(20, 460, 200)
    heights = np.where(rows < 240, 60.0, 50.0)  # no real slope, noise that leans the wrong way

    model = fit_heights(rows, heights, FRAME_H)

    assert model.slope == 0.0
    assert model.height_at(0) == model.height_at(479)


def test_the_sampler_learns_only_from_sure_boxes(make_detections):
    sampler = HeightSampler(FRAME_H)
    model = None
    for row in np.linspace(150, 470, 40):
        unsure = [0, row - 200, 30, row]  # a weak box four times too tall
        sure = [100, row - 0.2 * row, 130, row]
        frame = make_detections([unsure, sure], ["person", "person"], confidence=[0.3, 0.8])
        model = sampler.add(frame) or model

    assert isinstance(model, HeightModel)
    assert model.height_at(300) == pytest.approx(60.0, rel=0.1)
