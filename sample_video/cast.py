"""The looks the script refers to: each one a sprite made from the two people of bus.jpg and the
Middlebury motorcycle, re-dressed or repainted so that the clip does not show the same two
people over and over."""

from __future__ import annotations

from dataclasses import dataclass, field

from sample_video.riders import COURIER_YELLOW, ridden
from sample_video.sprites import (
    Cloth,
    Outfit,
    Sprite,
    mirrored,
    motorcycle_sprite,
    person_sprite,
    read_bus_photo,
    read_motorcycle_photo,
    repainted,
)

Colour = tuple[int, int, int]  # BGR

PEDESTRIANS: dict[str, tuple[str, Outfit]] = {
    "fleece": ("fleece", {}),
    "fleece_grey": ("fleece", {Cloth.PALE_COAT: (92, 92, 96), Cloth.TROUSERS: (46, 46, 50)}),
    "fleece_camel": ("fleece", {Cloth.PALE_COAT: (72, 128, 178), Cloth.TROUSERS: (150, 158, 166)}),
    "fleece_navy": ("fleece", {Cloth.PALE_COAT: (96, 52, 30), Cloth.TROUSERS: (60, 60, 64)}),
    "black_coat": ("black_coat", {}),
    "black_coat_teal": (
        "black_coat",
        {Cloth.RED_SHIRT: (150, 140, 30), Cloth.TROUSERS: (42, 42, 42)},
    ),
    "black_coat_khaki": (
        "black_coat",
        {Cloth.RED_SHIRT: (228, 228, 228), Cloth.TROUSERS: (118, 158, 190)},
    ),
}


@dataclass(frozen=True)
class Ride:
    rider: str
    paint: Colour | None = None  # None keeps the photo's red
    outfit: Outfit = field(default_factory=dict)
    trousers: Colour = (110, 62, 36)  # denim
    courier_box: bool = False


# Meituan couriers wear yellow: the fleece becomes a yellow jacket.
COURIER_JACKET: Outfit = {Cloth.PALE_COAT: COURIER_YELLOW}
BLUE_PAINT = (160, 92, 24)

TWO_WHEELERS: dict[str, Ride] = {
    "rider_red": Ride("black_coat"),
    "rider_blue": Ride("fleece", BLUE_PAINT, {Cloth.PALE_COAT: (92, 92, 96)}, (46, 46, 50)),
    "rider_black": Ride("black_coat", (48, 48, 52), {Cloth.RED_SHIRT: (228, 228, 228)}),
    "courier_red": Ride("fleece", None, COURIER_JACKET, (40, 40, 44), courier_box=True),
    "courier_blue": Ride("fleece", BLUE_PAINT, COURIER_JACKET, (40, 40, 44), courier_box=True),
}


def build_looks() -> dict[str, Sprite]:
    """Every look, facing the way its source photo does (people to camera, bikes to the right)."""
    bus = read_bus_photo()
    bike = motorcycle_sprite(*read_motorcycle_photo())
    looks = {
        look: person_sprite(bus, person, outfit) for look, (person, outfit) in PEDESTRIANS.items()
    }
    for look, ride in TWO_WHEELERS.items():
        painted = bike if ride.paint is None else repainted(bike, ride.paint)
        torso = person_sprite(bus, ride.rider, ride.outfit, seated=True)
        looks[look] = ridden(painted, torso, ride.trousers, courier_box=ride.courier_box)
    return looks


def oriented(sprite: Sprite, flip: bool) -> Sprite:
    return mirrored(sprite) if flip else sprite
