"""Decoding a YOLO output the way ultralytics does, on hand-made predictions; the compiled model
fed the frame's own bytes."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pytest

from detectors.detections.detector import model_version
from detectors.detections.fixed_shape import fixed_shape_model
from detectors.detections.openvino_runner import OpenVinoRunner, decode

SHARED = Path(__file__).resolve().parents[4] / "shared"
MODEL = SHARED / "models" / "yolo11n_openvino_model"
CLIP = SHARED / "videos" / "pedestrian_street_cutl.mp4"

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


def test_suppression_keeps_the_boxes_torchvision_keeps():
    import torch
    import torchvision

    rng = np.random.default_rng(7)
    for _ in range(200):
        count = int(rng.integers(1, 40))
        centres, sizes = rng.uniform(0, 300, (count, 2)), rng.uniform(5, 80, (count, 2))
        scores = rng.uniform(0.15, 1.0, count)
        classes = rng.choice(WANTED, count)
        rows = np.stack(
            [
                prediction(*centre, *size, {int(class_id): score})
                for centre, size, class_id, score in zip(
                    centres, sizes, classes, scores, strict=True
                )
            ]
        )
        xyxy = np.hstack([rows[:, :2] - rows[:, 2:4] / 2, rows[:, :2] + rows[:, 2:4] / 2])
        expected = torchvision.ops.batched_nms(
            torch.from_numpy(xyxy),
            torch.from_numpy(rows[:, 4:].max(axis=1)),
            torch.from_numpy(classes),
            0.7,
        ).numpy()

        found = decode(rows, 0.1, WANTED)

        assert found.xyxy.tolist() == xyxy[expected].tolist()


@pytest.mark.slow
def test_the_compiled_model_takes_the_frame_bytes_and_is_cached(tmp_path):
    """BGR bytes in (the model swaps, scales and lays them out itself) give the boxes the model
    finds on the input ultralytics would feed it; the compiled model is kept in the cache."""
    import openvino as ov

    fixed = fixed_shape_model(MODEL, model_version(str(MODEL)), (384, 640), tmp_path)
    capture = cv2.VideoCapture(str(CLIP))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 100)
    ok, frame = capture.read()
    assert ok
    image = cv2.resize(frame, (640, 360))
    image = np.vstack([image, np.full((24, 640, 3), 114, np.uint8)])
    as_ultralytics = image[..., ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255
    plain = ov.Core().compile_model(next(fixed.glob("*.xml")), "CPU")
    expected = decode(next(iter(plain(as_ultralytics).values()))[0].T, 0.1, WANTED)

    found = OpenVinoRunner(fixed, tmp_path / "compiled").detect(image, 0.1, WANTED)

    assert len(found) == len(expected) > 5
    assert found.class_id.tolist() == expected.class_id.tolist()
    assert np.abs(found.xyxy - expected.xyxy).max() < 0.5
    assert list((tmp_path / "compiled").glob("*.blob"))


@pytest.mark.slow
def test_a_cache_that_cannot_be_written_only_costs_the_compilation(tmp_path, caplog):
    fixed = fixed_shape_model(MODEL, model_version(str(MODEL)), (64, 64), tmp_path)
    (tmp_path / "a_file").write_text("")

    with caplog.at_level(logging.WARNING):
        runner = OpenVinoRunner(fixed, tmp_path / "a_file" / "compiled")

    assert len(runner.detect(np.zeros((64, 64, 3), np.uint8), 0.1, WANTED)) == 0
    assert "CIVILITY_CACHE_DIR" in caplog.text
