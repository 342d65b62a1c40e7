"""One frame of the clip: the backdrop, the signal head's lamps, the road users with their
shadows and the camera's on-screen clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import cv2
import numpy as np

from sample_video import scene
from sample_video.cast import oriented
from sample_video.script import Placement, frame_time, lamps_lit
from sample_video.sprites import Sprite

HOUSING = (34, 34, 36)
RED_LIT, RED_DARK = (60, 50, 255), (38, 34, 70)
GREEN_LIT, GREEN_DARK = (120, 235, 40), (44, 66, 40)
SHADOW_DARKNESS = 0.4
CLOCK_ORIGIN = (12, 22)
CLOCK_FONT = cv2.FONT_HERSHEY_SIMPLEX


def render_frame(
    index: int,
    backdrop: np.ndarray,
    looks: dict[str, Sprite],
    placements: list[Placement],
    start: datetime,
) -> np.ndarray:
    t = frame_time(index)
    frame = backdrop.copy()
    draw_signal_head(frame, *lamps_lit(t))
    for placed in placements:
        _draw_shadow(frame, placed)
        sprite = oriented(looks[placed.actor.look], placed.mirrored)
        resized = cv2.resize(sprite, (placed.width, placed.height), interpolation=cv2.INTER_AREA)
        _blend(frame, resized, placed.x0, placed.y0)
    _draw_clock(frame, start + timedelta(seconds=int(t)))
    return frame


def draw_signal_head(frame: np.ndarray, red_lit: bool, green_lit: bool) -> None:
    x, y, w, h = scene.signal_head_box()
    cv2.rectangle(frame, (x, y), (x + w - 1, y + h - 1), HOUSING, -1)
    cv2.rectangle(frame, (x, y), (x + w - 1, y + h - 1), (70, 70, 72), 1)
    red_centre, green_centre = scene.lamp_centres()
    for centre, lit, on, off in (
        (red_centre, red_lit, RED_LIT, RED_DARK),
        (green_centre, green_lit, GREEN_LIT, GREEN_DARK),
    ):
        cv2.circle(frame, centre, scene.SIGNAL_LAMP_RADIUS_PX, on if lit else off, -1, cv2.LINE_AA)
        if lit:
            # LEDs saturate the sensor at their core.
            core = tuple(min(255, c + 120) for c in on)
            cv2.circle(frame, centre, scene.SIGNAL_LAMP_RADIUS_PX // 2, core, -1, cv2.LINE_AA)


def _draw_shadow(frame: np.ndarray, placed: Placement) -> None:
    ground_y = scene.to_image(0.0, placed.depth_m)[1]
    if placed.actor.kind == "person":
        centre = (placed.x0 + placed.width / 2, ground_y)
        axes = (placed.width * 0.55, placed.width * 0.1)
    else:
        # The photo shows the bike turned a little: its rear tyre stands higher than the front.
        centre = (placed.x0 + placed.width / 2, ground_y - 0.07 * placed.height)
        axes = (placed.width * 0.42, placed.width * 0.07)
    x0, x1 = int(centre[0] - axes[0]) - 2, int(centre[0] + axes[0]) + 3
    y0, y1 = int(centre[1] - axes[1]) - 2, int(centre[1] + axes[1]) + 3
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(scene.FRAME_WIDTH, x1), min(scene.FRAME_HEIGHT, y1)
    if x1 <= x0 or y1 <= y0:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    local = (round(centre[0] - x0), round(centre[1] - y0))
    cv2.ellipse(mask, local, (round(axes[0]), max(1, round(axes[1]))), 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (5, 5), 0)[..., None]
    region = frame[y0:y1, x0:x1]
    region[:] = (region * (1 - SHADOW_DARKNESS * mask)).astype(np.uint8)


def _blend(frame: np.ndarray, sprite: Sprite, x: int, y: int) -> None:
    """Alpha-blend a BGRA sprite whose top-left is (x, y); parts off the frame are dropped."""
    fx0, fy0 = max(0, x), max(0, y)
    fx1 = min(scene.FRAME_WIDTH, x + sprite.shape[1])
    fy1 = min(scene.FRAME_HEIGHT, y + sprite.shape[0])
    if fx1 <= fx0 or fy1 <= fy0:
        return
    part = sprite[fy0 - y : fy1 - y, fx0 - x : fx1 - x]
    alpha = part[:, :, 3:4].astype(np.float32) / 255
    region = frame[fy0:fy1, fx0:fx1]
    region[:] = (part[:, :, :3] * alpha + region * (1 - alpha) + 0.5).astype(np.uint8)


def _draw_clock(frame: np.ndarray, moment: datetime) -> None:
    """The on-screen display every CCTV camera burns in: date, time and camera id."""
    text = f"{moment:%Y-%m-%d %H:%M:%S}  {scene.CAMERA_ID.upper()}"
    (width, height), _ = cv2.getTextSize(text, CLOCK_FONT, 0.55, 3)
    x, y = CLOCK_ORIGIN
    # A dimmed backing keeps the text legible over the bright shop signs.
    band = frame[y - height - 6 : y + 7, x - 6 : x + width + 8]
    band[:] = band // 3
    for colour, thickness in (((0, 0, 0), 3), ((235, 235, 235), 1)):
        cv2.putText(frame, text, CLOCK_ORIGIN, CLOCK_FONT, 0.55, colour, thickness, cv2.LINE_AA)
