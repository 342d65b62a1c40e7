"""Zone-focused detection: tiles planned from the zones and the perspective, and their boxes
brought back into the frame."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.detections.focus import (
    MAX_ZOOM,
    MIN_HEIGHT_PX,
    STRIDE,
    Tile,
    ZoneFocus,
    merge,
    plan_tiles,
    tile_input,
    to_frame,
    whole_frame_cost,
    zone_mask,
)
from detectors.detections.perspective import HeightModel

W, H = 854, 480
# Road users 20 px tall at the top of the frame, 110 px at the bottom.
PERSPECTIVE = HeightModel(intercept=20.0, slope=90 / 480)
LANE = [(300, 100), (560, 100), (854, 480), (0, 480)]  # a road narrowing into the distance


def scale(tile: Tile) -> float:
    return tile.scale


def owner(tiles: list[Tile], x: float, y: float) -> list[Tile]:
    return [t for t in tiles if t.owns[0] <= x < t.owns[2] and t.owns[1] <= y < t.owns[3]]


@pytest.fixture
def tiles() -> list[Tile]:
    return plan_tiles(zone_mask(W, H, [LANE]), PERSPECTIVE, 640, budget_px=10**9)


def test_every_small_road_user_in_the_zones_is_analysed_at_least_40_px_tall(tiles):
    mask = zone_mask(W, H, [LANE])
    for y in range(100, 480, 10):
        for x in np.flatnonzero(mask[y])[::20]:
            wanted = min(MIN_HEIGHT_PX, MAX_ZOOM * PERSPECTIVE.height_at(y))
            # Rows shared by two bands: the finer one serves.
            best = max(scale(tile) for tile in owner(tiles, x, y))
            assert PERSPECTIVE.height_at(y) * best >= wanted - 1e-6, (x, y)


def test_far_rows_get_more_resolution_than_a_whole_frame_pass_and_no_row_less(tiles):
    whole = 640 / W
    far = owner(tiles, 430, 110)
    near = owner(tiles, 430, 470)
    assert far and near
    assert min(scale(t) for t in far) > whole
    assert min(scale(t) for t in tiles) >= whole - 0.01  # stride rounding


def test_every_zone_point_belongs_to_a_tile_whose_region_holds_the_whole_road_user(tiles):
    mask = zone_mask(W, H, [LANE])
    for y in range(100, 480, 7):
        for x in np.flatnonzero(mask[y])[::15]:
            holders = owner(tiles, x, y)
            assert holders, (x, y)
            top = y - PERSPECTIVE.height_at(y)
            assert any(t.region[1] <= max(top, 0) and y <= t.region[3] for t in holders), (x, y)


def test_tile_inputs_are_stride_multiples_no_larger_than_the_input_size(tiles):
    for tile in tiles:
        height, width = tile.shape
        assert height % STRIDE == 0 and width % STRIDE == 0
        assert max(tile.shape) <= 640
        x1, y1, x2, y2 = tile.region
        assert 0 <= x1 < x2 <= W and 0 <= y1 < y2 <= H


def test_a_small_zone_costs_less_than_the_whole_frame():
    crossing = [(600, 60), (700, 60), (700, 90), (600, 90)]
    tiles = plan_tiles(zone_mask(W, H, [crossing]), PERSPECTIVE, 640, budget_px=10**9)

    assert sum(t.pixels for t in tiles) < whole_frame_cost(W, H, 640) / 2
    assert all(t.region[0] >= 500 and t.region[3] <= 200 for t in tiles)  # around it only


def test_a_plan_over_budget_lowers_its_target_height():
    mask = zone_mask(W, H, [LANE])
    budget = whole_frame_cost(W, H, 640)
    rich = plan_tiles(mask, PERSPECTIVE, 640, budget_px=10**9)
    thrifty = plan_tiles(mask, PERSPECTIVE, 640, budget_px=budget)

    assert sum(t.pixels + 30_000 for t in thrifty) <= budget
    assert max(scale(t) for t in thrifty) < max(scale(t) for t in rich)  # the far rows pay


def test_boxes_come_back_in_frame_coordinates_and_only_the_tiles_own(make_detections):
    tile = Tile(region=(100, 50, 420, 210), shape=(320, 640), owns=(0, 0, 300, 250), scale=2.0)
    found = make_detections(
        [[200, 100, 260, 300], [500, 100, 560, 300]], ["person", "person"]
    )  # tile pixels: twice the frame's

    mine = to_frame(found, tile)

    assert mine.xyxy.tolist() == [[200.0, 100.0, 230.0, 200.0]]  # the other one's feet: x 365


def test_tile_input_is_the_region_at_its_scale_padded_where_the_frame_ends():
    image = np.zeros((H, W, 3), np.uint8)
    image[100:200, 300:400] = 255
    inside = Tile(region=(300, 100, 500, 200), shape=(64, 128), owns=(0, 0, W, H), scale=0.64)
    at_the_edge = Tile(region=(700, 400, 854, 480), shape=(64, 160), owns=(0, 0, W, H), scale=0.8)

    resized = tile_input(image, inside)
    padded = tile_input(image, at_the_edge)

    assert resized.shape == (64, 128, 3)
    assert resized[:, :60].mean() > 250 and resized[:, 70:].mean() < 5
    assert padded.shape == (64, 160, 3)  # 154 x 80 frame pixels at 0.8: 123 x 64, then grey
    assert padded[:, :123].max() == 0 and (padded[:, 124:] == 114).all()


class CountingDetector:
    """Sure boxes of road users standing on a line of perspective, anywhere in the frame."""

    version = "counting@0"

    class settings:  # noqa: N801 - stands in for DetectorSettings
        image_size = 640

    def __init__(self, make_detections):
        self.make_detections = make_detections
        self.whole, self.tiled = 0, []

    def detect(self, image):
        self.whole += 1
        return self._road_users()

    def detect_tiles(self, image, tiles):
        self.tiled.append(tiles)
        return self._road_users()

    def _road_users(self):
        rows = np.linspace(150, 470, 12)
        heights = [PERSPECTIVE.height_at(r) for r in rows]
        boxes = [[400, r - h, 420, r] for r, h in zip(rows, heights, strict=True)]
        return self.make_detections(boxes, ["person"] * len(boxes), confidence=0.8)


def test_the_zones_are_surveyed_until_the_perspective_is_learnt_then_planned(
    make_detections, make_camera
):
    detector = CountingDetector(make_detections)
    lane = {"id": "nb", "polygon": LANE, "direction": [0, -1]}
    camera = make_camera(frame_size=[W, H], crosswalks=[], lanes=[lane])
    focus = ZoneFocus(detector, camera, (W, H))
    survey = focus.tiles
    image = np.zeros((H, W, 3), np.uint8)

    for _ in range(5):
        focus.detect(image)

    assert detector.whole == 0  # the zones only, from the first frame
    assert detector.tiled[0] == survey and detector.tiled[-1] == focus.tiles != survey
    assert len({scale(t) for t in survey}) == 1  # one scale before the perspective is known
    assert focus.perspective.height_at(300) == pytest.approx(PERSPECTIVE.height_at(300), rel=0.1)


def test_a_camera_without_zones_is_looked_at_whole(make_detections, make_camera):
    detector = CountingDetector(make_detections)
    focus = ZoneFocus(detector, make_camera(crosswalks=[], lanes=[], signals=[]), (640, 480))

    for _ in range(5):
        focus.detect(np.zeros((480, 640, 3), np.uint8))

    assert detector.whole == 5 and not detector.tiled


def test_one_road_user_found_by_two_tiles_is_kept_once_but_neighbours_stay(make_detections):
    fine = make_detections([[100, 100, 130, 160], [131, 100, 161, 160]], ["person", "person"])
    coarse = make_detections(
        [[101, 99, 131, 161], [100, 110, 130, 160]], ["person", "motorcycle"], confidence=0.5
    )

    merged = merge([fine, coarse])

    assert sorted(merged.class_id.tolist()) == [0, 0, 3]  # the second find of person 1 went
    assert 0.5 not in merged.confidence[merged.class_id == 0].tolist()
