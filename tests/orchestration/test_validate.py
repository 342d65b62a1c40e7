"""Validation before registering: decodes, usable rate and length, known camera, known start."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from detectors.config.errors import InputError
from orchestration.validate import ClipLimits, ClipRefused, camera_for, validate_clip

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the test camera's timezone
SHARED_VIDEOS = Path(__file__).resolve().parents[3] / "shared" / "videos"


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
    ("clip_options", "kind", "problem"),
    [
        ({"frames": 5, "fps": 10.0}, "too_short", r"0\.5 s long, less than 1 s"),
        ({"frames": 30, "fps": 1.0}, "frame_rate", "frame rate 1 fps is outside 2-120 fps"),
        ({"gaps_ms": [100] * 10 + [3000] + [100] * 10}, "broken_timestamps", r"jump 3\.0 s"),
    ],
)
def test_clips_outside_the_limits_are_refused(
    drop_clip, camera_file, locations, clip_options, kind, problem
):
    clip = drop_clip("test-cam-01_20261116T080000.mp4", **clip_options)

    with pytest.raises(ClipRefused, match=problem) as refused:
        validate_clip(clip, locations.cameras, ClipLimits())
    assert refused.value.kind == kind


def test_a_clip_cut_short_in_copying_is_refused_as_partial(landing, camera_file, locations):
    # A real camera clip, its index at the front: cut short, its header still counts every frame.
    real = SHARED_VIDEOS / "thai_intersection_footbridge_Traffic2.mp4"
    if not real.is_file():
        pytest.skip(f"needs the shared clip {real}")
    clip = landing / "test-cam-01_20261116T080000.mp4"
    clip.write_bytes(real.read_bytes()[:200_000])

    with pytest.raises(ClipRefused, match=r"only 21 of its 362 frames decode") as refused:
        validate_clip(clip, locations.cameras)
    assert refused.value.kind == "partial"


def test_recordings_joined_end_to_end_are_refused_for_their_clock(
    landing, camera_file, locations, make_clip
):
    # MPEG-TS files can be concatenated byte for byte; the second one's clock starts again at 0.
    parts = [make_clip(name=f"part{i}.ts", gaps_ms=[100] * 19) for i in range(2)]
    clip = landing / "test-cam-01_20261116T080000.ts"
    clip.write_bytes(b"".join(part.read_bytes() for part in parts))

    with pytest.raises(ClipRefused, match=r"20 of 40 frames are stamped no later") as refused:
        validate_clip(clip, locations.cameras)
    assert refused.value.kind == "broken_timestamps"


def test_an_unknown_camera_is_refused_with_its_id(drop_clip, locations):
    clip = drop_clip("test-cam-99_20261116T080000.mp4")

    with pytest.raises(ClipRefused) as refused:
        validate_clip(clip, locations.cameras)
    assert (refused.value.kind, refused.value.camera_id) == ("unknown_camera", "test-cam-99")


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
