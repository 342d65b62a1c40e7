"""``civility camera check``: a valid file summarised, an invalid one refused field by field, the
layout drawn over a frame of a clip, the lamps read over its first seconds."""

from __future__ import annotations

import json

import cv2
import numpy as np
import yaml
from typer.testing import CliRunner

from civility.cli import app
from detectors.config.check import check_camera


def civility(*args: str):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def signal_head_clip(path, lit: str, seconds: float = 3.0, fps: float = 10.0):
    """640x480 grey frames with a two-lamp signal head in [600, 10, 20, 50]: a dark housing, the
    upper (red) or lower (green) lens lit."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (640, 480))
    for _ in range(int(seconds * fps)):
        frame = np.full((480, 640, 3), 90, np.uint8)
        frame[10:60, 600:620] = 20
        centre = (610, 22) if lit == "red" else (610, 48)
        color = (40, 40, 255) if lit == "red" else (80, 255, 40)
        cv2.circle(frame, centre, 6, color, -1)
        writer.write(frame)
    writer.release()
    return path


def camera_with_vision_signal(tmp_path, camera_dict):
    data = camera_dict()
    data["signals"][2] = {
        "id": "veh_main",
        "kind": "pedestrian",
        "source": "vision",
        "roi": [600, 10, 20, 50],
    }
    path = tmp_path / "test-cam-01.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_valid_file_alone_is_summarised(tmp_path, camera_dict):
    path = tmp_path / "cam.yaml"
    path.write_text(yaml.safe_dump(camera_dict()), encoding="utf-8")

    result = civility("camera", "check", path, "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["camera_id"], summary["count_crosswalks"], summary["count_lanes"]) == (
        "test-cam-01",
        2,
        2,
    )
    assert summary["clip"] is None and summary["image"] is None


def test_an_invalid_file_names_each_field_and_its_fix(tmp_path, camera_dict):
    path = tmp_path / "cam.yaml"
    data = {**camera_dict(timezone="Mars/Olympus"), "crosswalk": []}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    result = civility("camera", "check", path)

    assert result.exit_code == 2
    assert "timezone: 'Mars/Olympus' is not an IANA time zone name" in result.output
    assert "unknown field 'crosswalk' (did you mean 'crosswalks'?)" in result.output


def test_the_layout_is_drawn_over_a_frame_and_the_lamp_read(tmp_path, camera_dict):
    camera = camera_with_vision_signal(tmp_path, camera_dict)
    # Named after its camera and start: the test camera's plan signal needs the time of day.
    clip = signal_head_clip(tmp_path / "test-cam-01_20261116T080000.mp4", lit="green")
    out = tmp_path / "layout" / "check.png"

    result = civility("camera", "check", camera, clip, "--out", out, "--seconds", "2", "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["image"] == str(out)
    drawn = cv2.imread(str(out))
    ok, frame = cv2.VideoCapture(str(clip)).read()
    assert ok and drawn.shape == frame.shape
    # The south crosswalk's top edge runs along y 300, in yellow; inside it the frame is as shot.
    assert drawn[300, 300].tolist() == [0, 220, 255]
    assert drawn[330, 300].tolist() == frame[330, 300].tolist()
    assert summary["lamps"]["veh_main"] == [{"from_s": 0.0, "to_s": 2.0, "state": "green"}]
    assert summary["lamps"]["ped_south"] == [{"from_s": 0.0, "to_s": 2.0, "state": "red"}]


def test_a_clip_of_another_shape_is_pointed_out(tmp_path, camera_dict, make_clip):
    camera = camera_with_vision_signal(tmp_path, camera_dict)
    clip = make_clip(name="test-cam-01_20261116T080000.mp4", size=(640, 360), frames=10)

    check = check_camera(camera, clip, seconds=1.0)

    assert check.scaled.frame_size == (640, 360)
    assert any("differ in shape" in note for note in check.notes)


def test_out_needs_a_clip(tmp_path, camera_dict):
    path = tmp_path / "cam.yaml"
    path.write_text(yaml.safe_dump(camera_dict()), encoding="utf-8")

    result = civility("camera", "check", path, "--out", tmp_path / "x.png")

    assert result.exit_code == 2
    assert "--out draws over a frame of a clip" in result.output
