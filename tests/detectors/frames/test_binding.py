"""Binding a clip to its camera and wall-clock start: sidecar JSON first, then the file name."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from detectors.config.errors import InputError
from detectors.frames.binding import ClipBinding, bind_clip, parse_start, sidecar_path

HANOI = "Asia/Ho_Chi_Minh"  # UTC+7, no daylight saving


def with_sidecar(tmp_path, content, clip_name: str = "clip.mp4"):
    clip = tmp_path / clip_name
    text = content if isinstance(content, str) else json.dumps(content)
    sidecar_path(clip).write_text(text, encoding="utf-8")
    return clip


def test_sidecar_is_the_clip_name_with_json(tmp_path):
    clip = tmp_path / "cam_20261116T080000.mp4"

    assert sidecar_path(clip) == tmp_path / "cam_20261116T080000.json"


def test_sidecar_with_an_aware_start_keeps_its_offset(tmp_path):
    content = {"camera_id": "cam-01", "start_time": "2026-11-16T08:00:00+08:00"}
    clip = with_sidecar(tmp_path, content)

    binding = bind_clip(clip, HANOI)

    assert binding.camera_id == "cam-01"
    assert binding.start.utcoffset() == timedelta(hours=8)
    assert binding.start == datetime(2026, 11, 16, 0, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("timezone", "offset"),
    [(HANOI, timedelta(hours=7)), ("Europe/Berlin", timedelta(hours=1)), (None, timedelta(0))],
)
def test_sidecar_with_a_naive_start_is_local_to_the_camera(tmp_path, timezone, offset):
    clip = with_sidecar(tmp_path, {"camera_id": "cam-01", "start_time": "2026-11-16T08:00:00"})

    start = bind_clip(clip, timezone).start

    assert (start.year, start.month, start.day, start.hour, start.minute) == (2026, 11, 16, 8, 0)
    assert start.utcoffset() == offset


def test_naive_start_follows_daylight_saving(tmp_path):
    clip = with_sidecar(tmp_path, {"start_time": "2026-07-01T08:00:00"})

    assert bind_clip(clip, "Europe/Berlin").start.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("content", "binding"),
    [
        ({"camera_id": "cam-01"}, ClipBinding("cam-01", None)),
        ({}, ClipBinding(None, None)),
        ({"camera_id": "cam-01", "start_time": None}, ClipBinding("cam-01", None)),
    ],
)
def test_sidecar_fields_are_optional(tmp_path, content, binding):
    assert bind_clip(with_sidecar(tmp_path, content), HANOI) == binding


def test_sidecar_wins_over_the_file_name(tmp_path):
    clip = with_sidecar(
        tmp_path,
        {"camera_id": "cam-02", "start_time": "2026-11-16T09:30:00"},
        clip_name="cam-01_20250101T000000.mp4",
    )

    binding = bind_clip(clip, HANOI)

    assert binding.camera_id == "cam-02"
    assert binding.start == datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo(HANOI))


@pytest.mark.parametrize(
    ("name", "camera_id"),
    [
        ("cam-01_20261116T080000.mp4", "cam-01"),
        ("cam-01_20261116_080000.mp4", "cam-01"),
        ("cam-01_20261116-080000.mkv", "cam-01"),
        ("cam-01_20261116080000.avi", "cam-01"),
        ("hn_giangvo.v3_20261116T080000.mp4", "hn_giangvo.v3"),
        ("cam_2025_20261116T080000.mp4", "cam_2025"),
    ],
)
def test_file_name_gives_camera_and_local_start(tmp_path, name, camera_id):
    binding = bind_clip(tmp_path / name, HANOI)

    assert binding.camera_id == camera_id
    assert binding.start == datetime(2026, 11, 16, 8, 0, 0, tzinfo=ZoneInfo(HANOI))
    assert binding.start.utcoffset() == timedelta(hours=7)


def test_file_name_start_without_a_timezone_is_utc(tmp_path):
    start = bind_clip(tmp_path / "cam-01_20261116T080000.mp4").start

    assert start.utcoffset() == timedelta(0)
    assert start.hour == 8


@pytest.mark.parametrize(
    "name",
    [
        "clip.mp4",
        "cam-01.mp4",
        "cam-01-20261116T080000.mp4",  # no underscore before the date
        "cam-01_2026111T080000.mp4",  # seven-digit date
        "cam-01_20261116T0800.mp4",  # no seconds
        "cam-01_20261116T080000_part2.mp4",
        "_20261116T080000.mp4",  # no camera
    ],
)
def test_other_names_have_no_camera_and_no_start(tmp_path, name):
    assert bind_clip(tmp_path / name, HANOI) == ClipBinding(None, None)


@pytest.mark.parametrize("name", ["cam-01_20261399T080000.mp4", "cam-01_20261116T256000.mp4"])
def test_impossible_date_in_the_name_is_no_crash(tmp_path, name):
    try:
        binding = bind_clip(tmp_path / name, HANOI)
    except InputError as error:  # a clear error naming the clip is fine too
        assert name in str(error)
    else:
        assert binding.start is None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('["cam-01", "2026-11-16T08:00:00"]', "expected an object"),
        ('"cam-01"', "expected an object"),
        ({"camera_id": "cam-01", "start": "2026-11-16T08:00:00"}, "unknown field(s) ['start']"),
        ({"camera_id": "cam-01", "start_time": "16/11/2026 8:00"}, "not ISO 8601"),
        ({"camera_id": "cam-01", "start_time": "2026-11-16T25:00:00"}, "not ISO 8601"),
    ],
    ids=["invalid_json", "list", "string", "unknown_field", "not_iso", "impossible_hour"],
)
def test_malformed_sidecar_is_an_input_error_naming_it(tmp_path, content, problem):
    clip = with_sidecar(tmp_path, content, clip_name="cam-01_20261116T080000.mp4")

    with pytest.raises(InputError) as caught:
        bind_clip(clip, HANOI)

    message = str(caught.value)
    assert "cam-01_20261116T080000.json" in message
    assert problem in message
    assert "Traceback" not in message


def test_sidecar_that_is_not_utf8_is_an_input_error(tmp_path):
    clip = tmp_path / "clip.mp4"
    sidecar_path(clip).write_bytes(b"\xff\xfe{\x00}\x00garbage\xff")

    with pytest.raises(InputError, match="clip.json"):
        bind_clip(clip, HANOI)


@pytest.mark.parametrize("start_time", [20261116080000, ["2026-11-16T08:00:00"]])
def test_sidecar_start_time_that_is_not_text_is_an_input_error(tmp_path, start_time):
    clip = with_sidecar(tmp_path, {"camera_id": "cam-01", "start_time": start_time})

    with pytest.raises(InputError, match="clip.json"):
        bind_clip(clip, HANOI)


# parse_start: the --start option and the sidecar's start_time.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-16T08:00:00+08:00", datetime(2026, 11, 16, 0, 0, tzinfo=ZoneInfo("UTC"))),
        ("2026-11-16T08:00:00Z", datetime(2026, 11, 16, 8, 0, tzinfo=ZoneInfo("UTC"))),
        ("2026-11-16T08:00:00", datetime(2026, 11, 16, 8, 0, tzinfo=ZoneInfo(HANOI))),
        ("2026-11-16 08:00", datetime(2026, 11, 16, 8, 0, tzinfo=ZoneInfo(HANOI))),
    ],
)
def test_parse_start(text, expected):
    start = parse_start(text, HANOI, "--start")

    assert start == expected
    assert start.tzinfo is not None


def test_parse_start_names_its_source_and_the_fix():
    with pytest.raises(InputError) as caught:
        parse_start("yesterday at 8", HANOI, "--start")

    assert str(caught.value).startswith("--start: start time 'yesterday at 8' is not ISO 8601")
    assert "e.g. 2026-11-16T08:00:00+08:00" in str(caught.value)
