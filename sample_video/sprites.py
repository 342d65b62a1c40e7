"""Cut-outs of real road users from photos that ship inside installed packages.

The project cannot ship third-party footage, so the sample clip is assembled from the demo photos
of its own dependencies: two pedestrians from ultralytics' ``bus.jpg`` and the motorcycle of
scikit-image's Middlebury stereo pair (``motorcycle_left.png``), whose bundled disparity map
separates the bike from the garage behind it. A sprite is a tight BGRA array.
"""

from __future__ import annotations

import importlib.util
from enum import Enum
from pathlib import Path

import cv2
import numpy as np

Sprite = np.ndarray  # BGRA uint8, cropped to its opaque pixels

# Outlines traced by hand on bus.jpg (810x1080), clockwise from the top of the head.
PERSON_OUTLINES: dict[str, list[tuple[int, int]]] = {
    "fleece": [
        (130, 399),
        (146, 402),
        (153, 406),
        (159, 420),
        (159, 434),
        (153, 455),
        (150, 465),
        (164, 470),
        (180, 488),
        (184, 520),
        (196, 540),
        (201, 560),
        (200, 582),
        (186, 595),
        (184, 620),
        (189, 650),
        (193, 690),
        (190, 698),
        (182, 730),
        (190, 805),
        (192, 845),
        (205, 852),
        (230, 862),
        (244, 876),
        (242, 893),
        (215, 896),
        (182, 896),
        (175, 880),
        (175, 856),
        (167, 830),
        (147, 780),
        (126, 714),
        (120, 714),
        (104, 760),
        (98, 800),
        (92, 840),
        (100, 852),
        (106, 872),
        (104, 895),
        (70, 897),
        (52, 886),
        (51, 866),
        (60, 850),
        (64, 838),
        (70, 800),
        (77, 750),
        (75, 700),
        (66, 697),
        (60, 650),
        (58, 600),
        (58, 540),
        (62, 500),
        (78, 478),
        (100, 464),
        (110, 447),
        (104, 420),
        (112, 405),
    ],
    "black_coat": [
        (282, 406),
        (298, 410),
        (306, 425),
        (307, 455),
        (300, 472),
        (315, 480),
        (328, 500),
        (333, 520),
        (334, 550),
        (328, 600),
        (329, 650),
        (334, 680),
        (337, 705),
        (332, 730),
        (317, 755),
        (300, 775),
        (292, 786),
        (300, 800),
        (301, 812),
        (296, 820),
        (292, 826),
        (293, 848),
        (288, 857),
        (262, 857),
        (255, 848),
        (256, 822),
        (252, 790),
        (246, 720),
        (244, 650),
        (243, 560),
        (237, 520),
        (245, 495),
        (265, 478),
        (268, 465),
        (263, 440),
        (266, 415),
    ],
}
# Rows of bus.jpg where each person's collar starts, hips sit (a seated rider shows only what
# is above them) and coat ends (trousers below).
NECK_ROW = {"fleece": 466, "black_coat": 476}
HIP_ROW = {"fleece": 658, "black_coat": 640}
COAT_END_ROW = {"fleece": 700, "black_coat": 695}

# The Middlebury motorcycle is about 2 m long: its box spans 588 px of the photo.
MOTORCYCLE_PX_PER_M = 294.0
PERSON_PX_PER_M = 257.0  # both people in bus.jpg are about 450 px, taken as 1.75 m


class Cloth(Enum):
    """Clothing of the people in bus.jpg that an outfit may change (OpenCV HSV ranges)."""

    TROUSERS = "trousers"  # both wear blue denim
    PALE_COAT = "pale_coat"  # the fleece; skin is a more saturated orange and stays as it is
    RED_SHIRT = "red_shirt"  # under the black coat


Outfit = dict[Cloth, tuple[int, int, int]]  # new BGR colour per piece of clothing


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, located without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package '{package}' is not installed; it ships {relative}")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def read_bus_photo() -> np.ndarray:
    return _read(package_file("ultralytics", "assets/bus.jpg"))


def read_motorcycle_photo() -> tuple[np.ndarray, np.ndarray]:
    """The left stereo view and its disparity (inf where unknown)."""
    image = _read(package_file("skimage", "data/motorcycle_left.png"))
    with np.load(package_file("skimage", "data/motorcycle_disp.npz")) as archive:
        disparity = archive["arr_0"]
    return image, disparity


def _read(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(f"cannot read {path}")
    return image


def person_sprite(
    photo: np.ndarray, name: str, outfit: Outfit | None = None, seated: bool = False
) -> Sprite:
    """One person of bus.jpg, optionally re-dressed; ``seated`` keeps only what shows above a
    saddle (head to hips)."""
    mask = np.zeros(photo.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.array(PERSON_OUTLINES[name], np.int32)], 255)
    if seated:
        mask[HIP_ROW[name] :] = 0
    dressed = photo.copy()
    for cloth, colour in (outfit or {}).items():
        _repaint(dressed, _cloth_mask(photo, name, cloth), colour)
    return _cropped(dressed, mask)


def _cloth_mask(photo: np.ndarray, name: str, cloth: Cloth) -> np.ndarray:
    hue, sat, val = (channel.astype(np.int16) for channel in cv2.split(_hsv(photo)))
    rows = np.arange(photo.shape[0])[:, None]
    torso = (rows >= NECK_ROW[name]) & (rows < COAT_END_ROW[name])
    if cloth is Cloth.TROUSERS:
        return (rows >= COAT_END_ROW[name]) & (hue >= 90) & (hue <= 135) & (sat > 60)
    if cloth is Cloth.PALE_COAT:
        return torso & (hue >= 5) & (hue <= 30) & (sat < 140) & (val > 60)
    return torso & _red(hue, sat)


def _hsv(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_BGR2HSV)


def _red(hue: np.ndarray, sat: np.ndarray) -> np.ndarray:
    return ((hue >= 165) | (hue <= 4)) & (sat > 120)


def repainted(sprite: Sprite, colour: tuple[int, int, int]) -> Sprite:
    """The motorcycle in another paint colour (its red parts take ``colour``)."""
    hue, sat, _ = (channel.astype(np.int16) for channel in cv2.split(_hsv(sprite)))
    out = sprite.copy()
    _repaint(out, _red(hue, sat), colour)
    return out


def _repaint(image: np.ndarray, mask: np.ndarray, colour: tuple[int, int, int]) -> None:
    """Give the masked pixels a new colour but keep the photo's shading, so folds survive."""
    if not mask.any():
        return
    value = image[:, :, :3].max(axis=2)[mask].astype(np.float32)
    shade = value / max(float(value.mean()), 1.0)
    target = np.array(colour, np.float32)
    image[:, :, :3][mask] = np.clip(shade[:, None] * target, 0, 255).astype(np.uint8)


def motorcycle_sprite(photo: np.ndarray, disparity: np.ndarray) -> Sprite:
    """The bike is nearer than the garage behind it; the floor it stands on is as near as its
    tyres, so each row is compared with the floor seen at the left edge of that row."""
    known = np.isfinite(disparity)
    edge = np.where(known[:, :90], disparity[:, :90], np.nan)
    with np.errstate(all="ignore"):
        floor = np.nan_to_num(np.nanmedian(edge, axis=1), nan=0.0)
    threshold = np.maximum(38.0, floor + 3.0)[:, None]
    mask = (known & (disparity > threshold)).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return _cropped(photo, _largest_component(mask))


def _largest_component(mask: np.ndarray) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    if count <= 1:
        return mask
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return np.where(labels == largest, 255, 0).astype(np.uint8)


def _cropped(photo: np.ndarray, mask: np.ndarray) -> Sprite:
    # A one-pixel feather keeps the edge from looking cut with scissors once scaled down.
    soft = cv2.GaussianBlur(mask, (3, 3), 0)
    x, y, w, h = cv2.boundingRect(mask)
    colours = _bled(photo[y : y + h, x : x + w], mask[y : y + h, x : x + w])
    return np.dstack([colours, soft[y : y + h, x : x + w]])


def _bled(colours: np.ndarray, mask: np.ndarray, reach_px: int = 8) -> np.ndarray:
    """Colours with the subject's own edge colours spread over the transparent surroundings.
    Shrinking a sprite averages neighbouring pixels, hidden ones included: left as they were,
    the street behind the person would show as a coloured rim."""
    inside = (mask > 0).astype(np.float32)[..., None]
    kernel = (2 * reach_px + 1, 2 * reach_px + 1)
    total = cv2.blur(colours.astype(np.float32) * inside, kernel)
    weight = cv2.blur(inside[..., 0], kernel)[..., None]
    spread = np.where(weight > 0, total / np.maximum(weight, 1e-6), 0)
    return np.where(inside > 0, colours, spread).astype(np.uint8)


def mirrored(sprite: Sprite) -> Sprite:
    return sprite[:, ::-1].copy()


def scaled(sprite: Sprite, factor: float) -> Sprite:
    height, width = sprite.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return cv2.resize(sprite, size, interpolation=cv2.INTER_AREA)


def paste(canvas: Sprite, sprite: Sprite, x: int, y: int) -> None:
    """Alpha-blend ``sprite`` onto the BGRA ``canvas`` with its top-left at (x, y); in bounds."""
    height, width = sprite.shape[:2]
    region = canvas[y : y + height, x : x + width]
    alpha = sprite[:, :, 3:4].astype(np.float32) / 255
    region[:, :, :3] = (sprite[:, :, :3] * alpha + region[:, :, :3] * (1 - alpha)).astype(np.uint8)
    region[:, :, 3] = np.maximum(region[:, :, 3], sprite[:, :, 3])
