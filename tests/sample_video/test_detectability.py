"""The shared YOLO11n model must see the rendered road users as it sees real ones."""

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from sample_video import SampleFiles, scene
from sample_video.script import frame_time, placements_at

MODEL = Path(__file__).resolve().parents[3] / "shared" / "models" / "yolo11n_openvino_model"
CONFIDENCE, MIN_IOU = 0.3, 0.5
WANTED = {"person": {"person"}, "two_wheeler": {"bicycle", "motorcycle"}}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_dir(), reason="needs ../shared/models (the shared YOLO11n)"),
]

Box = tuple[float, float, float, float]


def _iou(a: Box, b: Box) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    overlap = width * height
    return overlap / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - overlap)


def detection_rates(
    model, video: Path, sizes: dict[str, tuple[int, int]], every: int, decoded
) -> dict[str, tuple[str, float]]:
    """Per actor: its kind and the share of frames (wholly inside the picture) in which a box of
    its class overlaps its drawn box by at least MIN_IOU."""
    indices = set(range(0, scene.FRAME_COUNT, every))
    found: dict[str, list[bool]] = defaultdict(list)
    kinds = {}
    for index, frame in sorted(decoded(video, indices).items()):
        result = model.predict(frame, imgsz=640, conf=CONFIDENCE, verbose=False)[0]
        detections = [
            (result.names[int(k)], box)
            for k, box in zip(result.boxes.cls.tolist(), result.boxes.xyxy.tolist(), strict=True)
        ]
        for placed in placements_at(frame_time(index), sizes):
            if placed.x0 < 0 or placed.x0 + placed.width > scene.FRAME_WIDTH:
                continue
            truth = placed.visible_box()
            kind = placed.actor.kind
            kinds[placed.actor.id] = kind
            overlaps = [_iou(truth, box) for name, box in detections if name in WANTED[kind]]
            found[placed.actor.id].append(max(overlaps, default=0.0) >= MIN_IOU)
    return {actor: (kinds[actor], sum(hits) / len(hits)) for actor, hits in found.items()}


def test_the_shared_model_finds_the_rendered_road_users(
    sample: SampleFiles,
    sizes: dict[str, tuple[int, int]],
    monkeypatch: pytest.MonkeyPatch,
    decoded,
) -> None:
    monkeypatch.setenv("YOLO_CONFIG_DIR", "/tmp/yolo_cfg")
    monkeypatch.setenv("YOLO_OFFLINE", "1")
    from ultralytics import YOLO

    rates = detection_rates(
        YOLO(str(MODEL), task="detect"), sample.clip, sizes, every=3, decoded=decoded
    )
    for actor, (kind, rate) in sorted(rates.items()):
        print(f"{actor:32s} {kind:12s} {rate:.2f}")
    people = [rate for kind, rate in rates.values() if kind == "person"]
    riders = {actor: rate for actor, (kind, rate) in rates.items() if kind == "two_wheeler"}
    assert len(people) == 7 and min(people) >= 0.85
    assert len(riders) == 6 and min(riders.values()) >= 0.4
    assert np.mean(list(riders.values())) >= 0.6
    assert all(rate >= 0.5 for actor, rate in riders.items() if "wrong_way" in actor)
