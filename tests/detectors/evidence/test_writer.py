import hashlib
import json
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from detectors.config.errors import InputError
from detectors.evidence import write_evidence
from detectors.evidence.annotate import BOX_COLOR

PROVENANCE = {"model": "yolo11n-openvino-int8", "detector_version": "0.1.0"}
FILES = {"frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg", "closeup.jpg", "clip.mp4"}
CLIP_START = datetime(2025, 3, 1, 8, 0)  # naive: local to the camera (Asia/Shanghai)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def written(clip_path, camera, make_violation, out_dir):
    return write_evidence(make_violation(), clip_path, camera, out_dir, PROVENANCE, CLIP_START)


def read_record(folder: Path) -> dict:
    return json.loads((folder / "event.json").read_text(encoding="utf-8"))


def test_writes_every_file_into_the_event_folder(written, out_dir, make_violation) -> None:
    manifest = written
    violation = make_violation()

    assert manifest.event_id == violation.event_id
    assert manifest.folder == out_dir / "test-cam-01-pedestrian_red_light-north-17-30"
    assert {p.name for p in manifest.folder.iterdir()} == FILES | {"event.json"}
    assert set(manifest.files) == FILES | {"event.json"}
    assert [p.name for p in out_dir.iterdir()] == [manifest.folder.name]


def test_stills_show_before_at_and_after_with_the_box_on_the_road_user(written, synthetic) -> None:
    folder = written.folder
    stills = [cv2.imread(str(folder / f"frame_{n}.jpg")) for n in ("1_before", "2_at", "3_after")]

    for first, second in ((0, 1), (1, 2), (0, 2)):
        assert not np.array_equal(stills[first], stills[second])
    for image, frame_index in zip(stills, (20, 30, 40), strict=True):
        below = image[image.shape[0] - synthetic.height :]
        magenta = (np.abs(below.astype(int) - BOX_COLOR.as_bgr()) <= 60).all(axis=2)
        x1, y1, x2, y2 = (round(v) for v in synthetic.box(frame_index))
        assert magenta[y2, x1 + 3 : x2 - 3].mean() > 0.9, frame_index
        assert magenta[y1 + 3 : y2 - 3, x1].mean() > 0.9, frame_index
        assert not magenta[y2 + 5 :].any(), frame_index


def test_closeup_is_the_road_user_enlarged(written, synthetic) -> None:
    closeup = cv2.imread(str(written.folder / "closeup.jpg"))

    assert closeup.shape[0] >= 300
    light = closeup.mean(axis=2) > 150  # the light rectangle fills the middle of the close-up
    height, width = light.shape
    assert light[height // 3 : 2 * height // 3, width // 3 : 2 * width // 3].all()
    assert not light[:, :5].any()  # padding shows the road around it


def test_clip_runs_from_three_seconds_before_to_two_after_the_end_at_the_source_rate(
    written, synthetic
) -> None:
    clip = written.folder / "clip.mp4"

    capture = cv2.VideoCapture(str(clip))
    assert int(capture.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little") == b"h264"
    assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(synthetic.fps)
    assert len(synthetic.decode_all(clip)) == 56  # frames 0 (t - 3 s, clamped) .. 55 (t_end + 2 s)


def test_event_json_records_the_event_and_the_digest_of_every_file(written, make_violation):
    manifest = written
    violation = make_violation()

    record = read_record(manifest.folder)

    assert record["event_id"] == violation.event_id
    assert record["rule"] == "pedestrian_red_light"
    assert record["camera"]["id"] == "test-cam-01"
    assert record["camera"]["district"] == "Đống Đa"
    assert record["time"]["wall_clock"] == "2025-03-01T08:00:03.000+08:00"
    assert record["time"]["wall_clock_end"] == "2025-03-01T08:00:03.500+08:00"
    assert record["zone"] == {
        "id": "north",
        "name": None,  # the test camera names none of its zones
        "kind": "crosswalk",
        "polygon": [[10, 150], [310, 150], [310, 200], [10, 200]],
        "legal_direction": None,
    }
    assert record["signal"] == {"id": "ped_north", "name": None, "state": "red"}
    assert record["road_user"]["track_id"] == 17
    positions = record["road_user"]["positions"]
    assert [p["frame_index"] for p in positions] == [p.frame_index for p in violation.track]
    assert positions[10]["xyxy"] == list(violation.track[10].xyxy)
    assert record["details"] == {"feet_inside_frames": 3}
    assert record["provenance"] == PROVENANCE
    assert record["courier"] is None
    files = record["evidence"]["files"]
    assert set(files) == FILES
    assert files["frame_1_before.jpg"]["frame_index"] == 20
    for name, facts in files.items():
        data = (manifest.folder / name).read_bytes()
        assert facts["sha256"] == hashlib.sha256(data).hexdigest() == manifest.files[name]
        assert facts["bytes"] == len(data)
    event_json = (manifest.folder / "event.json").read_bytes()
    assert manifest.files["event.json"] == hashlib.sha256(event_json).hexdigest()


def test_rerun_replaces_the_folder_whole(written, clip_path, camera, make_violation, out_dir):
    folder = written.folder
    (folder / "stray.txt").write_text("left from an older version")

    write_evidence(make_violation(), clip_path, camera, out_dir, {"model": "v2"}, CLIP_START)

    assert not (folder / "stray.txt").exists()
    assert read_record(folder)["provenance"] == {"model": "v2"}
    assert [p.name for p in out_dir.iterdir()] == [folder.name]


def test_a_failure_midway_keeps_the_previous_folder_and_leaves_no_partial_one(
    written, clip_path, camera, make_violation, out_dir, monkeypatch
) -> None:
    folder = written.folder
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken_record(*args, **kwargs):
        raise RuntimeError("record crashed")

    monkeypatch.setattr("detectors.evidence.writer.event_record", broken_record)
    with pytest.raises(RuntimeError, match="record crashed"):
        write_evidence(make_violation(), clip_path, camera, out_dir, {"model": "v2"})

    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in out_dir.iterdir()] == [folder.name]


def test_a_truncated_clip_gives_a_clear_error_and_no_folder(
    clip_path, camera, make_violation, out_dir
) -> None:
    data = clip_path.read_bytes()
    clip_path.write_bytes(data[: len(data) * 2 // 3])

    with pytest.raises(InputError, match=f"clip {clip_path}"):
        write_evidence(make_violation(), clip_path, camera, out_dir, PROVENANCE, CLIP_START)

    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_a_violation_past_the_end_of_the_clip_is_refused(
    clip_path, camera, make_violation, out_dir
) -> None:
    with pytest.raises(InputError, match="detected on this clip"):
        write_evidence(make_violation(frame_index=75), clip_path, camera, out_dir, PROVENANCE)

    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_camera_geometry_is_scaled_to_the_clip(clip_path, camera, make_violation, out_dir):
    data = camera.model_dump()
    data["frame_size"] = (640, 480)
    data["crosswalks"][0]["polygon"] = [(20, 300), (620, 300), (620, 400), (20, 400)]
    big_camera = type(camera).model_validate(data)

    manifest = write_evidence(make_violation(), clip_path, big_camera, out_dir, PROVENANCE)

    polygon = read_record(manifest.folder)["zone"]["polygon"]
    assert polygon == [[10, 150], [310, 150], [310, 200], [10, 200]]
