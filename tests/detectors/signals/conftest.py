"""Rendered signal heads: lamp discs on a dark housing, and the ways cameras spoil them."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from detectors.signals.states import SignalState

RED, AMBER, GREEN = SignalState.RED, SignalState.AMBER, SignalState.GREEN
VEHICLE_LAMPS = (RED, AMBER, GREEN)
PEDESTRIAN_LAMPS = (RED, GREEN)
# Lamp colours as cameras usually render them (BGR).
LAMP_BGR = {RED: (40, 30, 230), AMBER: (20, 160, 250), GREEN: (150, 230, 30)}
LENS_DARK_BGR = (58, 55, 52)
HOUSING_BGR = (38, 36, 34)
LAMP_PX = 16  # lens diameter
FRAME_HW = (200, 240)
HEAD_ORIGIN = (150, 40)  # x, y of the housing's top-left corner


@dataclass
class Head:
    """A frame with one signal head and the roi [x, y, w, h] around it."""

    frame: np.ndarray
    roi: tuple[int, int, int, int]
    lens_centres: list[tuple[int, int]]

    def crop(self) -> np.ndarray:
        x, y, w, h = self.roi
        return self.frame[y : y + h, x : x + w]


def render_head(
    lit: tuple[SignalState, ...] = (),
    lamps: tuple[SignalState, ...] = VEHICLE_LAMPS,
    layout: str = "vertical",
    colours: dict[SignalState, tuple[int, int, int]] | None = None,
) -> Head:
    """Lamps in ``lit`` glow in ``colours`` (default ``LAMP_BGR``) on a grey street scene."""
    colours = colours or LAMP_BGR
    rng = np.random.default_rng(7)
    frame = np.clip(rng.normal(125, 12, (*FRAME_HW, 3)), 0, 255).astype(np.uint8)
    pitch = int(LAMP_PX * 1.5)
    along, across = pitch * len(lamps), pitch
    w, h = (across, along) if layout == "vertical" else (along, across)
    x0, y0 = HEAD_ORIGIN
    cv2.rectangle(frame, (x0, y0), (x0 + w - 1, y0 + h - 1), HOUSING_BGR, -1)
    centres = []
    glow = np.zeros(frame.shape, np.float32)
    for index, lamp in enumerate(lamps):
        along_px, across_px = pitch * index + pitch // 2, pitch // 2
        vertical = layout == "vertical"
        centre = (x0 + across_px, y0 + along_px) if vertical else (x0 + along_px, y0 + across_px)
        centres.append(centre)
        colour = colours[lamp] if lamp in lit else LENS_DARK_BGR
        cv2.circle(frame, centre, LAMP_PX // 2, colour, -1, cv2.LINE_AA)
        if lamp in lit:
            cv2.circle(glow, centre, LAMP_PX // 2, colour, -1, cv2.LINE_AA)
    halo = cv2.GaussianBlur(glow, (0, 0), LAMP_PX / 4) * 0.6
    frame = np.clip(frame + halo, 0, 255).astype(np.uint8)
    return Head(frame, (x0, y0, w, h), centres)


def with_exposure(head: Head, gain: float) -> Head:
    return Head(np.clip(head.frame * gain, 0, 255).astype(np.uint8), head.roi, head.lens_centres)


def with_bloom(head: Head, lamp_index: int, radius_scale: float = 1.2) -> Head:
    """Night glare: a blurred, saturating white halo around a lamp, wider than its lens."""
    halo = np.zeros(head.frame.shape[:2], np.float32)
    cv2.circle(halo, head.lens_centres[lamp_index], int(LAMP_PX * radius_scale / 2), 255.0, -1)
    halo = cv2.GaussianBlur(halo, (0, 0), LAMP_PX / 3) * 1.6
    frame = np.clip(head.frame + halo[..., None], 0, 255).astype(np.uint8)
    return Head(frame, head.roi, head.lens_centres)


def with_night_glow(
    head: Head, lamp_index: int, colour: tuple[int, int, int], halo_gain: float = 2.2
) -> Head:
    """A lamp at night on a long exposure: a clipped white core wider than the lens, and a halo of
    its colour that lights the housing, the neighbouring lenses and the sky around the head."""
    dark = np.clip(head.frame * 0.35, 0, 255).astype(np.float32)
    centre = head.lens_centres[lamp_index]
    glow = np.zeros(dark.shape, np.float32)
    cv2.circle(glow, centre, int(LAMP_PX * 1.6), colour, -1, cv2.LINE_AA)
    glow = cv2.GaussianBlur(glow, (0, 0), LAMP_PX * 0.9) * halo_gain
    core = np.zeros(dark.shape[:2], np.float32)
    cv2.circle(core, centre, int(LAMP_PX * 0.6), 255.0, -1, cv2.LINE_AA)
    core = cv2.GaussianBlur(core, (0, 0), 2.0) * 1.5
    frame = np.clip(dark + glow + core[..., None], 0, 255).astype(np.uint8)
    return Head(frame, head.roi, head.lens_centres)


def with_haze_glow(
    head: Head, lamp_index: int, colour: tuple[int, int, int], halo: float, peak: float
) -> Head:
    """A lamp at night through haze, on an exposure that does not clip: its colour lights the
    whole head (up to ``halo`` grey levels at the lamp), and its white core peaks at ``peak``."""
    light = np.clip(head.frame * 0.35, 0, 255).astype(np.float32)
    cx, cy = head.lens_centres[lamp_index]
    glow = np.zeros(light.shape, np.float32)
    cv2.circle(glow, (cx, cy), LAMP_PX * 3, colour, -1, cv2.LINE_AA)
    glow = cv2.GaussianBlur(glow, (0, 0), LAMP_PX * 2.5)
    light += glow * halo / glow[cy, cx].max()
    core = np.zeros(light.shape[:2], np.float32)
    cv2.circle(core, (cx, cy), LAMP_PX // 2, 1.0, -1, cv2.LINE_AA)
    core = cv2.GaussianBlur(core, (0, 0), LAMP_PX / 4)
    light += (core * (peak - light[cy, cx].max()) / core.max())[..., None]
    return Head(np.clip(light, 0, 255).astype(np.uint8), head.roi, head.lens_centres)


def shifted_roi(head: Head, dx: int, dy: int) -> Head:
    """The same frame with the roi drawn ``dx``, ``dy`` pixels off the head."""
    x, y, w, h = head.roi
    return Head(head.frame, (x + dx, y + dy, w, h), head.lens_centres)


def with_countdown(
    head: Head, text: str, colour: tuple[int, int, int], lamp_index: int, beside: bool
) -> Head:
    """Countdown digits drawn in a lamp's lens, or on a panel beside it inside the roi."""
    frame = head.frame.copy()
    cx, cy = head.lens_centres[lamp_index]
    x, y, w, h = head.roi
    roi = head.roi
    if beside:
        panel_w = w
        cv2.rectangle(frame, (x + w, y), (x + w + panel_w - 1, y + h - 1), HOUSING_BGR, -1)
        origin = (x + w + 1, cy + LAMP_PX // 2 - 1)
        roi = (x, y, w + panel_w, h)  # a box drawn around head and countdown together
    else:
        cv2.circle(frame, (cx, cy), LAMP_PX // 2, HOUSING_BGR, -1)
        origin = (cx - LAMP_PX // 2, cy + LAMP_PX // 4)
    cv2.putText(frame, text, origin, cv2.FONT_HERSHEY_SIMPLEX, LAMP_PX / 32, colour, 2, cv2.LINE_AA)
    return Head(frame, roi, head.lens_centres)


def with_jpeg(head: Head, quality: int = 25) -> Head:
    _, data = cv2.imencode(".jpg", head.frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return Head(cv2.imdecode(data, cv2.IMREAD_COLOR), head.roi, head.lens_centres)


@pytest.fixture
def heads() -> SimpleNamespace:
    """The renderer and the spoilers, as a fixture so tests work in any pytest import mode."""
    return SimpleNamespace(
        render=render_head,
        exposure=with_exposure,
        bloom=with_bloom,
        night_glow=with_night_glow,
        haze_glow=with_haze_glow,
        shifted=shifted_roi,
        countdown=with_countdown,
        jpeg=with_jpeg,
        colours=LAMP_BGR,
    )
