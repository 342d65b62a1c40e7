"""Zone-focused detection: look where the camera's zones are, each part at the scale its road
users need.

A frame letterboxed whole to the detector's input shrinks far road users below what YOLO11n finds
(a rider 25 px tall at 854x480 is 19 px at 640) and spends most pixels on near road users who
would be found at half the scale. Once the camera's perspective is known (``perspective``), the
zones (crosswalks, lanes, with a margin of one road-user height around them, so that people are
seen before they enter) are cut into horizontal bands of foot rows; each band is detected at the
scale that makes a small road user at its far edge ``MIN_HEIGHT_PX`` tall, in tiles of at most
the detector's input size, and never coarser than a whole-frame pass. The bands are chosen to
spend the fewest pixels in all: far rows get more resolution than a whole-frame pass, near rows
the same, and nothing far from the zones is looked at. Each tile answers for the road users
whose feet stand in its part of the zones (neighbouring bands share half a road-user height of
rows); boxes come back in frame coordinates and one road user found by two tiles is kept once
(class-aware NMS).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np
import supervision as sv

from detectors.detections.fixed_shape import STRIDE, letterbox_shape
from detectors.detections.perspective import HeightModel, HeightSampler

if TYPE_CHECKING:  # the detector runs the tiles this module plans
    from detectors.config.camera import CameraConfig
    from detectors.detections.detector import Detector

# A small road user at a band's far edge is analysed at least this tall (YOLO11n finds persons and
# riders reliably from ~40 px; below ~20 px it misses most).
MIN_HEIGHT_PX = 40.0
# Never upsample more than this: beyond it a crop gains no detail, only cost.
MAX_ZOOM = 2.0
# Around the zones: road users are watched from one of their heights before they enter.
MARGIN_HEIGHTS = 1.0
# Above a foot row, room for the box of a road user standing there (tall riders, raised arms).
HEADROOM_HEIGHTS = 1.3
# Below a band's last foot row, room for a box whose feet jitter across the band edge.
FOOT_SLACK_HEIGHTS = 0.2
# Neighbouring bands both answer for this many road-user heights of foot rows around their
# boundary (duplicates suppressed): a road user crossing it is not handed from one scale to the
# other in a single frame, which broke tracks (dev set: wrong-way recall 0.74 -> 0.89).
SHARED_HEIGHTS = 0.5
DUPLICATE_IOU = 0.5  # one road user found by two tiles of the shared rows
# What one more detector call costs besides its pixels, in input pixels: YOLO11n takes ~0.05 ms of
# CPU per 1000 input pixels and ~1.6 ms per call whatever its size (OpenVINO run directly).
CALL_COST_PX = 30_000
# A plan may cost at most this many whole-frame passes; beyond it the target height is lowered.
MAX_COST_OF_WHOLE_FRAME = 2.0
SPLIT_CANDIDATES = 12  # foot rows tried as band boundaries
MAX_BANDS = 3


@dataclass(frozen=True)
class Tile:
    """A frame region (x1, y1, x2, y2) analysed ``scale`` times enlarged in a detector input of
    ``shape`` (height, width), padded where the frame ends before the input does. The tile
    answers for the road users whose feet (box bottom-centre) lie in ``owns``, a part of its
    region; the rest of the region is there so that their boxes are whole."""

    region: tuple[int, int, int, int]
    shape: tuple[int, int]
    owns: tuple[float, float, float, float]
    scale: float

    @property
    def pixels(self) -> int:
        return self.shape[0] * self.shape[1]


def zone_mask(width: int, height: int, polygons: Sequence[Sequence[tuple[float, float]]]):
    mask = np.zeros((height, width), dtype=np.uint8)
    for polygon in polygons:
        cv2.fillPoly(mask, [np.round(np.asarray(polygon)).astype(np.int32)], 1)
    return mask.astype(bool)


def plan_tiles(
    mask: np.ndarray,
    model: HeightModel,
    image_size: int,
    budget_px: float,
    target: float = MIN_HEIGHT_PX,
) -> list[Tile]:
    """The cheapest cover of the zones (``mask``) by bands of tiles that shows every small road
    user in them at least ``target`` px tall, or as close to that as ``budget_px`` (detector
    input pixels per frame, calls included) allows: the target height is lowered until the plan
    fits the budget."""
    while True:
        tiles = _cheapest_bands(mask, model, image_size, target)
        if _cost(tiles) <= budget_px or target <= MIN_HEIGHT_PX / 8:
            return tiles
        target *= 0.95


def _cheapest_bands(
    mask: np.ndarray, model: HeightModel, image_size: int, target: float
) -> list[Tile]:
    height = mask.shape[0]
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return []
    first = max(0.0, rows[0] - MARGIN_HEIGHTS * model.height_at(rows[0]))
    last = min(float(height), rows[-1] + MARGIN_HEIGHTS * model.height_at(rows[-1]))
    candidates = np.linspace(first, last, SPLIT_CANDIDATES + 1)[1:-1]
    best: list[Tile] | None = None
    for count in range(MAX_BANDS):
        for splits in itertools.combinations(candidates, count):
            edges = [first, *splits, last]
            tiles = [
                tile
                for top, bottom in itertools.pairwise(edges)
                for tile in _band_tiles(mask, model, top, bottom, image_size, target)
            ]
            tiles = _owning_whole_frame(tiles, mask.shape)
            if best is None or _cost(tiles) < _cost(best):
                best = tiles
    return best or []


def whole_frame_cost(width: int, height: int, image_size: int) -> int:
    """What one letterboxed pass over the whole frame costs, in the units of ``plan_tiles``."""
    shape = letterbox_shape(height, width, image_size)
    return shape[0] * shape[1] + CALL_COST_PX


def _cost(tiles: list[Tile]) -> int:
    return sum(tile.pixels + CALL_COST_PX for tile in tiles)


def _band_tiles(
    mask: np.ndarray, model: HeightModel, top: float, bottom: float, image_size: int, target: float
) -> list[Tile]:
    """Tiles for the road users whose feet are in rows [top, bottom)."""
    frame_h, frame_w = mask.shape
    far, near = model.height_at(top), model.height_at(bottom)
    y1 = max(0, math.floor(top - HEADROOM_HEIGHTS * far))
    # Boxes stand on their feet: nothing of a road user owned here lies below the band.
    y2 = min(frame_h, math.ceil(bottom + (SHARED_HEIGHTS + FOOT_SLACK_HEIGHTS) * near))
    # Zone columns of these rows, widened by a margin (the far rows of a lane are narrow).
    band_rows = mask[max(0, math.floor(top - MARGIN_HEIGHTS * far)) : y2]
    columns = np.flatnonzero(band_rows.any(axis=0))
    if len(columns) == 0:
        return []
    x1 = max(0, math.floor(columns[0] - MARGIN_HEIGHTS * near))
    x2 = min(frame_w, math.ceil(columns[-1] + 1 + MARGIN_HEIGHTS * near))
    # A band taller than one input is analysed a little coarser rather than cut across.
    # Never coarser than a whole-frame pass: road users smaller than the perspective's small one
    # (half out of the frame at its edge, half hidden) were found at that scale before.
    whole_frame = image_size / max(frame_w, frame_h)
    scale = min(max(min(target / far, MAX_ZOOM), whole_frame), image_size / (y2 - y1))
    input_h = _stride_multiple((y2 - y1) * scale, image_size)
    y1, y2 = _widened(y1, y2, input_h / scale, frame_h)
    # Neighbouring tiles share the width of the widest road user, so each is whole in one of them.
    overlap = min(2 * near, (x2 - x1) / 2)
    spans = _spans(x1, x2, overlap, image_size / scale)
    # Neighbours split the road users of their shared width at its middle.
    cuts = [0.0, *((a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)), float(frame_w)]
    tiles = []
    for (left, right), owns_from, owns_to in zip(spans, cuts[:-1], cuts[1:], strict=True):
        input_w = _stride_multiple((right - left) * scale, image_size)
        left, right = _widened(left, right, input_w / scale, frame_w)
        tiles.append(
            Tile(
                (left, y1, right, y2),
                (input_h, input_w),
                (owns_from, top - SHARED_HEIGHTS * far, owns_to, bottom + SHARED_HEIGHTS * near),
                scale,
            )
        )
    return tiles


def _owning_whole_frame(tiles: list[Tile], frame_shape: tuple[int, int]) -> list[Tile]:
    """The first band answers for every row above it, the last for every row below."""
    if not tiles:
        return tiles
    top = min(tile.owns[1] for tile in tiles)
    bottom = max(tile.owns[3] for tile in tiles)
    return [
        replace(
            tile,
            owns=(
                tile.owns[0],
                0.0 if tile.owns[1] == top else tile.owns[1],
                tile.owns[2],
                float(frame_shape[0]) if tile.owns[3] == bottom else tile.owns[3],
            ),
        )
        for tile in tiles
    ]


def _spans(start: int, end: int, overlap: float, longest: float) -> list[tuple[int, int]]:
    """Equal spans covering [start, end), at most ``longest`` each, neighbours sharing
    ``overlap``."""
    count = max(1, math.ceil((end - start - overlap) / max(longest - overlap, 1.0) - 1e-6))
    step = (end - start - overlap) / count
    return [
        (round(start + i * step), min(end, round(start + i * step + step + overlap)))
        for i in range(count)
    ]


def _stride_multiple(side: float, image_size: int) -> int:
    return min(image_size, max(STRIDE, STRIDE * math.ceil(side / STRIDE - 1e-6)))


def _widened(start: int, end: int, length: float, limit: int) -> tuple[int, int]:
    """[start, end) grown to ``length`` (so the crop keeps its aspect at the input shape), kept
    inside [0, limit); the whole of [0, limit) where that is shorter."""
    grow = max(0.0, length - (end - start))
    start = max(0, round(start - grow / 2))
    end = min(limit, round(start + length))
    return max(0, round(end - length)), end


# Grey of the padding, as ultralytics letterboxes frames: the model is used to its look.
PAD_GREY = 114


def tile_input(image: np.ndarray, tile: Tile) -> np.ndarray:
    """The tile's region at its scale (bilinear, as ultralytics resizes), padded to its shape."""
    x1, y1, x2, y2 = tile.region
    height, width = tile.shape
    size = (min(width, round((x2 - x1) * tile.scale)), min(height, round((y2 - y1) * tile.scale)))
    resized = cv2.resize(image[y1:y2, x1:x2], size, interpolation=cv2.INTER_LINEAR)
    if resized.shape[:2] == (height, width):
        return resized
    padded = np.full((height, width, 3), PAD_GREY, dtype=image.dtype)
    padded[: size[1], : size[0]] = resized
    return padded


def to_frame(detections: sv.Detections, tile: Tile) -> sv.Detections:
    """The tile's own road users (feet in ``tile.owns``), boxes in frame coordinates."""
    x1, y1, _, _ = tile.region
    detections.xyxy = detections.xyxy / tile.scale + np.array([x1, y1, x1, y1])
    feet_x = (detections.xyxy[:, 0] + detections.xyxy[:, 2]) / 2
    feet_y = detections.xyxy[:, 3]
    left, top, right, bottom = tile.owns
    return detections[(feet_x >= left) & (feet_x < right) & (feet_y >= top) & (feet_y < bottom)]


def merge(parts: list[sv.Detections]) -> sv.Detections:
    """The tiles' own road users as one set, a road user found by two tiles kept once."""
    return sv.Detections.merge(parts).with_nms(DUPLICATE_IOU, class_agnostic=False)


def survey_tiles(mask: np.ndarray, image_size: int, budget_px: float) -> list[Tile]:
    """Before the perspective is known: the zones, with a margin of a tenth of the frame height
    around them, at one scale, as fine as the budget allows (up to ``MAX_ZOOM``). Far road users
    are found while the perspective is learnt, and teach it sooner with surer boxes."""
    flat = HeightModel(intercept=mask.shape[0] / 10, slope=0.0)
    return plan_tiles(mask, flat, image_size, budget_px, target=MAX_ZOOM * flat.intercept)


class ZoneFocus:
    """A clip's detection step: the zones surveyed at one scale until the camera's perspective
    is learnt from the boxes found (or handed over from the clip before), then the zones' tiles
    planned from it. A camera without zones is looked at whole."""

    def __init__(
        self,
        detector: Detector,
        camera: CameraConfig,
        frame_size: tuple[int, int],
        perspective: HeightModel | None = None,
    ):
        width, height = frame_size
        self.detector = detector
        self.mask = zone_mask(
            width, height, [z.polygon for z in (*camera.crosswalks, *camera.lanes)]
        )
        self.sampler = HeightSampler(height)
        self.perspective: HeightModel | None = None
        height, width = self.mask.shape
        self._image_size = detector.settings.image_size if self.mask.any() else 0
        self._budget = MAX_COST_OF_WHOLE_FRAME * whole_frame_cost(width, height, self._image_size)
        self.tiles: list[Tile] = []
        if perspective is not None:
            self._focus(perspective)
        elif self.mask.any():
            self.tiles = survey_tiles(self.mask, self._image_size, self._budget)

    def detect(self, image: np.ndarray) -> sv.Detections:
        if not self.tiles:
            return self.detector.detect(image)
        detections = self.detector.detect_tiles(image, self.tiles)
        if self.perspective is None and (model := self.sampler.add(detections)):
            self._focus(model)
        return detections

    def _focus(self, perspective: HeightModel) -> None:
        self.perspective = perspective
        self.tiles = plan_tiles(self.mask, perspective, self._image_size, self._budget)
