import numpy as np
import pytest

from sample_video import scene
from sample_video.backdrop import render_backdrop


@pytest.fixture(scope="module")
def backdrop() -> np.ndarray:
    return render_backdrop()


def _brightness(picture: np.ndarray, x_m: float, depth_m: float) -> float:
    x, y = scene.to_image(x_m, depth_m)
    return float(picture[round(y) - 1 : round(y) + 2, round(x) - 1 : round(x) + 2].mean())


def test_zebra_stripes_are_painted_where_the_crosswalk_is(backdrop: np.ndarray) -> None:
    assert backdrop.shape == (scene.FRAME_HEIGHT, scene.FRAME_WIDTH, 3)
    stripe = scene.ZEBRA_STRIPE_M
    for index in range(scene.ZEBRA_STRIPES):
        start = scene.ZEBRA_FIRST_STRIPE_M + 2 * index * stripe
        assert _brightness(backdrop, 0.0, start + stripe / 2) > 160
        if index < scene.ZEBRA_STRIPES - 1:
            assert _brightness(backdrop, 0.0, start + 1.5 * stripe) < 110


def test_the_road_beside_the_zebra_is_dark_asphalt(backdrop: np.ndarray) -> None:
    beside = scene.ZEBRA_HALF_WIDTH_M + 1.5
    for depth in (16.2, 18.5, 21.5):
        assert _brightness(backdrop, -beside, depth) < 110


def test_the_backdrop_is_the_same_on_every_run(backdrop: np.ndarray) -> None:
    assert np.array_equal(render_backdrop(), backdrop)
