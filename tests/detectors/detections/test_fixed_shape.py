"""The fixed-shape copy of an OpenVINO export: its shape, when it is made, and that it finds the
same boxes as the model it was made from."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import pytest
import supervision as sv
import yaml

from detectors.detections.detector import Detector, DetectorSettings, model_version
from detectors.detections.fixed_shape import (
    fixed_shape_model,
    letterbox_shape,
    openvino_export,
)

SHARED = Path(__file__).resolve().parents[4] / "shared"
MODEL = SHARED / "models" / "yolo11n_openvino_model"
CLIP = SHARED / "videos" / "pedestrian_street_cutl.mp4"


@pytest.mark.parametrize(
    ("frame", "image_size", "expected"),
    [
        ((1080, 1920), 640, (384, 640)),  # 640 x 360, padded to a multiple of 32
        ((540, 960), 640, (384, 640)),
        ((480, 640), 640, (480, 640)),  # already multiples of 32
        ((720, 1620), 640, (288, 640)),  # 284.4 rounds to 284, padded to 288
        ((1920, 1080), 640, (640, 384)),  # portrait
        ((1080, 1920), 800, (480, 800)),  # 450 padded to 480
    ],
)
def test_letterbox_shape_scales_the_long_side_and_pads_to_the_stride(frame, image_size, expected):
    assert letterbox_shape(*frame, image_size) == expected


def _export(folder: Path, dynamic: bool) -> Path:
    folder.mkdir()
    (folder / "metadata.yaml").write_text(yaml.safe_dump({"args": {"dynamic": dynamic}}))
    return folder


def test_only_a_shape_agnostic_openvino_export_gets_a_fixed_copy(tmp_path):
    assert openvino_export(str(_export(tmp_path / "a_openvino_model", dynamic=True))) is not None
    assert openvino_export(str(_export(tmp_path / "b_openvino_model", dynamic=False))) is None
    assert openvino_export(str(_export(tmp_path / "c_onnx_model", dynamic=True))) is None
    assert openvino_export("yolo11n.pt") is None


def test_the_copy_is_fixed_to_the_shape_and_made_once(tmp_path):
    import openvino as ov

    version = model_version(str(MODEL))
    copy = fixed_shape_model(MODEL, version, (384, 640), tmp_path)

    network = ov.Core().read_model(next(copy.glob("*.xml")))
    assert list(network.input().get_shape()) == [1, 3, 384, 640]
    metadata = yaml.safe_load((copy / "metadata.yaml").read_text())
    assert metadata["imgsz"] == [384, 640]
    assert metadata["args"]["dynamic"] is False
    assert metadata["names"][0] == "person"  # the rest of the metadata is kept
    assert copy.name.endswith("-384x640_openvino_model")

    made_at = (copy / "metadata.yaml").stat().st_mtime_ns
    assert fixed_shape_model(MODEL, version, (384, 640), tmp_path) == copy
    assert (copy / "metadata.yaml").stat().st_mtime_ns == made_at


def test_an_unwritable_cache_falls_back_to_the_original_model(tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING):
        assert fixed_shape_model(MODEL, "yolo11n@0", (384, 640), cache) is None
    assert "CIVILITY_CACHE_DIR" in caplog.text


def test_the_fixed_copy_finds_the_boxes_of_the_original_model(tmp_path, monkeypatch):
    from ultralytics import YOLO

    monkeypatch.setenv("CIVILITY_CACHE_DIR", str(tmp_path))
    capture = cv2.VideoCapture(str(CLIP))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 100)
    ok, frame = capture.read()
    assert ok

    fixed = Detector(DetectorSettings(model=str(MODEL))).detect(frame)
    original = YOLO(str(MODEL), task="detect").predict(
        frame, imgsz=640, conf=0.1, classes=[0, 1, 3], verbose=False
    )[0]

    assert list(tmp_path.glob("models/*-384x640_openvino_model"))  # 854 x 480 -> 640 x 360
    assert len(fixed) == len(original.boxes) > 5
    # The same road users in the same places. Not bit-identical: OpenVINO picks other kernels for a
    # static shape and for each CPU's instruction set (AVX2 or AVX-512), which moves an edge by a
    # pixel or two; a wrong letterbox or scale would move every box by far more.
    overlap = sv.box_iou_batch(fixed.xyxy, original.boxes.xyxy.numpy())
    matched = overlap.argmax(axis=1)
    assert sorted(matched) == list(range(len(fixed)))  # one to one
    assert overlap.max(axis=1).min() > 0.9
    expected_classes = original.boxes.cls.numpy().astype(int)[matched]
    assert list(fixed.class_id) == list(expected_classes)
