"""Two-wheelers with riders: the Middlebury motorcycle, a seated person from bus.jpg on its saddle,
legs drawn to the footpeg and, for couriers, a yellow delivery box on the rear rack.

Positions are in pixels of the motorcycle sprite (593 x 351, facing right) at the photo's scale.
"""

from __future__ import annotations

import cv2
import numpy as np

from sample_video.sprites import (
    MOTORCYCLE_PX_PER_M,
    PERSON_PX_PER_M,
    Sprite,
    paste,
    scaled,
)

SADDLE_HIP = (182, 132)  # where a rider's hips rest, sunk a little into the saddle
KNEE = (305, 112)
ANKLE = (282, 238)
THIGH_WIDTH_PX, SHIN_WIDTH_PX = 46, 34
# Meituan-style delivery box: about 0.45 m, sitting on the rack behind the rider.
COURIER_BOX = (6, 100, 145, 125)  # left, bottom (on the rack), width, height
COURIER_YELLOW = (22, 196, 250)  # BGR
COURIER_SHADE = (10, 150, 205)


def ridden(
    bike: Sprite,
    rider_torso: Sprite,
    trouser_colour: tuple[int, int, int],
    courier_box: bool,
) -> Sprite:
    """The bike facing right with its rider (and box), tightly cropped."""
    torso = scaled(rider_torso, MOTORCYCLE_PX_PER_M / PERSON_PX_PER_M)
    headroom = max(0, torso.shape[0] - SADDLE_HIP[1])
    height, width = bike.shape[:2]
    canvas = np.zeros((height + headroom, width, 4), np.uint8)
    paste(canvas, bike, 0, headroom)
    if courier_box:
        _draw_courier_box(canvas, headroom)
    hip_x, hip_y = SADDLE_HIP[0], SADDLE_HIP[1] + headroom
    _draw_legs(canvas, (hip_x, hip_y), headroom, trouser_colour)
    paste(canvas, torso, hip_x - torso.shape[1] // 2, hip_y - torso.shape[0])
    x, y, w, h = cv2.boundingRect((canvas[:, :, 3] > 0).astype(np.uint8))
    return canvas[y : y + h, x : x + w].copy()


def _draw_legs(
    canvas: Sprite, hip: tuple[int, int], headroom: int, colour: tuple[int, int, int]
) -> None:
    knee = (KNEE[0], KNEE[1] + headroom)
    ankle = (ANKLE[0], ANKLE[1] + headroom)
    paint = (*colour, 255)
    cv2.line(canvas, hip, knee, paint, THIGH_WIDTH_PX, cv2.LINE_AA)
    cv2.line(canvas, knee, ankle, paint, SHIN_WIDTH_PX, cv2.LINE_AA)
    cv2.circle(canvas, knee, THIGH_WIDTH_PX // 2, paint, -1, cv2.LINE_AA)
    shoe_centre = (ankle[0] + 14, ankle[1] + 10)
    cv2.ellipse(canvas, shoe_centre, (34, 14), 0, 0, 360, (25, 25, 30, 255), -1, cv2.LINE_AA)


def _draw_courier_box(canvas: Sprite, headroom: int) -> None:
    x, bottom, w, h = COURIER_BOX
    top = bottom + headroom - h
    lid = max(8, h // 6)
    cv2.rectangle(canvas, (x, top), (x + w, top + h), (*COURIER_YELLOW, 255), -1)
    # A lighter lid and a darker side face read as a box, not a flat sticker.
    cv2.rectangle(canvas, (x, top), (x + w, top + lid), (70, 220, 255, 255), -1)
    cv2.rectangle(canvas, (x + w - w // 7, top + lid), (x + w, top + h), (*COURIER_SHADE, 255), -1)
    cv2.rectangle(canvas, (x, top), (x + w, top + h), (15, 90, 140, 255), 3)
