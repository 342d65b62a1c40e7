"""Decoding a YOLO output the way ultralytics does, on hand-made predictions."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.detections.openvino_runner import decode

PERSON, BICYCLE, CAR, MOTORCYCLE = 0, 1, 2, 3
WANTED = [PERSON, BICYCLE, MOTORCYCLE]


def prediction(cx, cy, w, h, scores: dict[int, float]) -> np.ndarray:
    row = np.zeros(4 + 80, dtype=np.float32)
    row[:4] = cx, cy, w, h
    for class_id, score in scores.items():
        row[4 + class_id] = score
    return row


def test_each_box_takes_its_best_class_and_unwanted_classes_are_dropped():
    rows = np.stack(
        [
            prediction(100, 100, 20, 40, {PERSON: 0.8, MOTORCYCLE: 0.3}),
            prediction(300, 100, 60, 40, {CAR: 0.9, MOTORCYCLE: 0.5}),  # a car, not a motorcycle
            prediction(500, 100, 20, 40, {BICYCLE: 0.05}),  # too weak
        ]
    )

    found = decode(rows, 0.1, WANTED)

    assert found.class_id.tolist() == [PERSON]
    assert found.xyxy.tolist() == [[90.0, 80.0, 110.0, 120.0]]
    assert found.confidence.tolist() == pytest.approx([0.8])


def test_overlapping_boxes_of_one_class_are_suppressed_but_not_across_classes():
    rows = np.stack(
        [
            prediction(100, 100, 40, 80, {PERSON: 0.9}),
            prediction(102, 101, 40, 80, {PERSON: 0.6}),  # the same person again
            prediction(100, 120, 40, 40, {MOTORCYCLE: 0.7}),  # the vehicle under it
        ]
    )

    found = decode(rows, 0.1, WANTED)

    assert found.class_id.tolist() == [PERSON, MOTORCYCLE]
    assert found.confidence.tolist() == pytest.approx([0.9, 0.7])


def test_nothing_found_is_an_empty_set_of_boxes():
    found = decode(np.zeros((10, 84), dtype=np.float32), 0.1, WANTED)

    assert len(found) == 0 and found.xyxy.shape == (0, 4)
