import cv2
import numpy as np
import pytest

from sample_video.sprites import (
    COAT_END_ROW,
    HIP_ROW,
    PERSON_OUTLINES,
    Cloth,
    motorcycle_sprite,
    package_file,
    person_sprite,
    read_bus_photo,
    read_motorcycle_photo,
    repainted,
)


@pytest.fixture(scope="module")
def bus() -> np.ndarray:
    return read_bus_photo()


def _opaque_share(sprite: np.ndarray) -> float:
    return float((sprite[:, :, 3] > 127).mean())


def test_a_missing_package_is_named() -> None:
    with pytest.raises(FileNotFoundError, match="no_such_package"):
        package_file("no_such_package", "data/x.png")


@pytest.mark.parametrize("name", sorted(PERSON_OUTLINES))
def test_people_are_cut_along_their_outline(bus: np.ndarray, name: str) -> None:
    sprite = person_sprite(bus, name)
    _, top, _, height = cv2.boundingRect(np.array(PERSON_OUTLINES[name], np.int32))
    assert abs(sprite.shape[0] - height) <= 2
    assert 0.4 < _opaque_share(sprite) < 0.85  # a body, not its box
    assert sprite[0, 0, 3] == 0 and sprite[-1, -1, 3] == 0  # corners show no street
    seated = person_sprite(bus, name, seated=True)
    assert abs(seated.shape[0] - (HIP_ROW[name] - top)) <= 2


def test_an_outfit_changes_the_trousers_but_not_the_face(bus: np.ndarray) -> None:
    plain = person_sprite(bus, "fleece")
    dressed = person_sprite(bus, "fleece", {Cloth.TROUSERS: (0, 0, 255)})
    top = cv2.boundingRect(np.array(PERSON_OUTLINES["fleece"], np.int32))[1]
    legs = slice(COAT_END_ROW["fleece"] - top + 20, None)
    face = slice(0, 60)
    assert np.array_equal(plain[face], dressed[face])
    assert dressed[legs][:, :, 2].mean() > plain[legs][:, :, 2].mean() + 40


def test_the_motorcycle_is_cut_from_the_garage_by_its_disparity() -> None:
    bike = motorcycle_sprite(*read_motorcycle_photo())
    height, width = bike.shape[:2]
    assert 560 <= width <= 620 and 320 <= height <= 380  # the bike's box, not the 741x500 photo
    assert 0.3 < _opaque_share(bike) < 0.8
    # The spokes of the front wheel let the road show through.
    wheel = bike[int(height * 0.65) : int(height * 0.95), int(width * 0.75) : int(width * 0.95), 3]
    assert (wheel == 0).any() and (wheel == 255).any()


def test_repainting_turns_the_red_paint_blue() -> None:
    bike = motorcycle_sprite(*read_motorcycle_photo())
    blue = repainted(bike, (160, 92, 24))
    opaque = bike[:, :, 3] > 127

    def share(sprite: np.ndarray, low: int, high: int) -> float:
        colour = np.ascontiguousarray(sprite[:, :, :3])
        hue, sat, _ = cv2.split(cv2.cvtColor(colour, cv2.COLOR_BGR2HSV))
        return float(((hue >= low) & (hue <= high) & (sat > 120) & opaque).mean())

    assert share(bike, 0, 4) > 0.05 and share(blue, 0, 4) < 0.01
    assert share(blue, 95, 125) > share(bike, 95, 125) + 0.05
