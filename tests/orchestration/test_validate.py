"""Validation before registering: decodes, usable rate and length, known camera, known start."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from detectors.config.errors import InputError
from orchestration.validate import ClipLimits, camera_for, validate_clip

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the test camera's timezone


def test_a_clip_named_after_its_camera_is_accepted_with_a_local_start(
    drop_clip, camera_file, locations
):
    clip = drop_clip("test-cam-01_20261116T080000.mp4", frames=30, fps=10.0)

    accepted = validate_clip(clip, locations.cameras)

    assert accepted.camera.camera_id == "test-cam-01"
    assert accepted.started_at == datetime(2026, 11, 16, 8, 0, tzinfo=HANOI)
    assert accepted.info.fps == 10.0
    assert accepted.info.duration_s == 3.0


def test_a_sidecar_binds_a_clip_whatever_its_name(drop_clip, camera_file, locations):
    sidecar = {"camera_id": "test-cam-01", "start_time": "2026-11-16T08:00:00+08:00"}
    clip = drop_clip("upload-17.mp4", sidecar=sidecar)

    accepted = validate_clip(clip, locations.cameras)

    assert accepted.started_at.isoformat() == "2026-11-16T08:00:00+08:00"


def test_an_unreadable_clip_is_refused(landing, camera_file, locations):
    clip = landing / "test-cam-01_20261116T080000.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)

    with pytest.raises(InputError, match="not a readable video"):
        validate_clip(clip, locations.cameras)


def test_a_clip_without_camera_says_how_to_name_one(drop_clip, camera_file, locations):
    clip = drop_clip("upload-17.mp4")

    with pytest.raises(InputError, match=r"no camera is named.*upload-17\.json"):
        validate_clip(clip, locations.cameras)


def test_a_clip_of_an_unknown_camera_names_the_missing_file(drop_clip, camera_file, locations):
    clip = drop_clip("test-cam-99_20261116T080000.mp4")

    with pytest.raises(InputError, match=r"camera 'test-cam-99' is unknown.*test-cam-99\.yaml"):
        validate_clip(clip, locations.cameras)


def test_a_sidecar_without_start_is_refused(drop_clip, camera_file, locations):
    clip = drop_clip("upload-17.mp4", sidecar={"camera_id": "test-cam-01"})

    with pytest.raises(InputError, match="start time is unknown"):
        validate_clip(clip, locations.cameras)


@pytest.mark.parametrize(
    ("clip_options", "problem"),
    [
        ({"frames": 5, "fps": 10.0}, r"0\.5 s long, outside 1-14400 s"),
        ({"frames": 30, "fps": 1.0}, "frame rate 1 fps is outside 2-120 fps"),
    ],
)
def test_clips_outside_the_limits_are_refused(
    drop_clip, camera_file, locations, clip_options, problem
):
    clip = drop_clip("test-cam-01_20261116T080000.mp4", **clip_options)

    with pytest.raises(InputError, match=problem):
        validate_clip(clip, locations.cameras, ClipLimits())


def test_a_camera_file_must_describe_the_camera_it_is_named_after(
    camera_file, locations, camera_dict
):
    other = locations.cameras / "test-cam-02.yaml"
    other.write_text(yaml.safe_dump(camera_dict()), encoding="utf-8")  # says test-cam-01

    with pytest.raises(InputError, match="describes camera 'test-cam-01', not 'test-cam-02'"):
        camera_for("test-cam-02", locations.cameras)


def test_a_broken_camera_file_is_reported_as_such(locations, camera_dict):
    locations.cameras.mkdir(parents=True)
    broken = camera_dict(frame_size=[0, 480])
    (locations.cameras / "test-cam-01.yaml").write_text(yaml.safe_dump(broken), "utf-8")

    with pytest.raises(InputError, match="frame_size"):
        camera_for("test-cam-01", locations.cameras)
