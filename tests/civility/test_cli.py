"""The command line turns bad input into one clear message and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from civility.cli import app

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

CAMERA = {
    "camera_id": "cli-test-01",
    "name": "CLI test",
    "intersection_id": "x-1",
    "district": "测试区",
    "timezone": "Asia/Shanghai",
    "frame_size": [320, 240],
    "crosswalks": [
        {"id": "c", "polygon": [[0, 100], [320, 100], [320, 140], [0, 140]], "signal": "p"}
    ],
    "signals": [{"id": "p", "kind": "pedestrian", "source": "timeline", "timeline": [[0, "red"]]}],
}


@pytest.fixture
def camera_file(tmp_path: Path) -> Path:
    path = tmp_path / "camera.yaml"
    path.write_text(yaml.safe_dump(CAMERA, allow_unicode=True))
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00garbage" * 100, "not a readable video"),
        (None, "not found"),
    ],
)
def test_a_bad_clip_is_named_with_the_fix(tmp_path, camera_file, content, message):
    clip = tmp_path / "clip.mp4"
    if content is not None:
        clip.write_bytes(content)

    result = invoke("detect", str(clip), "--camera", str(camera_file), "--out", str(tmp_path / "o"))

    assert result.exit_code == 2
    assert str(clip) in result.output and message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_camera_file_with_a_typo_is_named_with_field_and_fix(tmp_path, camera_file):
    camera_file.write_text(camera_file.read_text().replace("crosswalks:", "crosswalk:"))

    result = invoke("detect", str(tmp_path / "x.mp4"), "--camera", str(camera_file), "--out", "o")

    assert result.exit_code == 2
    assert str(camera_file) in result.output
    assert "crosswalk" in result.output and "did you mean 'crosswalks'" in result.output


def test_a_missing_evaluation_set_is_reported(tmp_path):
    result = invoke("evaluate", str(tmp_path / "nowhere"), "--model", "unused.pt")

    assert result.exit_code == 2
    assert "nowhere" in result.output


def test_help_speaks_to_a_traffic_engineer():
    # Help is laid out for the terminal; give it a known width so that words stay on one line.
    result = CliRunner().invoke(app, ["detect", "--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    for words in ("--camera", "--fps", "--model", "wrong way"):
        assert words in result.output


def test_the_clip_summary_prints_evidence_folders_whole_in_a_narrow_terminal(monkeypatch, capsys):
    from civility import cli
    from civility.terminal import console

    monkeypatch.setattr(console, "width", 40)
    folder = "results/" + "/".join(f"level-{n}" for n in range(8)) + "/evidence/b5e27b06-wrong_way"
    violation = {
        "event_id": "b5e27b06-wrong_way",
        "t_s": 9.0,
        "rule": "wrong_way",
        "zone": "eb_bike",
        "track": 21,
        "signal": None,
        "courier": "meituan",
        "evidence": folder,
    }
    summary = {
        "clip": "intersection.mp4",
        "outputs": "results/" + "/".join(f"level-{n}" for n in range(8)),
        "violations": [violation],
        "count_pedestrian_crossings": 6,
        "count_two_wheeler_passages": 6,
        "analysed_s": 24.0,
        "runtime_s": 6.0,
        "is_partial": False,
    }

    cli._print_clip_summary(summary)

    lines = capsys.readouterr().out.splitlines()
    assert f"evidence   9.00 s: {folder}" in lines
    assert f"outputs: {summary['outputs']}" in lines


def test_derive_clips_makes_the_clips_of_a_recipe_folder(tmp_path, make_clip):
    make_clip(name="source.mp4", frames=5)
    folder = tmp_path / "derived"
    folder.mkdir()
    recipes = {"clips": [{"clip": "back.mp4", "from": "../source.mp4", "reverse": True}]}
    (folder / "derive.yaml").write_text(yaml.safe_dump(recipes))

    result = invoke("derive-clips", str(folder))

    assert result.exit_code == 0, result.output
    assert (folder / "back.mp4").stat().st_size > 0
    assert "1 derived clip(s) made" in result.output


def test_derive_clips_names_a_folder_without_recipes(tmp_path):
    result = invoke("derive-clips", str(tmp_path))

    assert result.exit_code == 2
    assert "derive.yaml" in result.output
