"""Courier attribution of wrong-way events: the I/O shell around ``courier.CourierAttributor``.

Reads the road user's crops at its track points from the clip (exact frames, one short decoding
window per event) and records the attributor's answer on the violation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from detectors.events.courier import courier_crop_box
from detectors.events.violation import CourierAttribution, Violation
from detectors.frames.exact import FrameIndex, index_frames, read_frames

Attribute = Callable[[Sequence[np.ndarray]], CourierAttribution]


def attribute_couriers(
    clip_path: Path, violations: list[Violation], attribute: Attribute
) -> list[Violation]:
    """The violations with ``courier`` set on every wrong-way one."""
    if not any(v.rule == "wrong_way" for v in violations):
        return violations
    clip = index_frames(Path(clip_path))
    return [
        replace(v, courier=attribute(track_crops(clip, v))) if v.rule == "wrong_way" else v
        for v in violations
    ]


def track_crops(clip: FrameIndex, violation: Violation) -> list[np.ndarray]:
    """The road user with its rider and rear box, cut at each track point, oldest first."""
    boxes = {point.frame_index: point.xyxy for point in violation.track}
    if not boxes:
        return []
    crops = []
    for index, frame in read_frames(clip, min(boxes), max(boxes)):
        if index in boxes:
            x1, y1, x2, y2 = courier_crop_box(boxes[index], frame.shape)
            crops.append(frame[y1:y2, x1:x2].copy())
    return crops
