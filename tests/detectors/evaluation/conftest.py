"""Factories for the evaluation tests: true events, detected violations, evaluation sets on disk.

They are fixtures rather than importable helpers so that the tests work in any pytest import mode.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from detectors.evaluation.eval_set import TruthEvent
from detectors.events.violation import CourierAttribution, Rule, Violation

PED: Rule = "pedestrian_red_light"
WRONG: Rule = "wrong_way"

CAMERA = {
    "camera_id": "test-cam",
    "name": "Test camera",
    "intersection_id": "x-1",
    "district": "Test",
    "timezone": "Asia/Ho_Chi_Minh",
    "frame_size": [1000, 500],  # 12% of the width is 120 px
    "crosswalks": [
        {
            "id": "east",
            "polygon": [[600, 100], [900, 100], [900, 400], [600, 400]],
            "signal": "ped_east",
        }
    ],
    "lanes": [
        {"id": "nb", "polygon": [[0, 0], [300, 0], [300, 500], [0, 500]], "direction": [0, -1]}
    ],
    "signals": [
        {"id": "ped_east", "kind": "pedestrian", "source": "timeline", "timeline": [[0.0, "red"]]}
    ],
}


def _event(
    rule: Rule = PED, t: float = 10.0, x: float = 500, y: float = 300, **extra: Any
) -> TruthEvent:
    return TruthEvent(rule=rule, t=t, x=x, y=y, zone="east" if rule == PED else "nb", **extra)


def _violation(
    rule: Rule = PED,
    t: float = 10.0,
    x: float = 500,
    y: float = 300,
    track_id: int = 1,
    courier: CourierAttribution | None = None,
) -> Violation:
    return Violation(
        rule=rule,
        camera_id="test-cam",
        zone_id="east" if rule == PED else "nb",
        track_id=track_id,
        class_name="person" if rule == PED else "motorcycle",
        t_s=t,
        frame_index=round(t * 25),
        x=x,
        y=y,
        confidence=0.8,
        track=(),
        courier=courier,
    )


def _truth(
    events: list[dict[str, Any]] | None = None,
    complete_for: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "duration_s": 60.0,
        "complete_for": [PED, WRONG] if complete_for is None else complete_for,
        "events": events or [],
        **extra,
    }


def _write_set(root: Path, clips: dict[str, dict[str, Any]]) -> Path:
    """An evaluation set in ``root/set`` with videos beside it in ``root/videos``.

    ``clips`` maps a clip name to its truth dict; every clip uses the test camera.
    """
    set_dir, videos = root / "set", root / "videos"
    (set_dir / "cameras").mkdir(parents=True)
    (set_dir / "truth").mkdir()
    videos.mkdir()
    (set_dir / "cameras" / "cam.yaml").write_text(yaml.safe_dump(CAMERA), encoding="utf-8")
    index = []
    for name, clip_truth in clips.items():
        (videos / f"{name}.mp4").write_bytes(b"not decoded in these tests")
        (set_dir / "truth" / f"{name}.json").write_text(json.dumps(clip_truth), encoding="utf-8")
        index.append(
            {
                "video": f"../videos/{name}.mp4",
                "camera": "cameras/cam.yaml",
                "truth": f"truth/{name}.json",
            }
        )
    (set_dir / "index.yaml").write_text(yaml.safe_dump({"clips": index}), encoding="utf-8")
    return set_dir


@pytest.fixture
def make_event():
    return _event


@pytest.fixture
def make_violation():
    return _violation


@pytest.fixture
def make_truth():
    return _truth


@pytest.fixture
def make_set(tmp_path: Path):
    return lambda clips: _write_set(tmp_path, clips)
