"""Write the sample as a one-clip evaluation set: the clip, its camera, its ground truth, an
``index.yaml`` naming them (paths relative to it) and a sidecar binding the clip to its camera and
wall-clock start."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import yaml

from sample_video import scene
from sample_video.backdrop import render_backdrop
from sample_video.cast import build_looks
from sample_video.render import render_frame
from sample_video.script import frame_time, placements_at
from sample_video.sprites import Sprite
from sample_video.truth import build_truth

START_TIME = datetime.fromisoformat("2026-11-16T08:00:00+08:00")
CLIP_NAME = "intersection.mp4"


@dataclass(frozen=True)
class SampleFiles:
    clip: Path
    camera: Path
    truth: Path
    index: Path
    sidecar: Path


def write_sample(out_dir: Path) -> SampleFiles:
    """Render the clip; write it with its camera YAML, ground truth and index into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = SampleFiles(
        clip=out_dir / CLIP_NAME,
        camera=out_dir / "camera.yaml",
        truth=out_dir / "truth.json",
        index=out_dir / "index.yaml",
        sidecar=(out_dir / CLIP_NAME).with_suffix(".json"),  # where the engine looks for it
    )
    looks = build_looks()
    _write_video(files.clip, render_frames(looks))
    files.camera.write_text(_yaml(camera_document()), encoding="utf-8")
    truth = build_truth(sprite_sizes(looks))
    files.truth.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    clip = {"video": files.clip.name, "camera": files.camera.name, "truth": files.truth.name}
    index = {"clips": [clip]}
    files.index.write_text(_yaml(index), encoding="utf-8")
    sidecar = {"camera_id": scene.CAMERA_ID, "start_time": START_TIME.isoformat()}
    files.sidecar.write_text(json.dumps(sidecar, ensure_ascii=False) + "\n", encoding="utf-8")
    return files


def sprite_sizes(looks: dict[str, Sprite]) -> dict[str, tuple[int, int]]:
    return {look: (sprite.shape[1], sprite.shape[0]) for look, sprite in looks.items()}


def render_frames(
    looks: dict[str, Sprite] | None = None, indices: Iterable[int] | None = None
) -> Iterator[np.ndarray]:
    """The clip's frames, BGR, in order: all of them, or those at ``indices``."""
    looks = build_looks() if looks is None else looks
    sizes = sprite_sizes(looks)
    backdrop = render_backdrop()
    for index in range(scene.FRAME_COUNT) if indices is None else indices:
        placements = placements_at(frame_time(index), sizes)
        yield render_frame(index, backdrop, looks, placements, START_TIME)


def _write_video(path: Path, frames: Iterator[np.ndarray]) -> None:
    size = (scene.FRAME_WIDTH, scene.FRAME_HEIGHT)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), scene.FPS, size)
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write mp4v video to {path}")
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()


def camera_document() -> dict:
    """The camera YAML contract (shared/spec/camera-config.md) for the rendered intersection."""
    return {
        "camera_id": scene.CAMERA_ID,
        "name": "幸福路与工体北路路口西侧（渲染样例）",
        "intersection_id": "bj-cy-xingfu-gongtibei",
        "district": "朝阳区",
        "grid_cell": "CY-0412",
        "timezone": "Asia/Shanghai",
        "frame_size": [scene.FRAME_WIDTH, scene.FRAME_HEIGHT],
        "crosswalks": [
            {
                "id": scene.CROSSWALK_ID,
                "name": "幸福路西侧人行横道",
                "polygon": _points(scene.crosswalk_polygon()),
                "signal": scene.SIGNAL_ID,
            }
        ],
        "lanes": [
            {
                "id": scene.LANE_ID,
                "name": "工体北路东行非机动车道",
                "polygon": _points(scene.lane_polygon()),
                "direction": list(scene.LANE_DIRECTION),
                "classes": ["bicycle", "motorcycle"],
            }
        ],
        "signals": [
            {
                "id": scene.SIGNAL_ID,
                "name": "西侧人行横道信号灯",
                "kind": "pedestrian",
                "source": "vision",
                "roi": list(scene.signal_roi()),
                "lamps": ["red", "green"],
                "layout": "vertical",
            }
        ],
    }


def _points(polygon: list[tuple[float, float]]) -> list[list[float]]:
    return [[x, y] for x, y in polygon]


def _yaml(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=None)
