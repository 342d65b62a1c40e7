"""The bundled sample is an exact end-to-end test: its ground truth comes from the renderer's own
script, so the engine must find every event and nothing else (real model, slow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from detectors.cli import app

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MODEL = SHARED / "models" / "yolo11n_openvino_model"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_dir(), reason=f"needs the shared model in {SHARED}"),
]


def test_the_engine_scores_perfectly_on_the_sample(tmp_path):
    from detectors.detections.detector import Detector, DetectorSettings
    from detectors.evaluation import evaluate_set
    from detectors.evaluation.engine import engine_detect
    from sample_video import write_sample

    files = write_sample(tmp_path / "sample")
    detector = Detector(DetectorSettings(model=str(MODEL)))

    report = evaluate_set(files.index.parent, engine_detect(detector))

    for rule in ("pedestrian_red_light", "wrong_way"):
        scores = report["rules"][rule]
        assert (scores["precision"], scores["recall"]) == (1.0, 1.0), (rule, scores)
    assert report["signals"]["accuracy"] >= 0.99  # every change dated within a frame
    assert report["courier"] == {"accuracy": 1.0, "n": 2, "correct": 2}


def test_the_demo_runs_the_engine_on_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVILITY_MODEL", str(MODEL))

    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert "4 violation(s)" in result.output
    events = list((tmp_path / "results" / "intersection" / "evidence").iterdir())
    assert len(events) == 4
    assert all((folder / "clip.mp4").stat().st_size > 0 for folder in events)
