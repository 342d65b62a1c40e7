import json
from datetime import datetime

import cv2
import numpy as np
import yaml

from detectors.config.camera import VisionSignal, load_camera
from detectors.evaluation.eval_set import load_eval_set
from detectors.frames.binding import bind_clip
from sample_video import SampleFiles, scene
from sample_video.sprites import Sprite
from sample_video.truth import build_truth
from sample_video.write import render_frames

MAX_CLIP_BYTES = 3_000_000


def test_all_files_are_written_beside_each_other(sample: SampleFiles) -> None:
    paths = [sample.clip, sample.camera, sample.truth, sample.index, sample.sidecar]
    assert all(path.is_file() for path in paths)
    assert len({path.parent for path in paths}) == 1
    assert sample.clip.name == "intersection.mp4" and sample.sidecar.name == "intersection.json"


def test_index_names_the_clip_with_relative_paths(sample: SampleFiles) -> None:
    (clip,) = yaml.safe_load(sample.index.read_text(encoding="utf-8"))["clips"]
    assert set(clip) == {"video", "camera", "truth"}
    for key in clip:
        assert not clip[key].startswith("/")
        assert (sample.index.parent / clip[key]).is_file()
    (loaded,) = load_eval_set(sample.index.parent)  # the evaluation command reads it as a set
    assert loaded.video == sample.clip and loaded.camera_id == scene.CAMERA_ID


def test_camera_loads_and_describes_the_rendered_scene(sample: SampleFiles) -> None:
    camera = load_camera(sample.camera)
    assert camera.camera_id == scene.CAMERA_ID and camera.timezone == "Asia/Shanghai"
    assert camera.frame_size == (scene.FRAME_WIDTH, scene.FRAME_HEIGHT)
    (crosswalk,) = camera.crosswalks
    (lane,) = camera.lanes
    signal = camera.signal(crosswalk.signal)
    assert crosswalk.polygon == scene.crosswalk_polygon()
    assert lane.unit_direction() == (1.0, 0.0) and set(lane.classes) == {"bicycle", "motorcycle"}
    assert isinstance(signal, VisionSignal) and signal.kind == "pedestrian"
    assert signal.roi == scene.signal_roi() and signal.head_layout() == "vertical"


def test_sidecar_binds_the_clip_to_camera_and_start(sample: SampleFiles) -> None:
    sidecar = json.loads(sample.sidecar.read_text(encoding="utf-8"))
    camera = load_camera(sample.camera)
    assert sidecar["camera_id"] == camera.camera_id
    assert sidecar["start_time"] == "2026-11-16T08:00:00+08:00"
    binding = bind_clip(sample.clip, camera.timezone)
    assert binding.camera_id == camera.camera_id
    assert binding.start == datetime.fromisoformat(sidecar["start_time"])


def test_truth_file_is_the_truth_of_the_script(
    sample: SampleFiles, sizes: dict[str, tuple[int, int]]
) -> None:
    assert json.loads(sample.truth.read_text(encoding="utf-8")) == build_truth(sizes)


def test_clip_decodes_with_the_declared_frames(sample: SampleFiles) -> None:
    assert sample.clip.stat().st_size < MAX_CLIP_BYTES
    capture = cv2.VideoCapture(str(sample.clip))
    try:
        assert capture.get(cv2.CAP_PROP_FPS) == scene.FPS
        frames = 0
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            assert frame.shape == (scene.FRAME_HEIGHT, scene.FRAME_WIDTH, 3)
            frames += 1
    finally:
        capture.release()
    assert frames == scene.FRAME_COUNT
    assert frames / scene.FPS == json.loads(sample.truth.read_text())["duration_s"]


def test_each_decoded_frame_is_its_rendered_frame(
    sample: SampleFiles, looks: dict[str, Sprite], decoded
) -> None:
    checked = [1, 57, 133, scene.FRAME_COUNT - 2]
    wanted = sorted({i + step for i in checked for step in (-1, 0, 1)})
    rendered = dict(zip(wanted, render_frames(looks, wanted), strict=True))
    frames = decoded(sample.clip, set(checked))

    def error(index: int, other: int) -> float:
        return float(np.abs(frames[index].astype(int) - rendered[other].astype(int)).mean())

    for index in checked:
        # Compression blurs every frame a little; the right frame is still the closest one.
        assert error(index, index) < 4
        assert error(index, index) < min(error(index, index - 1), error(index, index + 1))
