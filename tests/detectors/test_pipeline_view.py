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


def test_a_camera_knocked_off_its_view_stops_being_analysed(tmp_path, make_camera):
    import cv2
    import numpy as np

    from detectors.signals.states import SignalState

    rng = np.random.default_rng(5)
    scene = np.full((560, 1040, 3), 90, np.uint8)
    for _ in range(150):
        x, y, w, h = (int(v) for v in rng.integers([0, 0, 8, 4], [1040, 560, 80, 40]))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(scene, (x, y), (x + w, y + h), colour, -1)
    path = tmp_path / "knocked.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (640, 360))
    for index in range(50):  # at 2.5 s the picture jumps 150 px: a knocked camera
        x0 = 200 if index < 25 else 50
        writer.write(np.ascontiguousarray(scene[100:460, x0 : x0 + 640]))
    writer.release()
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
