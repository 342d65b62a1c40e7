import cv2
import numpy as np

from sample_video.cast import PEDESTRIANS, TWO_WHEELERS, oriented
from sample_video.riders import COURIER_YELLOW
from sample_video.script import CAST
from sample_video.sprites import Sprite


def _courier_yellow_share(sprite: Sprite) -> float:
    distance = np.abs(sprite[:, :, :3].astype(int) - np.array(COURIER_YELLOW)).sum(axis=2)
    return float(((distance < 40) & (sprite[:, :, 3] > 127)).mean())


def test_every_look_in_the_script_is_built(looks: dict[str, Sprite]) -> None:
    assert {actor.look for actor in CAST} <= set(looks)
    assert set(looks) == set(PEDESTRIANS) | set(TWO_WHEELERS)


def test_couriers_carry_the_yellow_box_and_others_do_not(looks: dict[str, Sprite]) -> None:
    for look, ride in TWO_WHEELERS.items():
        if ride.courier_box:
            assert _courier_yellow_share(looks[look]) > 0.05, look
        else:
            assert _courier_yellow_share(looks[look]) < 0.005, look


def test_riders_sit_above_the_bike(looks: dict[str, Sprite]) -> None:
    for look in TWO_WHEELERS:
        sprite = looks[look]
        assert sprite.shape[0] > 1.3 * 351  # the bare motorcycle is 351 px high
        top_rows = sprite[: sprite.shape[0] // 5, :, 3] > 127
        assert top_rows.any()  # a head up there


def test_oriented_mirrors_only_when_asked(looks: dict[str, Sprite]) -> None:
    sprite = looks["courier_red"]
    assert oriented(sprite, False) is sprite
    assert np.array_equal(oriented(sprite, True), cv2.flip(sprite, 1))
