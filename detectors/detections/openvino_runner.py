"""A fixed-shape YOLO OpenVINO model run directly on inputs already at its shape (``focus`` tiles).

Going through ultralytics' ``predict`` costs ~5 ms of CPU per call besides inference (measured on a
64 x 64 input: docs/accuracy-vs-speed.md), which a frame cut into three tiles pays three times.
Tiles need no letterboxing, so this runs the compiled model and ultralytics' own decoding rule:
each box takes its best class of all, is kept above the confidence threshold if that class is
wanted, and boxes of one class overlapping by more than ``NMS_IOU`` are suppressed
(``ultralytics.utils.nms.non_max_suppression`` with predict's defaults).

What a tile costs besides inference is kept small (docs/accuracy-vs-speed.md, "Start-up and
per-tile costs"): the BGR bytes go in as they are and the compiled model itself swaps, scales
and lays out the channels; the suppression is OpenCV's, the same greedy rule as torchvision's
without importing torchvision (1.7 s of CPU at start-up); and the compiled model is kept in
OpenVINO's cache (``CACHE_DIR``), so a process compiles each tile shape once per machine,
not once per run.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import supervision as sv

from detectors.detections.fixed_shape import CACHE_ENV

NMS_IOU = 0.7  # ultralytics predict's default
MAX_DETECTIONS = 300
COMPILED_FOLDER = "compiled"  # beside the fixed-shape copies, under the model cache

log = logging.getLogger(__name__)


class OpenVinoRunner:
    def __init__(self, folder: Path, compiled_cache: Path | None = None):
        import openvino as ov
        from openvino.preprocess import ColorFormat, PrePostProcessor

        network = ov.Core().read_model(next(Path(folder).glob("*.xml")))
        self.shape = tuple(network.input().get_shape()[2:])  # (height, width)
        # The frame's own bytes in: BGR, 8 bits, height x width x channels; in the model as
        # ultralytics feeds it (RGB, 0-1, channels first).
        steps = PrePostProcessor(network)
        steps.input().tensor().set_element_type(ov.Type.u8).set_layout(
            ov.Layout("NHWC")
        ).set_color_format(ColorFormat.BGR)
        steps.input().model().set_layout(ov.Layout("NCHW"))
        steps.input().preprocess().convert_element_type(ov.Type.f32).convert_color(
            ColorFormat.RGB
        ).scale(255.0)
        self._request = _compiled(steps.build(), compiled_cache).create_infer_request()

    def detect(self, image: np.ndarray, min_confidence: float, classes: list[int]) -> sv.Detections:
        """Boxes in ``image`` (BGR, exactly the model's input shape)."""
        if image.shape[:2] != self.shape:
            raise ValueError(f"input {image.shape[:2]} does not match the model's {self.shape}")
        output = self._request.infer({0: np.ascontiguousarray(image)[None]})
        predictions = next(iter(output.values()))[0].T  # (anchors, 4 + classes), a view
        return decode(predictions, min_confidence, classes)


def _compiled(network, cache: Path | None):
    """The network compiled for the CPU, kept in (or loaded from) ``cache`` where it can be."""
    import openvino as ov

    # One inference thread: a frame's tiles are small, and handing each over to two threads
    # cost 29 ms of CPU per 1080p frame against 23 ms on one (the clip's decoding runs in
    # the other thread meanwhile; benchmarks/README.md).
    config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": 1}
    if cache is not None:
        try:
            return ov.Core().compile_model(network, "CPU", config | {"CACHE_DIR": str(cache)})
        except RuntimeError as exc:
            log.warning(
                "could not keep the compiled model under %s (%s); compiling it in every run, "
                "which is slower; set %s to a writable folder",
                cache,
                exc,
                CACHE_ENV,
            )
    return ov.Core().compile_model(network, "CPU", config)


def decode(predictions: np.ndarray, min_confidence: float, classes: list[int]) -> sv.Detections:
    """Rows of (cx, cy, w, h, class scores...) -> the kept boxes, as ultralytics keeps them."""
    # A box is kept only when its best class is a wanted one above the threshold, so only the
    # rows where a wanted class scores above it are looked at in full (a few of thousands).
    wanted_scores = predictions[:, 4 + np.asarray(classes)]
    candidates = np.flatnonzero(wanted_scores.max(axis=1) > min_confidence)
    scores = predictions[candidates, 4:]
    class_id = scores.argmax(axis=1)
    confidence = scores[np.arange(len(scores)), class_id].astype(np.float32)
    kept = np.isin(class_id, classes)  # the best score is at least the wanted one's
    centre, size = predictions[candidates[kept], :2], predictions[candidates[kept], 2:4]
    xyxy = np.hstack([centre - size / 2, centre + size / 2]).astype(np.float32)
    confidence, class_id = confidence[kept], class_id[kept]
    order = np.asarray(
        cv2.dnn.NMSBoxesBatched(
            np.hstack([xyxy[:, :2], xyxy[:, 2:] - xyxy[:, :2]]).astype(np.float64),
            confidence,
            class_id.astype(np.int32),
            0.0,
            NMS_IOU,
        ),
        dtype=int,
    ).reshape(-1)[:MAX_DETECTIONS]
    return sv.Detections(
        xyxy=xyxy[order].reshape(-1, 4), confidence=confidence[order], class_id=class_id[order]
    )
