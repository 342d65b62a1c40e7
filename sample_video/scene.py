"""Where things are: the camera model and the street layout of the sample intersection.

The street is described in metres on the ground plane: ``x_m`` runs along the road (to the right
of the picture), ``depth_m`` is the distance from the camera along the ground. A pinhole camera
mounted high above the near pavement looks across the road, so ground lines of equal depth are
horizontal rows of the picture and everything shrinks with depth. The renderer, the camera YAML
and the ground truth all derive their pixels from these numbers, so they cannot disagree.
"""

from __future__ import annotations

import numpy as np

FRAME_WIDTH, FRAME_HEIGHT = 960, 540
FPS = 10
DURATION_S = 24.0
SEED = 20261116  # every pseudo-random texture and noise draws from this
FRAME_COUNT = round(DURATION_S * FPS)

FOCAL_PX = 1100.0
CAMERA_HEIGHT_M = 12.5
# The horizon lies above the picture: the camera is tilted down, CCTV style.
HORIZON_Y = -405.0
CENTRE_X = FRAME_WIDTH / 2

# Depths (metres from the camera) of the street's bands, near to far.
NEAR_CURB_M = 15.6
BIKE_LANE_FAR_EDGE_M = 17.6
CENTRE_LINE_M = 20.0
FAR_CURB_M = 22.4
FAR_PAVEMENT_END_M = 24.6

# The zebra spans this stretch of road; its stripes start and end a little inside each kerb,
# stripes and gaps equally wide.
ZEBRA_HALF_WIDTH_M = 2.5
ZEBRA_FIRST_STRIPE_M = NEAR_CURB_M + 0.25
ZEBRA_LAST_STRIPE_M = FAR_CURB_M - 0.25
ZEBRA_STRIPES = 8
ZEBRA_STRIPE_M = (ZEBRA_LAST_STRIPE_M - ZEBRA_FIRST_STRIPE_M) / (2 * ZEBRA_STRIPES - 1)
STOP_LINE_OFFSET_M = 3.1

# Pedestrian signal pole on the far pavement, just right of the zebra.
SIGNAL_POLE_X_M = 3.3
SIGNAL_POLE_DEPTH_M = 22.9
SIGNAL_POLE_HEIGHT_M = 2.7
# Drawn larger than a real head (about 0.3 x 0.7 m) so that a 960 px picture shows lit lamps.
SIGNAL_HEAD_SIZE_PX = (24, 52)
SIGNAL_LAMP_RADIUS_PX = 8

LANE_DIRECTION = (1.0, 0.0)  # legal travel in the bike lane: left to right in the picture

CAMERA_ID = "sample-xingfu-01"
CROSSWALK_ID = "xingfu_west"
LANE_ID = "eb_bike"
SIGNAL_ID = "ped_main"


def to_image(x_m: float, depth_m: float) -> tuple[float, float]:
    """Pixel position of a ground point."""
    return CENTRE_X + FOCAL_PX * x_m / depth_m, HORIZON_Y + FOCAL_PX * CAMERA_HEIGHT_M / depth_m


def depth_of_row(y: float | np.ndarray) -> float | np.ndarray:
    """Ground depth seen at picture row ``y`` (the inverse of ``to_image`` for y)."""
    return FOCAL_PX * CAMERA_HEIGHT_M / (y - HORIZON_Y)


def ground_x_of(x: float | np.ndarray, depth_m: float | np.ndarray) -> float | np.ndarray:
    return (x - CENTRE_X) * depth_m / FOCAL_PX


def px_per_metre(depth_m: float) -> float:
    return FOCAL_PX / depth_m


def ground_homography(metres_per_px: float, x0_m: float, depth0_m: float) -> np.ndarray:
    """Maps a top-down raster (column u, row v; ``metres_per_px``, origin at ``x0_m``,
    ``depth0_m``; depth growing with v) onto the picture. Perspective on a plane is a
    homography, so the whole ground can be painted flat and warped in one call."""
    ground_from_raster = np.array(
        [[metres_per_px, 0.0, x0_m], [0.0, metres_per_px, depth0_m], [0.0, 0.0, 1.0]]
    )
    # (x, depth) -> (CENTRE_X * depth + f x, HORIZON_Y * depth + f H, depth), divided by depth.
    image_from_ground = np.array(
        [[FOCAL_PX, CENTRE_X, 0.0], [0.0, HORIZON_Y, FOCAL_PX * CAMERA_HEIGHT_M], [0.0, 1.0, 0.0]]
    )
    return image_from_ground @ ground_from_raster


def _row(depth_m: float) -> float:
    return to_image(0.0, depth_m)[1]


def crosswalk_polygon() -> list[tuple[float, float]]:
    """The zebra's outline in pixels, near edge first."""
    corners = [
        (-ZEBRA_HALF_WIDTH_M, ZEBRA_FIRST_STRIPE_M),
        (ZEBRA_HALF_WIDTH_M, ZEBRA_FIRST_STRIPE_M),
        (ZEBRA_HALF_WIDTH_M, ZEBRA_LAST_STRIPE_M),
        (-ZEBRA_HALF_WIDTH_M, ZEBRA_LAST_STRIPE_M),
    ]
    return [_rounded(to_image(x, d)) for x, d in corners]


def lane_polygon() -> list[tuple[float, float]]:
    """The bike lane across the whole picture: rows between the kerb and the lane line."""
    near, far = round(_row(NEAR_CURB_M), 1), round(_row(BIKE_LANE_FAR_EDGE_M), 1)
    return [(0.0, near), (float(FRAME_WIDTH), near), (float(FRAME_WIDTH), far), (0.0, far)]


def signal_head_box() -> tuple[int, int, int, int]:
    """[x, y, w, h] of the drawn signal head, hung on the pole a little below its top."""
    pole_x, pole_foot_y = to_image(SIGNAL_POLE_X_M, SIGNAL_POLE_DEPTH_M)
    pole_top_y = pole_foot_y - SIGNAL_POLE_HEIGHT_M * px_per_metre(SIGNAL_POLE_DEPTH_M)
    width, height = SIGNAL_HEAD_SIZE_PX
    return round(pole_x - width / 2), round(pole_top_y - height / 4), width, height


def signal_roi() -> tuple[int, int, int, int]:
    """The head plus a few pixels of margin, as a traffic engineer would box it."""
    x, y, w, h = signal_head_box()
    margin = 4
    return x - margin, y - margin, w + 2 * margin, h + 2 * margin


def lamp_centres() -> tuple[tuple[int, int], tuple[int, int]]:
    """Centres of the red (top) and green (bottom) lamps."""
    x, y, w, h = signal_head_box()
    return (x + w // 2, y + h // 4), (x + w // 2, y + 3 * h // 4)


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return round(point[0], 1), round(point[1], 1)
