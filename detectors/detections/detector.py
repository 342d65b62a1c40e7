"""Find pedestrians and two-wheelers in a frame with an ultralytics YOLO model.

The model is configurable by path or name (``--model``, ``CIVILITY_MODEL``); a COCO model is
expected, of which three classes matter here. ultralytics is imported on first use only, so that
importing this module (e.g. while Airflow parses a DAG) stays cheap.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import supervision as sv

from detectors.config.errors import InputError
from detectors.defaults import DEFAULT_IMAGE_SIZE
from detectors.detections.fixed_shape import (
    MODELS_FOLDER,
    cache_dir,
    fixed_shape_model,
    letterbox_shape,
    openvino_export,
)
from detectors.detections.focus import Tile, merge, tile_input, to_frame
from detectors.detections.openvino_runner import COMPILED_FOLDER, OpenVinoRunner

DEFAULT_MODEL = "yolo11n.pt"
MODEL_ENV = "CIVILITY_MODEL"

# COCO class ids of the road users the rules look at.
PERSON, BICYCLE, MOTORCYCLE = 0, 1, 3
CLASS_NAMES = {PERSON: "person", BICYCLE: "bicycle", MOTORCYCLE: "motorcycle"}
TWO_WHEELERS = (BICYCLE, MOTORCYCLE)


def default_model() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@dataclass(frozen=True)
class DetectorSettings:
    model: str
    image_size: int = DEFAULT_IMAGE_SIZE
    # Low enough to keep weak boxes for ByteTrack's second association stage.
    min_confidence: float = 0.1


def model_version(model: str) -> str:
    """Name plus a short hash of the weights, so every output says exactly which model made it."""
    path = Path(model)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.read_bytes())
    name = path.name if path.exists() else model
    return f"{name}@{digest.hexdigest()[:12]}" if path.exists() else name


class Detector:
    """One YOLO model returning ``sv.Detections`` of persons and two-wheelers.

    A shape-agnostic OpenVINO export is run as a copy fixed to the input shape of the frames
    (``fixed_shape``), one per frame size met, loaded on its first frame.
    """

    def __init__(self, settings: DetectorSettings, version: str | None = None):
        """``version``: the model's ``model_version``, where the caller has just taken it."""
        self.settings = settings
        self.version = version or model_version(settings.model)
        self._export = openvino_export(settings.model)
        self._models = {} if self._export else {None: _load_model(settings.model)}
        self._runners: dict[tuple[int, int], OpenVinoRunner | None] = {}

    def detect(self, image: np.ndarray) -> sv.Detections:
        """The whole frame, letterboxed to the input size."""
        shape = letterbox_shape(*image.shape[:2], self.settings.image_size)
        return _one_box_per_two_wheeler(self._predict(image, self.settings.image_size, shape))

    def detect_tiles(self, image: np.ndarray, tiles: list[Tile]) -> sv.Detections:
        """Each tile of the frame at its own scale (``focus``), boxes merged in frame
        coordinates."""
        parts = [to_frame(self._detect_input(tile_input(image, tile)), tile) for tile in tiles]
        return _one_box_per_two_wheeler(merge(parts))

    def _detect_input(self, image: np.ndarray) -> sv.Detections:
        """An image already at a detector input shape: no letterbox, run directly where the
        model is an OpenVINO export."""
        shape = image.shape[:2]
        if self._export and shape not in self._runners:
            fixed = fixed_shape_model(self._export, self.version, shape, cache_dir())
            compiled = cache_dir() / MODELS_FOLDER / COMPILED_FOLDER
            self._runners[shape] = OpenVinoRunner(fixed, compiled) if fixed else None
        runner = self._runners.get(shape)
        if runner is None:
            return self._predict(image, list(shape), shape)
        return runner.detect(image, self.settings.min_confidence, list(CLASS_NAMES))

    def _predict(
        self, image: np.ndarray, image_size: int | list[int], shape: tuple[int, int]
    ) -> sv.Detections:
        """``shape``: the input shape ``image_size`` gives this image (the fixed-shape copy)."""
        result = self._model_for(shape).predict(
            image,
            imgsz=image_size,
            conf=self.settings.min_confidence,
            classes=list(CLASS_NAMES),
            verbose=False,
        )[0]
        return sv.Detections.from_ultralytics(result)

    def _model_for(self, shape: tuple[int, int]):
        if not self._export:
            return self._models[None]
        if shape not in self._models:
            fixed = fixed_shape_model(self._export, self.version, shape, cache_dir())
            self._models[shape] = _load_model(str(fixed or self._export))
        return self._models[shape]


# Above this overlap a bicycle box and a motorcycle box are one vehicle seen as both (the model's
# NMS only compares boxes of one class). Same-class pairs are left to the model: riders queued
# nose to tail overlap that much too.
TWO_WHEELER_DUPLICATE_IOU = 0.6


def _one_box_per_two_wheeler(detections: sv.Detections) -> sv.Detections:
    bicycles = np.flatnonzero(detections.class_id == BICYCLE)
    motorcycles = np.flatnonzero(detections.class_id == MOTORCYCLE)
    if len(bicycles) == 0 or len(motorcycles) == 0:
        return detections
    overlap = sv.box_iou_batch(detections.xyxy[bicycles], detections.xyxy[motorcycles])
    keep = np.ones(len(detections), dtype=bool)
    for b, m in zip(*np.nonzero(overlap > TWO_WHEELER_DUPLICATE_IOU), strict=True):
        bicycle, motorcycle = bicycles[b], motorcycles[m]
        weaker = (
            bicycle
            if detections.confidence[bicycle] < detections.confidence[motorcycle]
            else motorcycle
        )
        keep[weaker] = False
    return detections[keep]


def import_ultralytics() -> None:
    """Import ultralytics with its log on stderr. It logs to stdout (a banner when it first writes
    its settings, "Loading ... for OpenVINO inference"); stdout is the command's own output,
    which scripts read (--json), so its messages go to stderr with the other progress."""
    with contextlib.redirect_stdout(sys.stderr):  # its handler takes sys.stdout as imported
        from ultralytics.utils import LOGGER
    # Only ultralytics' own handler: others (a test runner's log capture) keep their streams.
    for handler in LOGGER.handlers:
        if type(handler) is logging.StreamHandler:
            handler.setStream(sys.stderr)


def _load_model(model: str):
    import_ultralytics()
    from ultralytics import YOLO

    path = Path(model)
    looks_like_path = path.suffix in {".pt", ".onnx", ".engine"} or "/" in model or path.is_dir()
    if looks_like_path and not path.exists() and "/" in model:
        raise InputError(
            f"model {model}: no such file or folder; pass --model with the path of a YOLO model "
            f"(e.g. an OpenVINO export folder) or set {MODEL_ENV}"
        )
    try:
        return YOLO(model, task="detect")
    except (FileNotFoundError, ConnectionError, OSError) as exc:
        raise InputError(
            f"model {model}: could not be loaded ({exc}); on a machine without internet pass "
            f"--model with a local model path or set {MODEL_ENV}"
        ) from None
