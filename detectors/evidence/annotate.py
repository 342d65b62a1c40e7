"""Drawing only: evidence frames with the road user, its zone, trace, signal and a header strip.

The header is in Chinese, as police and public read it: the camera's place, the wall-clock time,
the signal state and the rule, with the zone, signal and courier platform by the names their
configuration gives them (raw ids only where nothing names them). Also a camera's whole layout
(every zone and lamp ROI, labelled) over one of its frames, for onboarding.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import NamedTuple

import cv2
import numpy as np
import supervision as sv
from PIL import Image, ImageDraw, ImageFont

from detectors.config.camera import CameraConfig, VisionSignal
from detectors.config.names import CLASSES, RULES, SIGNAL_STATES, signal_name, zone_name
from detectors.config.platforms import load_platform_profiles
from detectors.evidence.fonts import cjk_font
from detectors.evidence.scene import EventScene, box_at, trace_until, wall_clock
from detectors.signals.states import SignalState

BOX_COLOR = sv.Color(255, 0, 255)
TRACE_COLOR = sv.Color(255, 140, 0)
ZONE_COLORS = {"crosswalk": sv.Color(255, 220, 0), "lane": sv.Color(0, 200, 255)}
SIGNAL_COLORS = {
    SignalState.RED: sv.Color(220, 20, 20),
    SignalState.GREEN: sv.Color(20, 170, 60),
    SignalState.FLASHING_GREEN: sv.Color(20, 170, 60),
    SignalState.AMBER: sv.Color(255, 170, 0),
}
UNLIT_COLOR = sv.Color(128, 128, 128)
HEADER_BACKGROUND = sv.Color(24, 24, 24)
HEADER_TEXT = sv.Color(255, 255, 255)
HEADER_LINES = 3  # place; time; signal and rule
CLOSEUP_MIN_HEIGHT_PX = 360
CLOSEUP_MAX_UPSCALE = 6.0


def annotate_frame(
    frame: np.ndarray, scene: EventScene, frame_index: int, time_s: float
) -> np.ndarray:
    """A copy of ``frame`` with the evidence drawn on it and the header strip above it."""
    width = frame.shape[1]
    thickness = max(2, width // 400)
    image = sv.draw_polygon(frame.copy(), scene.polygon, ZONE_COLORS[scene.zone_kind], thickness)
    if scene.direction is not None:
        _draw_direction_arrow(image, scene.polygon, scene.direction, thickness * 2)
    if scene.signal_roi is not None:
        x, y, w, h = scene.signal_roi
        cv2.rectangle(image, (x, y), (x + w, y + h), _signal_color(scene).as_bgr(), thickness)
    trace = np.round(trace_until(scene.violation.track, frame_index)).astype(np.int32)
    if len(trace) > 1:
        cv2.polylines(image, [trace], False, TRACE_COLOR.as_bgr(), thickness, cv2.LINE_AA)
    box = box_at(scene.violation.track, frame_index)
    if box is not None:
        _draw_road_user(image, scene, box, thickness)
    return np.vstack([header_strip(width, scene, frame_index, time_s), image])


def header_strip(width: int, scene: EventScene, frame_index: int, time_s: float) -> np.ndarray:
    """Camera, wall-clock and clip time, rule and signal state, in a dark band across the frame."""
    layout = _layout(width)
    strip = _static_header(scene, width).copy()
    draw = ImageDraw.Draw(strip)
    text = _fit(draw, clock_line(scene, frame_index, time_s), layout, layout.margin)
    draw.text((layout.margin, layout.top(1)), text, font=layout.font, fill=HEADER_TEXT.as_bgr())
    # PIL wrote the colour tuples byte for byte, so the array is already BGR.
    return np.asarray(strip)


def closeup(crop: np.ndarray) -> np.ndarray:
    """The road user's crop upscaled to a readable height (never shrunk, never blown up past 6x)."""
    scale = min(CLOSEUP_MAX_UPSCALE, max(1.0, CLOSEUP_MIN_HEIGHT_PX / crop.shape[0]))
    if scale == 1.0:
        return crop
    size = (round(crop.shape[1] * scale), round(crop.shape[0] * scale))
    return cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC)


class _Layout(NamedTuple):
    font: ImageFont.FreeTypeFont
    line_px: int
    margin: int
    width: int

    def top(self, row: int) -> int:
        return self.margin // 2 + row * self.line_px

    @property
    def height(self) -> int:
        height = self.top(HEADER_LINES) + self.margin // 2
        return height + height % 2  # even, for yuv420p video


def _layout(width: int) -> _Layout:
    font = cjk_font(max(13, width // 45))
    return _Layout(font, round(font.size * 1.35), font.size // 2, width)


@functools.lru_cache(maxsize=4)
def _static_header(scene: EventScene, width: int) -> Image.Image:
    """The header without its clock line: the same on every frame of the event, drawn once."""
    layout = _layout(width)
    strip = Image.new("RGB", (width, layout.height), HEADER_BACKGROUND.as_bgr())
    draw = ImageDraw.Draw(strip)
    draw.text(
        (layout.margin, layout.top(0)),
        _fit(draw, place_line(scene), layout, layout.margin),
        font=layout.font,
        fill=HEADER_TEXT.as_bgr(),
    )
    left, top = layout.margin, layout.top(2)
    chip = signal_chip_text(scene)
    if chip is not None:
        # The signal state leads the rule line on its own colour, as on a police picture.
        right = left + draw.textlength(chip, font=layout.font) + layout.margin
        draw.rectangle(
            (left, top, right, top + layout.line_px - 2), fill=_signal_color(scene).as_bgr()
        )
        draw.text(
            (left + layout.margin / 2, top), chip, font=layout.font, fill=HEADER_TEXT.as_bgr()
        )
        left = right + layout.margin
    draw.text(
        (left, top),
        _fit(draw, rule_line(scene), layout, left),
        font=layout.font,
        fill=HEADER_TEXT.as_bgr(),
    )
    return strip


def place_line(scene: EventScene) -> str:
    """The camera's place; the free-text name goes last, so if anything is cut it is that."""
    camera = scene.camera
    return f"{camera.district}｜设备编号 {camera.camera_id}｜{camera.name}"


def clock_line(scene: EventScene, frame_index: int, time_s: float) -> str:
    when = wall_clock(scene.clip_start, time_s)
    clock = _format_clock(when) if when is not None else "时间未知"
    return f"{clock}｜视频第 {time_s:.2f} 秒，第 {frame_index} 帧"


def rule_line(scene: EventScene) -> str:
    """The rule, the zone by its name (the lane's arrow is its legal direction), the road user,
    and the courier platform by its name when one was recognised."""
    violation = scene.violation
    zone = zone_name(scene.camera, violation.zone_id)
    arrow_note = "（箭头为规定方向）" if scene.zone_kind == "lane" else ""
    who = CLASSES.get(violation.class_name, violation.class_name)
    courier = violation.courier
    courier_note = ""
    if courier is not None and courier.is_courier:
        platform = _platform_names().get(courier.platform, courier.platform)
        courier_note = f"｜外卖：{platform}（{courier.confidence:.2f}）"
    return f"{RULES[violation.rule]}｜{zone}{arrow_note}｜#{violation.track_id} {who}{courier_note}"


def signal_chip_text(scene: EventScene) -> str | None:
    violation = scene.violation
    if violation.signal_id is None:
        return None
    state = SIGNAL_STATES[violation.signal_state or SignalState.UNKNOWN]
    return f"{signal_name(scene.camera, violation.signal_id)}：{state}"


@functools.cache
def _platform_names() -> dict[str, str]:
    return load_platform_profiles().display_names()


def _fit(draw: ImageDraw.ImageDraw, text: str, layout: _Layout, left: float) -> str:
    room = layout.width - layout.margin - left
    if draw.textlength(text, font=layout.font) <= room:
        return text
    while text and draw.textlength(text + "…", font=layout.font) > room:
        text = text[:-1]
    return text + "…"


def _format_clock(when: datetime) -> str:
    offset = when.strftime("%z")
    return f"{when:%Y-%m-%d %H:%M:%S}.{when.microsecond // 1000:03d} UTC{offset[:3]}:{offset[3:]}"


def _signal_color(scene: EventScene) -> sv.Color:
    return SIGNAL_COLORS.get(SignalState(scene.violation.signal_state or "unknown"), UNLIT_COLOR)


def _draw_road_user(
    image: np.ndarray, scene: EventScene, box: tuple[float, ...], thickness: int
) -> None:
    violation = scene.violation
    detections = sv.Detections(
        xyxy=np.asarray([box], dtype=np.float32),
        class_id=np.zeros(1, dtype=int),
        tracker_id=np.asarray([violation.track_id]),
    )
    sv.BoxAnnotator(color=BOX_COLOR, thickness=thickness).annotate(image, detections)
    sv.LabelAnnotator(
        color=BOX_COLOR,
        text_scale=max(0.45, image.shape[1] / 1600),
        text_padding=4,
        smart_position=True,
    ).annotate(image, detections, labels=[f"#{violation.track_id}"])  # named in the header


def draw_layout(frame: np.ndarray, camera: CameraConfig) -> np.ndarray:
    """A copy of ``frame`` with the camera's crosswalks, lanes (and their legal direction) and
    vision signals' ROIs drawn and labelled by id; ``camera`` in the frame's pixels."""
    thickness = max(2, frame.shape[1] // 400)
    image = frame.copy()
    labels: list[tuple[str, tuple[int, int], sv.Color]] = []
    for kind, zones in (("crosswalk", camera.crosswalks), ("lane", camera.lanes)):
        for zone in zones:
            polygon = np.round(np.array(zone.polygon)).astype(np.int32)
            image = sv.draw_polygon(image, polygon, ZONE_COLORS[kind], thickness)
            if kind == "lane":
                _draw_direction_arrow(image, polygon, zone.direction, thickness * 2)
            corner = polygon.min(axis=0)
            labels.append(
                (f"{kind} {zone.id}", (int(corner[0]), int(corner[1])), ZONE_COLORS[kind])
            )
    for signal in camera.signals:
        if isinstance(signal, VisionSignal):
            x, y, w, h = signal.roi
            cv2.rectangle(
                image, (x, y), (x + w, y + h), SIGNAL_COLORS[SignalState.RED].as_bgr(), thickness
            )
            labels.append((f"signal {signal.id}", (x, y + h), SIGNAL_COLORS[SignalState.RED]))
    scale = max(0.4, frame.shape[1] / 1600)
    for text, (x, y), color in labels:
        origin = (max(0, x), max(12, y - 4))
        cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness + 2)
        cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, color.as_bgr(), thickness)
    return image


def _draw_direction_arrow(
    image: np.ndarray, polygon: np.ndarray, direction: tuple[float, float], thickness: int
) -> None:
    # From the lane's centre, a third of the lane's extent long, so it stays inside the lane.
    centre = polygon.mean(axis=0)
    extent = np.ptp(polygon, axis=0)
    dx, dy = direction
    half = abs(dx) * extent[0] / 6 + abs(dy) * extent[1] / 6
    tail = np.round(centre - half * np.array([dx, dy])).astype(int)
    tip = np.round(centre + half * np.array([dx, dy])).astype(int)
    color = ZONE_COLORS["lane"].as_bgr()
    cv2.arrowedLine(image, tuple(tail), tuple(tip), color, thickness, cv2.LINE_AA, tipLength=0.35)
