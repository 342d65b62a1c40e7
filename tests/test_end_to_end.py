"""The bundled sample is an exact end-to-end test: its ground truth comes from the renderer's own
script, so the engine must find every event and nothing else (real model, slow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from civility.cli import app

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


def test_the_demo_runs_clip_to_events_to_warehouse_to_board(tmp_path, monkeypatch):
    import json

    from analytics.warehouse import connect

    monkeypatch.setenv("CIVILITY_MODEL", str(MODEL))

    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--json"])

    assert result.exit_code == 0, result.output
    demo = json.loads(result.stdout)
    evidence = {Path(violation["evidence"]) for violation in demo["detect"]["violations"]}
    assert evidence == set((tmp_path / "results" / "intersection" / "evidence").iterdir())
    assert len(evidence) == 4
    assert all((folder / "clip.mp4").stat().st_size > 0 for folder in evidence)

    board = tmp_path / "warehouse" / "boards" / "week=2026-W47" / "rev=001"
    assert Path(demo["board"]) == board / "index.html"
    sample_events = connect(tmp_path / "warehouse").sql(
        "select rule, count(*) from fct_violations where camera_id = 'sample-xingfu-01' "
        "group by rule order by rule"
    )
    assert sample_events.fetchall() == [("pedestrian_red_light", 2), ("wrong_way", 2)]
    # Synthetic review decisions give the week cases to export; the sample's wait for a person.
    warehouse = connect(tmp_path / "warehouse")
    pending = warehouse.sql(
        "select distinct review_status from fct_violations where camera_id = 'sample-xingfu-01'"
    )
    assert pending.fetchall() == [("pending",)]
    cases = warehouse.sql("select sum(count_cases) from enforcement_weekly where week = '2026-W47'")
    assert cases.fetchall()[0][0] > 1000
    figures = json.loads((board / "board.json").read_text())
    assert figures["week"] == "2026-W47" and figures["rankings"]
    courier = [row for row in figures["campaign"] if row["segment"] == "courier"]
    assert courier[0]["change_rate_pct"] < -50  # the synthetic campaign effect, recovered


def test_detect_json_is_the_only_thing_on_stdout(tmp_path):
    """Scripts parse stdout whole: the model library's own log lines must not land there, not
    even its banner on a machine where it has never run (a fresh settings folder)."""
    import json
    import os
    import subprocess
    import sys

    from sample_video import write_sample

    files = write_sample(tmp_path / "sample")
    command = [sys.executable, "-m", "civility.cli", "detect", str(files.clip)]
    command += ["--camera", str(files.camera), "--out", str(tmp_path / "out"), "--json"]
    environment = os.environ | {
        "CIVILITY_MODEL": str(MODEL),
        "YOLO_CONFIG_DIR": str(tmp_path / "fresh-ultralytics-settings"),
    }
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)

    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert len(summary["violations"]) == 4
    assert all(Path(violation["evidence"]).is_dir() for violation in summary["violations"])
