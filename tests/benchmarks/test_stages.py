"""The stage benchmark runs as its README says, on the bundled sample (real model, slow): a
benchmark that no longer runs against the engine's current API would otherwise go unnoticed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO.parent / "shared" / "models" / "yolo11n_openvino_model"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_dir(), reason=f"needs the shared model in {MODEL.parent}"),
]


def test_every_stage_is_timed_on_the_sample(tmp_path):
    from sample_video import write_sample

    sample = write_sample(tmp_path / "sample")
    report = tmp_path / "stages.json"

    subprocess.run(
        [sys.executable, "-m", "benchmarks.stages", "--clip", str(sample.clip)]
        + ["--camera", str(sample.camera), "--fps", "5", "--json", str(report)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )

    timings = json.loads(report.read_text())
    names = [stage["name"] for stage in timings["stages"]]
    assert names[0].startswith("decode, every frame") and names[-1].startswith("whole engine")
    assert len(names) == 8
    assert timings["frames_analysed"] > 0
    assert all(stage["calls"] > 0 and stage["wall_s"] > 0 for stage in timings["stages"])
