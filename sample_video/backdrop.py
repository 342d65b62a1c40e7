"""The empty street: asphalt, paving, road markings and shopfronts, painted once per clip.

The ground is painted flat, in metres, on a top-down raster and warped into the picture with the
camera's homography, so stripes converge and textures shrink with distance as a real camera
sees them. Textures are scikit-image's bundled ``gravel.png`` (asphalt) and ``brick.png`` (paving).
"""

from __future__ import annotations

import cv2
import numpy as np

from sample_video import scene
from sample_video.sprites import package_file

RASTER_PX_PER_M = 80
RASTER_X_M = (-16.0, 16.0)
RASTER_DEPTH_M = (14.3, 25.0)
SUPERSAMPLE = 2  # warp at twice the size, then shrink: antialiased paint edges

ASPHALT = (74, 76, 79)
PAVING = (128, 134, 142)
KERB = (168, 171, 174)
WHITE_PAINT = (214, 218, 221)
YELLOW_PAINT = (40, 168, 214)
TACTILE_YELLOW = (36, 172, 222)

LINE_HALF_WIDTH_M = 0.075
STOP_LINE_HALF_WIDTH_M = 0.15
KERB_WIDTH_M = 0.15
ARROW_X_M = (-7.5, 6.5)
ARROW_DEPTH_M = 16.6

# Ground-floor shops along the far pavement: (width m, signboard BGR, glass BGR).
SHOPS = [
    (4.5, (40, 40, 170), (92, 84, 74)),
    (3.5, (150, 110, 30), (86, 80, 72)),
    (5.0, (50, 120, 190), (70, 70, 66)),
    (4.0, (60, 60, 60), (98, 90, 80)),
    (4.5, (120, 96, 70), (80, 76, 70)),  # behind the signal head: neither red nor green
    (3.5, (120, 140, 40), (90, 86, 80)),
    (5.0, (40, 90, 160), (74, 70, 64)),
]
SHOP_STOREY_M = 3.6
SIGNBOARD_M = 0.9


def render_backdrop() -> np.ndarray:
    """The street without road users or signal lamps, BGR, frame-sized."""
    raster = ground_raster()
    size = (scene.FRAME_WIDTH * SUPERSAMPLE, scene.FRAME_HEIGHT * SUPERSAMPLE)
    warp = np.diag([SUPERSAMPLE, SUPERSAMPLE, 1.0]) @ scene.ground_homography(
        1 / RASTER_PX_PER_M, RASTER_X_M[0], RASTER_DEPTH_M[0]
    )
    ground = cv2.warpPerspective(raster, warp, size, flags=cv2.INTER_LINEAR)
    frame_size = (scene.FRAME_WIDTH, scene.FRAME_HEIGHT)
    picture = cv2.resize(ground, frame_size, interpolation=cv2.INTER_AREA)
    _paint_shopfronts(picture)
    _paint_signal_pole(picture)
    # CCTV optics are never razor sharp.
    return cv2.GaussianBlur(picture, (3, 3), 0.8)


def ground_raster() -> np.ndarray:
    width = round((RASTER_X_M[1] - RASTER_X_M[0]) * RASTER_PX_PER_M)
    height = round((RASTER_DEPTH_M[1] - RASTER_DEPTH_M[0]) * RASTER_PX_PER_M)
    x_m, depth_m = np.meshgrid(
        RASTER_X_M[0] + (np.arange(width) + 0.5) / RASTER_PX_PER_M,
        RASTER_DEPTH_M[0] + (np.arange(height) + 0.5) / RASTER_PX_PER_M,
    )
    on_road = (depth_m >= scene.NEAR_CURB_M) & (depth_m <= scene.FAR_CURB_M)
    asphalt = _shaded(ASPHALT, _tiled_texture("gravel", (height, width), 0.25), 0.12)
    paving = _shaded(PAVING, _tiled_texture("brick", (height, width), 0.25, rotate=True), 0.25)
    rng = np.random.default_rng(scene.SEED)
    grime = 1 + 0.05 * _blotches(rng, (height, width), cell_px=64)
    image = np.where(on_road[..., None], asphalt, paving) * grime[..., None]
    image[on_road & _wheel_tracks(depth_m)] *= 0.92
    wear = np.clip(0.93 + 0.12 * _blotches(rng, (height, width), cell_px=24), 0.72, 1.0)
    paint = [
        (_kerbs(depth_m), KERB),
        (_zebra(x_m, depth_m) | _white_lines(x_m, depth_m) | _arrows(x_m, depth_m), WHITE_PAINT),
        (_centre_lines(x_m, depth_m), YELLOW_PAINT),
        (_tactile_strips(x_m, depth_m), TACTILE_YELLOW),
    ]
    for mask, colour in paint:
        # Paint takes on the grain of what lies beneath it and is worn off in patches.
        fresh = _shaded(colour, image[mask].mean(axis=-1, keepdims=True) / 128, 0.25)
        alpha = wear[mask][:, None]
        image[mask] = alpha * fresh + (1 - alpha) * image[mask]
    return np.clip(image, 0, 255).astype(np.uint8)


def _blotches(rng: np.random.Generator, shape: tuple[int, int], cell_px: int) -> np.ndarray:
    """Smooth unit-variance noise with patches about ``cell_px`` across: grime and wear."""
    coarse = rng.normal(0.0, 1.0, (shape[0] // cell_px + 2, shape[1] // cell_px + 2))
    return cv2.resize(coarse.astype(np.float32), shape[::-1], interpolation=cv2.INTER_CUBIC)


def _wheel_tracks(depth_m: np.ndarray) -> np.ndarray:
    """Cars polish two darker tracks along the middle of each traffic lane."""
    tracks = (18.3, 19.4, 20.9, 22.0)
    return np.min([np.abs(depth_m - track) for track in tracks], axis=0) < 0.3


def _tiled_texture(
    name: str, shape: tuple[int, int], scale: float, rotate: bool = False
) -> np.ndarray:
    texture = cv2.imread(str(package_file("skimage", f"data/{name}.png")), cv2.IMREAD_GRAYSCALE)
    if rotate:
        texture = cv2.rotate(texture, cv2.ROTATE_90_CLOCKWISE)
    texture = cv2.resize(texture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # Mirrored tiles meet without seams.
    tile = np.block([[texture, texture[:, ::-1]], [texture[::-1], texture[::-1, ::-1]]])
    reps = (-(-shape[0] // tile.shape[0]), -(-shape[1] // tile.shape[1]))
    return (np.tile(tile, reps)[: shape[0], : shape[1], None] / 128.0).astype(np.float32)


def _shaded(colour: tuple[int, int, int], texture: np.ndarray, strength: float) -> np.ndarray:
    return np.array(colour, np.float32) * (1 + strength * (texture - 1))


def _kerbs(depth_m: np.ndarray) -> np.ndarray:
    near = (depth_m < scene.NEAR_CURB_M) & (depth_m >= scene.NEAR_CURB_M - KERB_WIDTH_M)
    far = (depth_m > scene.FAR_CURB_M) & (depth_m <= scene.FAR_CURB_M + KERB_WIDTH_M)
    return near | far


def _zebra(x_m: np.ndarray, depth_m: np.ndarray) -> np.ndarray:
    into = depth_m - scene.ZEBRA_FIRST_STRIPE_M
    inside = (np.abs(x_m) <= scene.ZEBRA_HALF_WIDTH_M) & (into >= 0)
    inside &= depth_m <= scene.ZEBRA_LAST_STRIPE_M
    return inside & (into % (2 * scene.ZEBRA_STRIPE_M) < scene.ZEBRA_STRIPE_M)


def _white_lines(x_m: np.ndarray, depth_m: np.ndarray) -> np.ndarray:
    """The bike-lane line (broken by the zebra) and the two stop lines before it."""
    lane_line = np.abs(depth_m - scene.BIKE_LANE_FAR_EDGE_M) < LINE_HALF_WIDTH_M
    lane_line &= np.abs(x_m) > scene.STOP_LINE_OFFSET_M
    near_stop = np.abs(x_m + scene.STOP_LINE_OFFSET_M) < STOP_LINE_HALF_WIDTH_M
    near_stop &= (depth_m >= scene.NEAR_CURB_M) & (depth_m <= scene.CENTRE_LINE_M)
    far_stop = np.abs(x_m - scene.STOP_LINE_OFFSET_M) < STOP_LINE_HALF_WIDTH_M
    far_stop &= (depth_m >= scene.CENTRE_LINE_M) & (depth_m <= scene.FAR_CURB_M)
    return lane_line | near_stop | far_stop


def _centre_lines(x_m: np.ndarray, depth_m: np.ndarray) -> np.ndarray:
    double = np.minimum(
        np.abs(depth_m - scene.CENTRE_LINE_M + 0.12), np.abs(depth_m - scene.CENTRE_LINE_M - 0.12)
    )
    return (double < 0.06) & (np.abs(x_m) > scene.STOP_LINE_OFFSET_M)


def _arrows(x_m: np.ndarray, depth_m: np.ndarray) -> np.ndarray:
    """Arrows pointing the bike lane's legal way (towards +x)."""
    across = np.abs(depth_m - ARROW_DEPTH_M)
    marks = np.zeros_like(x_m, dtype=bool)
    for centre in ARROW_X_M:
        along = x_m - centre
        shaft = (along >= -1.0) & (along < 0.3) & (across < 0.08)
        head = (along >= 0.3) & (along <= 1.0) & (across < 0.32 * (1.0 - along) / 0.7)
        marks |= shaft | head
    return marks


def _tactile_strips(x_m: np.ndarray, depth_m: np.ndarray) -> np.ndarray:
    """Yellow guidance paving where the crossing meets each pavement."""
    width = np.abs(x_m) <= scene.ZEBRA_HALF_WIDTH_M
    near = np.abs(depth_m - (scene.NEAR_CURB_M - 0.55)) < 0.2
    far = np.abs(depth_m - (scene.FAR_CURB_M + 0.55)) < 0.2
    return width & (near | far)


def _paint_shopfronts(picture: np.ndarray) -> None:
    """Shops stand on the far edge of the pavement, a vertical plane at one depth."""
    depth = scene.FAR_PAVEMENT_END_M
    scale = scene.px_per_metre(depth)
    base = round(scene.to_image(0.0, depth)[1])
    storey_top = round(base - SHOP_STOREY_M * scale)
    wall = _tiled_texture("brick", (base, scene.FRAME_WIDTH), 0.3)
    picture[:base] = np.clip(_shaded((150, 160, 172), wall, 0.3), 0, 255).astype(np.uint8)
    for row in range(max(0, storey_top - 70), storey_top, 26):
        for x in range(-10, scene.FRAME_WIDTH, 64):
            cv2.rectangle(picture, (x + 14, row + 6), (x + 50, row + 20), (96, 88, 80), -1)
    left = -sum(width for width, _, _ in SHOPS) / 2
    for width, sign, glass in SHOPS:
        x0 = round(scene.to_image(left, depth)[0])
        x1 = round(scene.to_image(left + width, depth)[0])
        sign_bottom = round(storey_top + SIGNBOARD_M * scale)
        cv2.rectangle(picture, (x0, storey_top), (x1, sign_bottom), sign, -1)
        lettering = tuple(min(255, c + 150) for c in sign)
        cv2.rectangle(picture, (x0 + 12, storey_top + 9), (x1 - 12, sign_bottom - 9), lettering, -1)
        _paint_glass(picture, (x0 + 5, sign_bottom + 4, x1 - 5, base), glass)
        door = (x0 + x1) // 2
        cv2.rectangle(picture, (door - 12, sign_bottom + 14), (door + 12, base), (60, 58, 54), -1)
        cv2.line(picture, (x0, storey_top), (x0, base), (170, 174, 178), 6)
        left += width


def _paint_glass(
    picture: np.ndarray, box: tuple[int, int, int, int], colour: tuple[int, int, int]
) -> None:
    """Shop windows reflect the bright sky at the top and darken towards the floor."""
    x0, y0, x1, y1 = box
    rows = np.linspace(1.35, 0.8, max(1, y1 - y0), dtype=np.float32)[:, None, None]
    pane = np.clip(np.array(colour, np.float32) * rows, 0, 255).astype(np.uint8)
    picture[y0:y1, max(0, x0) : max(0, x1)] = pane
    for x in range(x0 + 30, x1 - 10, 40):
        cv2.line(picture, (x, y0), (x, y1), (120, 124, 128), 2)


def _paint_signal_pole(picture: np.ndarray) -> None:
    pole_x, foot_y = scene.to_image(scene.SIGNAL_POLE_X_M, scene.SIGNAL_POLE_DEPTH_M)
    _, head_y, _, _ = scene.signal_head_box()
    cv2.line(picture, (round(pole_x), round(foot_y)), (round(pole_x), head_y), (70, 72, 74), 5)
