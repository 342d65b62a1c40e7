"""A fixed-shape YOLO OpenVINO model run directly on inputs already at its shape (``focus`` tiles).

Going through ultralytics' ``predict`` costs ~5 ms of CPU per call besides inference (measured on a
64 x 64 input: docs/accuracy-vs-speed.md), which a frame cut into three tiles pays three times.
Tiles need no letterboxing, so this runs the compiled model and ultralytics' own decoding rule:
each box takes its best class of all, is kept above the confidence threshold if that class is
wanted, and boxes of one class overlapping by more than ``NMS_IOU`` are suppressed
(``ultralytics.utils.nms.non_max_suppression`` with predict's defaults).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import supervision as sv

NMS_IOU = 0.7  # ultralytics predict's default
MAX_DETECTIONS = 300


class OpenVinoRunner:
    def __init__(self, folder: Path):
        import openvino as ov

        core = ov.Core()
        network = core.read_model(next(Path(folder).glob("*.xml")))
        self.shape = tuple(network.input().get_shape()[2:])  # (height, width)
        # One inference thread: a frame's tiles are small, and handing each over to two threads
        # cost 29 ms of CPU per 1080p frame against 23 ms on one (the clip's decoding runs in
        # the other thread meanwhile; benchmarks/README.md).
        config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": 1}
        compiled = core.compile_model(network, "CPU", config)
        self._request = compiled.create_infer_request()

    def detect(self, image: np.ndarray, min_confidence: float, classes: list[int]) -> sv.Detections:
        """Boxes in ``image`` (BGR, exactly the model's input shape)."""
        if image.shape[:2] != self.shape:
            raise ValueError(f"input {image.shape[:2]} does not match the model's {self.shape}")
        blob = np.ascontiguousarray(image[..., ::-1].transpose(2, 0, 1))[None]
        output = self._request.infer({0: blob.astype(np.float32) / 255.0})
        predictions = next(iter(output.values()))[0].T  # (anchors, 4 + classes)
        return decode(predictions, min_confidence, classes)


def decode(predictions: np.ndarray, min_confidence: float, classes: list[int]) -> sv.Detections:
    """Rows of (cx, cy, w, h, class scores...) -> the kept boxes, as ultralytics keeps them."""
    import torch
    import torchvision

    scores = predictions[:, 4:]
    class_id = scores.argmax(axis=1)
    confidence = scores[np.arange(len(scores)), class_id]
    kept = (confidence > min_confidence) & np.isin(class_id, classes)
    centre, size = predictions[kept, :2], predictions[kept, 2:4]
    xyxy = np.hstack([centre - size / 2, centre + size / 2]).astype(np.float32)
    confidence, class_id = confidence[kept].astype(np.float32), class_id[kept]
    order = torchvision.ops.batched_nms(
        torch.from_numpy(xyxy), torch.from_numpy(confidence), torch.from_numpy(class_id), NMS_IOU
    ).numpy()[:MAX_DETECTIONS]
    return sv.Detections(
        xyxy=xyxy[order].reshape(-1, 4), confidence=confidence[order], class_id=class_id[order]
    )
