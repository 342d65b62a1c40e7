"""The demo landing set: distinct footage per clip, bound by sidecar or name, one corrupt clip.
A small synthetic clip stands in for the rendered sample."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime

import cv2
import pytest
import yaml

from detectors.frames.binding import bind_clip
from orchestration.demo import CAMERA_ID, DemoClip, demo_specs, write_landing_demo

START = datetime.fromisoformat("2026-11-16T08:00:00+08:00")
LATER = datetime.fromisoformat("2026-11-22T23:30:00+08:00")


def test_demo_clips_are_cut_bound_and_accompanied_by_three_to_refuse(
    tmp_path, make_clip, camera_dict
):
    work = tmp_path / "work"
    (work / "sample").mkdir(parents=True)
    shutil.move(make_clip(frames=40, fps=10.0), work / "sample" / "intersection.mp4")
    camera = camera_dict(camera_id=CAMERA_ID)
    (work / "sample" / "camera.yaml").write_text(yaml.safe_dump(camera), encoding="utf-8")
    specs = [DemoClip(0.0, 2.0, START, True), DemoClip(1.0, 4.0, LATER, False)]

    demo = write_landing_demo(tmp_path / "landing", tmp_path / "cameras", specs, work)

    first, second = demo.clips
    assert first.name == "sample-20261116080000.mp4"
    assert json.loads(first.with_suffix(".json").read_text()) == {
        "camera_id": CAMERA_ID,
        "start_time": "2026-11-16T08:00:00+08:00",
    }
    assert second.name == f"{CAMERA_ID}_20261122T233000.mp4"
    assert bind_clip(second, "Asia/Shanghai").start == LATER
    assert [frame_count(first), frame_count(second)] == [20, 30]
    refused = demo.refused
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in [*demo.clips, *refused.values()]}
    assert len(digests) == 5
    assert [p.name for p in refused.values()] == [
        f"{CAMERA_ID}_2026111{day}T080000.mp4" for day in (7, 8, 9)
    ]
    assert not cv2.VideoCapture(str(refused["unreadable"])).isOpened()
    assert frame_count(refused["partial"]) == 20  # its index still counts them all
    assert frame_count(refused["too_short"]) == 5
    assert (tmp_path / "cameras" / f"{CAMERA_ID}.yaml").is_file()
    assert sorted(p.name for p in (tmp_path / "landing").iterdir()) == sorted(
        [first.name, first.with_suffix(".json").name, second.name]
        + [p.name for p in refused.values()]
    )


def frame_count(path) -> int:
    capture = cv2.VideoCapture(str(path))
    try:
        return int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        capture.release()


def test_demo_specs_are_distinct_windows_an_hour_apart():
    specs = demo_specs(3)

    assert [(s.first_s, s.last_s) for s in specs] == [(0.0, 8.0), (2.0, 10.0), (4.0, 12.0)]
    assert [s.start.isoformat() for s in specs] == [
        "2026-11-16T08:00:00+08:00",
        "2026-11-16T09:00:00+08:00",
        "2026-11-16T10:00:00+08:00",
    ]
    assert [s.is_sidecar_bound for s in specs] == [True, False, True]


def test_the_sample_holds_nine_eight_second_clips_at_most():
    assert len(demo_specs(9)) == 9
    with pytest.raises(ValueError, match="1 to 9 distinct 8 s clips, not 10"):
        demo_specs(10)
