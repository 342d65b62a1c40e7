"""Synthetic clips, a camera and violations for the evidence tests.

The clip shows one light rectangle sliding right over a grey road, 4 px per frame; the
violation's track samples it every 3rd frame, as the analysis rate would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from detectors.config.camera import CameraConfig
from detectors.events.violation import TrackPoint, Violation


class Synthetic:
    """Makes and reads the synthetic clips of one test, in its tmp_path."""

    width, height, fps, frames = 320, 240, 10, 60
    box_w, box_h, track_step = 30, 50, 3

    def __init__(self, folder: Path):
        self.folder = folder

    def box(self, frame_index: int) -> tuple[float, float, float, float]:
        x1, y1 = 20 + 4 * frame_index, 110
        return (x1, y1, x1 + self.box_w, y1 + self.box_h)

    def frame(self, frame_index: int) -> np.ndarray:
        image = np.full((self.height, self.width, 3), 70, np.uint8)
        x1, y1, x2, y2 = (round(v) for v in self.box(frame_index))
        cv2.rectangle(image, (x1, y1), (x2, y2), (230, 230, 230), -1)
        return image

    def mp4v(self, name: str = "clip.mp4", frames: int | None = None) -> Path:
        path = self.folder / name
        fourcc = cv2.VideoWriter_fourcc(*"mp4v")
        writer = cv2.VideoWriter(str(path), fourcc, self.fps, (self.width, self.height))
        for index in range(self.frames if frames is None else frames):
            writer.write(self.frame(index))
        writer.release()
        return path

    def variable_rate(self, name: str, gaps_ms: list[int]) -> Path:
        """An MPEG-4 clip whose frames are ``gaps_ms`` apart (one more frame than gaps)."""
        path = self.folder / name
        with av.open(str(path), "w") as container:
            stream = container.add_stream("mpeg4", rate=10)
            stream.width, stream.height, stream.pix_fmt = self.width, self.height, "yuv420p"
            stream.time_base = stream.codec_context.time_base = Fraction(1, 1000)
            pts = 0
            for index, gap in enumerate([*gaps_ms, 0]):
                frame = av.VideoFrame.from_ndarray(self.frame(index), format="bgr24")
                frame.pts, frame.time_base = pts, Fraction(1, 1000)
                container.mux(stream.encode(frame))
                pts += gap
            container.mux(stream.encode(None))
        return path

    @staticmethod
    def decode_all(path: Path) -> list[np.ndarray]:
        """Every frame by plain sequential decoding: the reference for frame indices."""
        capture = cv2.VideoCapture(str(path))
        frames = []
        while True:
            ok, frame = capture.read()
            if not ok:
                return frames
            frames.append(frame)


@pytest.fixture
def synthetic(tmp_path: Path) -> Synthetic:
    return Synthetic(tmp_path)


@pytest.fixture
def clip_path(synthetic: Synthetic) -> Path:
    return synthetic.mp4v()


@pytest.fixture
def camera() -> CameraConfig:
    return CameraConfig.model_validate(
        {
            "camera_id": "test-cam-01",
            "name": "Test junction, north approach",
            "intersection_id": "x-0001",
            "district": "Đống Đa",
            "timezone": "Asia/Shanghai",
            "frame_size": [Synthetic.width, Synthetic.height],
            "crosswalks": [
                {
                    "id": "north",
                    "polygon": [[10, 150], [310, 150], [310, 200], [10, 200]],
                    "signal": "ped_north",
                }
            ],
            "lanes": [
                {
                    "id": "wb",
                    "polygon": [[0, 60], [320, 60], [320, 230], [0, 230]],
                    "direction": [-1, 0],
                }
            ],
            "signals": [
                {
                    "id": "ped_north",
                    "kind": "pedestrian",
                    "source": "timeline",
                    "timeline": [[0.0, "red"]],
                }
            ],
        }
    )


@pytest.fixture
def make_violation(synthetic: Synthetic) -> Callable[..., Violation]:
    """A pedestrian entering the crosswalk on red at frame 30 (3.0 s), out again at 3.5 s."""

    def make(**changes: object) -> Violation:
        track = tuple(
            TrackPoint(t_s=i / synthetic.fps, frame_index=i, xyxy=synthetic.box(i))
            for i in range(0, synthetic.frames, synthetic.track_step)
        )
        x1, _, x2, y2 = synthetic.box(30)
        violation = Violation(
            rule="pedestrian_red_light",
            camera_id="test-cam-01",
            zone_id="north",
            track_id=17,
            class_name="person",
            t_s=3.0,
            frame_index=30,
            x=(x1 + x2) / 2,
            y=y2,
            confidence=0.8,
            track=track,
            t_end_s=3.5,
            signal_id="ped_north",
            signal_state="red",
            details={"feet_inside_frames": np.int64(3)},
        )
        return replace(violation, **changes)

    return make
