"""The pipeline with the camera's view: synthetic clips, no model (test_pipeline.py needs it)."""

from __future__ import annotations

import pytest

from detectors.frames.view import CONFIRM_S
from detectors.pipeline import analyse_clip


class CountingDetector:
    """Finds nobody, and counts the frames it was shown."""

    version = "nobody@0"

    def __init__(self):
        self.frames_seen = 0

    def detect(self, image):
        import supervision as sv

        self.frames_seen += 1
        return sv.Detections.empty()


def write_clip(path, seed: int, x0_of_frame, frames: int, head: bool = False):
    """A 640x360 clip at 10 fps of a scene of boxes (and a red pedestrian head), each frame
    cut from it at x ``x0_of_frame(index)``: the camera's pan."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(seed)
    scene = np.full((560, 1040, 3), 90, np.uint8)
    for _ in range(150):
        x, y, w, h = (int(v) for v in rng.integers([0, 0, 8, 4], [1040, 560, 80, 40]))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(scene, (x, y), (x + w, y + h), colour, -1)
    if head:
        cv2.rectangle(scene, (500, 200), (523, 247), (38, 36, 34), -1)
        cv2.circle(scene, (511, 212), 8, (40, 30, 230), -1)
        cv2.circle(scene, (511, 236), 8, (58, 55, 52), -1)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (640, 360))
    for index in range(frames):
        x0 = x0_of_frame(index)
        writer.write(np.ascontiguousarray(scene[100:460, x0 : x0 + 640]))
    writer.release()
    return path


def test_a_camera_knocked_off_its_view_stops_being_analysed(tmp_path, make_camera):
    from detectors.signals.states import SignalState

    # at 2.5 s the picture jumps 150 px: a knocked camera
    path = write_clip(tmp_path / "knocked.mp4", 5, lambda index: 200 if index < 25 else 50, 50)
    signal = {"id": "ped", "kind": "pedestrian", "source": "vision", "roi": [300, 100, 24, 48]}
    camera = make_camera(frame_size=[640, 360], crosswalks=[], lanes=[], signals=[signal])
    detector = CountingDetector()
    result = analyse_clip(path, camera, detector, analysis_fps=10.0)
    assert result.view.changed_at_s == pytest.approx(2.5, abs=0.2)
    # Frames are analysed until the change is confirmed, a second later; none after that.
    assert detector.frames_seen <= 25 + 10 * CONFIRM_S + 2
    assert result.decode.frames_analysed == 50  # but the whole clip is still accounted for
    last = result.signal_timeline[-1]
    assert (last.state, last.to_s) == (SignalState.UNKNOWN, pytest.approx(5.0, abs=0.1))
    assert last.from_s == pytest.approx(result.view.changed_at_s)
    assert result.view.registrations > 0 and result.view.registration_ms > 0


def test_a_camera_back_on_its_view_is_analysed_again(tmp_path, make_camera):
    """A PTZ tour: away from its preset at 3 s, back at 6 s. The stretch away is not analysed
    and its lamp is unknown; after the return the camera is analysed and read again."""
    from detectors.signals.states import SignalState

    def away_from_3_to_6_s(index: int) -> int:
        return 60 if 30 <= index < 60 else 200

    path = write_clip(tmp_path / "tour.mp4", 6, away_from_3_to_6_s, 100, head=True)
    signal = {"id": "ped", "kind": "pedestrian", "source": "vision", "roi": [298, 98, 28, 52]}
    camera = make_camera(frame_size=[640, 360], crosswalks=[], lanes=[], signals=[signal])
    analysed: list[float] = []
    result = analyse_clip(
        path,
        camera,
        CountingDetector(),
        analysis_fps=10.0,
        frame_log=lambda index, t_s, *_: analysed.append(t_s),
    )
    (change,) = result.view.changes
    assert change.start_s == pytest.approx(3.0, abs=0.2)
    assert change.end_s == pytest.approx(6.0 + CONFIRM_S, abs=0.5)
    assert not [t for t in analysed if change.start_s + CONFIRM_S + 0.25 < t < change.end_s]
    assert max(analysed) == pytest.approx(9.9)  # analysed again after the return
    states = [(s.state, round(s.from_s, 1), round(s.to_s, 1)) for s in result.signal_timeline]
    assert states == [
        (SignalState.RED, 0.0, round(change.start_s, 1)),
        (SignalState.UNKNOWN, round(change.start_s, 1), round(change.end_s, 1)),
        (SignalState.RED, round(change.end_s, 1), 10.0),
    ]
