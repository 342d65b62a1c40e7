"""The real model on real clips: the engine end to end, without evidence (slow)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from detectors.config.camera import load_camera
from detectors.pipeline import analyse_clip

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
MODEL = SHARED / "models" / "yolo11n_openvino_model"
CAMERAS = SHARED / "eval" / "dev" / "cameras"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_dir(), reason=f"needs the shared model and clips in {SHARED}"),
]


@pytest.fixture(scope="module")
def detector():
    from detectors.detections.detector import Detector, DetectorSettings

    return Detector(DetectorSettings(model=str(MODEL)))


def test_riders_crossing_zebras_in_dense_traffic_are_not_pedestrians(detector):
    result = analyse_clip(
        SHARED / "videos" / "hanoi_giangvo_langha_16h15.mp4",
        load_camera(CAMERAS / "hanoi_giangvo.yaml"),
        detector,
    )

    assert sum(v.rule == "pedestrian_red_light" for v in result.violations) <= 1
    assert Counter(t.road_user for t in result.tracks)["rider"] > 20  # the riders were seen as such
    assert result.analysed_duration_s == pytest.approx(63.8, abs=0.2)
    assert not result.decode.is_partial


def test_a_platoon_riding_against_the_lane_is_flagged_once_each(detector):
    camera = load_camera(CAMERAS / "thai_footbridge.yaml")
    reversed_clip = analyse_clip(
        SHARED / "videos" / "thai_intersection_footbridge_Traffic2_reversed.mp4", camera, detector
    )
    forward_clip = analyse_clip(
        SHARED / "videos" / "thai_intersection_footbridge_Traffic2.mp4", camera, detector
    )

    wrong_way = [v for v in reversed_clip.violations if v.rule == "wrong_way"]
    assert 25 <= len(wrong_way) <= 34  # 31 labelled riders
    assert len({v.track_id for v in wrong_way}) == len(wrong_way)
    assert all(v.t_end_s is not None and v.t_end_s > v.t_s for v in wrong_way)
    assert sum(v.rule == "wrong_way" for v in forward_clip.violations) <= 2
    legal = [p for p in forward_clip.passages if p.zone_kind == "lane"]
    assert sum(p.along_direction_px > 0 for p in legal) > 20  # the exposure: riders passing legally


def test_a_vision_signal_timeline_covers_the_clip(detector):
    result = analyse_clip(
        SHARED / "videos" / "vn_intersection_screenrec_test2.mp4",
        load_camera(CAMERAS / "vn_screenrec.yaml"),
        detector,
        analysis_fps=5,
    )

    states = [(s.state, round(s.from_s, 1)) for s in result.signal_timeline]
    assert [state for state, _ in states] == ["red", "green"]
    assert states[1][1] == pytest.approx(24.55, abs=0.5)
    assert result.signal_timeline[-1].to_s == pytest.approx(result.analysed_duration_s)
