import numpy as np
import pytest

from sample_video import scene


@pytest.mark.parametrize(("x_m", "depth_m"), [(0.0, 15.0), (-4.2, 17.3), (6.5, 23.9)])
def test_rows_and_columns_map_back_to_the_ground_point(x_m: float, depth_m: float) -> None:
    x, y = scene.to_image(x_m, depth_m)
    depth = scene.depth_of_row(y)
    assert depth == pytest.approx(depth_m)
    assert scene.ground_x_of(x, depth) == pytest.approx(x_m)


def test_ground_homography_agrees_with_the_camera_model() -> None:
    metres_per_px, x0, depth0 = 0.01, -16.0, 14.3
    homography = scene.ground_homography(metres_per_px, x0, depth0)
    for u, v in [(0, 0), (1600, 300), (3000, 1000)]:
        projected = homography @ np.array([u, v, 1.0])
        expected = scene.to_image(x0 + u * metres_per_px, depth0 + v * metres_per_px)
        assert projected[:2] / projected[2] == pytest.approx(expected)


def test_far_things_look_smaller() -> None:
    assert scene.px_per_metre(23.0) < scene.px_per_metre(16.0)
    near_edge, far_edge = scene.crosswalk_polygon()[:2], scene.crosswalk_polygon()[2:]
    assert abs(near_edge[1][0] - near_edge[0][0]) > abs(far_edge[0][0] - far_edge[1][0])


def test_zones_lie_inside_the_frame_and_on_the_road() -> None:
    road_rows = (scene.to_image(0, scene.FAR_CURB_M)[1], scene.to_image(0, scene.NEAR_CURB_M)[1])
    for x, y in scene.crosswalk_polygon() + scene.lane_polygon():
        assert 0 <= x <= scene.FRAME_WIDTH
        assert road_rows[0] - 0.1 <= y <= road_rows[1] + 0.1


def test_signal_roi_holds_both_lamps_with_room_to_spare() -> None:
    x, y, w, h = scene.signal_roi()
    hx, hy, hw, hh = scene.signal_head_box()
    assert x < hx and y < hy and x + w > hx + hw and y + h > hy + hh
    red, green = scene.lamp_centres()
    assert red[0] == green[0] and red[1] < green[1]  # vertical head, red on top
    radius = scene.SIGNAL_LAMP_RADIUS_PX
    for cx, cy in (red, green):
        assert hx + radius <= cx <= hx + hw - radius
        assert hy <= cy - radius and cy + radius <= hy + hh
