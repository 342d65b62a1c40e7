"""Ground truth for the sample clip (shared/spec/ground-truth.md), read off the scene script.

Times are those of decoded frames (frame ``i`` at ``i / FPS``) and positions the bottom-centre
of each road user's drawn box, so the labels describe exactly what a detector can see.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from detectors.signals.states import SignalState
from sample_video import scene
from sample_video.cast import TWO_WHEELERS
from sample_video.script import (
    CAST,
    SIGNAL_CHANGES,
    Actor,
    Placement,
    frame_time,
    placement,
    signal_state_at,
)

Point = tuple[float, float]


def inside(polygon: list[Point], point: Point) -> bool:
    contour = np.array(polygon, np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(contour, (float(point[0]), float(point[1])), False) >= 0


def track(actor: Actor, sprite_size: tuple[int, int]) -> Iterator[tuple[float, Placement]]:
    """The actor's placements in every frame in which any of it is visible."""
    for index in range(scene.FRAME_COUNT):
        t = frame_time(index)
        placed = placement(actor, t, sprite_size)
        if placed is not None and placed.visible_box() is not None:
            yield t, placed


def pedestrian_events(sprite_sizes: dict[str, tuple[int, int]]) -> list[dict]:
    """One event per person whose feet step onto the zebra while the signal shows red."""
    polygon = scene.crosswalk_polygon()
    events = []
    for actor in CAST:
        if actor.kind != "person":
            continue
        was_inside = False
        for t, placed in track(actor, sprite_sizes[actor.look]):
            feet = placed.bottom_centre()
            now_inside = feet is not None and inside(polygon, feet)
            if now_inside and not was_inside and signal_state_at(t) is SignalState.RED:
                events.append(_event("pedestrian_red_light", t, feet, scene.CROSSWALK_ID))
            was_inside = now_inside
    return sorted(events, key=lambda event: event["t"])


def wrong_way_events(sprite_sizes: dict[str, tuple[int, int]]) -> list[dict]:
    """One event per two-wheeler in the lane against its direction, from entry to exit."""
    polygon = scene.lane_polygon()
    events = []
    for actor in CAST:
        if actor.kind != "two_wheeler":
            continue
        heading = actor.path[-1][1] - actor.path[0][1]
        if heading * scene.LANE_DIRECTION[0] >= 0:
            continue
        in_lane = [
            (t, placed.bottom_centre())
            for t, placed in track(actor, sprite_sizes[actor.look])
            if inside(polygon, placed.bottom_centre())
        ]
        if in_lane:
            (t, point), (t_end, _) = in_lane[0], in_lane[-1]
            event = _event("wrong_way", t, point, scene.LANE_ID)
            courier = TWO_WHEELERS[actor.look].courier_box
            events.append({**event, "t_end": round(t_end, 3), "courier": courier})
    return sorted(events, key=lambda event: event["t"])


def _event(rule: str, t: float, point: Point, zone: str) -> dict:
    x, y = round(point[0], 1), round(point[1], 1)
    return {"rule": rule, "t": round(t, 3), "x": x, "y": y, "zone": zone}


def signal_states() -> list[dict]:
    ends = [start for start, _ in SIGNAL_CHANGES[1:]] + [scene.DURATION_S]
    return [
        {"signal": scene.SIGNAL_ID, "from_s": start, "to_s": end, "state": state.value}
        for (start, state), end in zip(SIGNAL_CHANGES, ends, strict=True)
    ]


def build_truth(sprite_sizes: dict[str, tuple[int, int]]) -> dict:
    events = pedestrian_events(sprite_sizes) + wrong_way_events(sprite_sizes)
    return {
        "duration_s": scene.DURATION_S,
        "complete_for": ["pedestrian_red_light", "wrong_way"],
        "events": sorted(events, key=lambda event: event["t"]),
        "signal_states": signal_states(),
    }
