"""Camera YAML files: the dev cameras load, and every mistake is named with file, field and fix.

Signals of the test camera (see tests/conftest.py): [0] ped_south (timeline), [1] ped_north
(timeline), [2] veh_main (vision), [3] veh_plan (plan).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from detectors.config.camera import (
    CameraConfig,
    camera_config_hash,
    camera_config_sha256,
    load_camera,
)
from detectors.config.errors import ConfigError, InputError

DEV_CAMERAS = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "dev" / "cameras"
DEV_CAMERA_FILES = sorted(DEV_CAMERAS.glob("*.yaml")) if DEV_CAMERAS.is_dir() else []

# What a Python traceback or a raw pydantic report would leak into a message meant for people.
TRACEBACK_MARKS = (
    "Traceback",
    'File "',
    "pydantic",
    "input_value",
    "input_type",
    "For further information",
    "validation error for",
    "[type=",
)


def write(folder: Path, data: dict | str, name: str = "camera.yaml") -> Path:
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not DEV_CAMERA_FILES, reason=f"no dev cameras in {DEV_CAMERAS}")
@pytest.mark.parametrize("path", DEV_CAMERA_FILES, ids=[p.stem for p in DEV_CAMERA_FILES])
def test_every_dev_camera_loads(path):
    camera = load_camera(path)

    assert camera.frame_size[0] > 0 and camera.frame_size[1] > 0
    signal_ids = {s.id for s in camera.signals}
    assert {c.signal for c in camera.crosswalks} <= signal_ids
    assert camera.scaled_to(*camera.frame_size) is camera
    assert len(camera_config_hash(camera)) == 16


def test_the_test_camera_loads_from_yaml(tmp_path, camera_dict, make_camera):
    camera = load_camera(write(tmp_path, camera_dict()))

    assert camera == make_camera()
    assert [c.id for c in camera.crosswalks] == ["south", "north"]
    assert camera.lanes[1].classes == ["bicycle"]
    assert camera.signal("veh_plan").plan.cycle_s == 90


def _set(path: tuple, value):
    """A change to the camera data: set the field at ``path`` (keys and list indexes)."""

    def change(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: tuple):
    def change(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _rename(old: str, new: str):
    def change(data: dict) -> None:
        data[new] = data.pop(old)

    return change


# (change to the test camera, field path the message must name, fix hint the message must give)
MISTAKES = [
    pytest.param(
        _rename("crosswalks", "crosswalk"),
        "crosswalk",
        "did you mean 'crosswalks'?",
        id="unknown_top_level_field",
    ),
    pytest.param(
        _set(("crosswalks", 0, "signl"), "ped_south"),
        "crosswalks[0].signl",
        "did you mean 'signal'?",
        id="unknown_crosswalk_field",
    ),
    pytest.param(
        _set(("lanes", 1, "directon"), [1, 0]),
        "lanes[1].directon",
        "did you mean 'direction'?",
        id="unknown_lane_field",
    ),
    pytest.param(
        _set(("signals", 2, "rio"), [1, 1, 5, 5]),
        "signals[2].rio",
        "did you mean 'roi'?",
        id="unknown_vision_signal_field",
    ),
    pytest.param(
        _set(("signals", 3, "plan", "cycle"), 90),
        "signals[3].plan.cycle",
        "did you mean 'cycle_s'?",
        id="unknown_plan_field",
    ),
    pytest.param(_drop(("timezone",)), "timezone", "add it", id="missing_top_level_field"),
    pytest.param(
        _drop(("lanes", 0, "direction")), "lanes[0].direction", "add it", id="missing_lane_field"
    ),
    pytest.param(
        _set(("crosswalks", 1, "polygon", 2), [700, 170]),
        "crosswalks[1].polygon",
        "redraw it inside frame_size",
        id="polygon_point_outside_frame",
    ),
    pytest.param(
        _set(("lanes", 0, "polygon", 0), [40, -30]),
        "lanes[0].polygon",
        "redraw it inside frame_size",
        id="lane_point_above_frame",
    ),
    pytest.param(
        _set(("crosswalks", 0, "signal"), "ped_sooth"),
        "crosswalks[0].signal",
        "did you mean 'ped_south'?",
        id="unknown_signal_id",
    ),
    pytest.param(
        _set(("crosswalks", 1, "id"), "south"),
        "crosswalks",
        "ids must be unique",
        id="duplicate_crosswalk_id",
    ),
    pytest.param(
        _set(("signals", 1, "id"), "ped_south"),
        "signals",
        "ids must be unique",
        id="duplicate_signal_id",
    ),
    pytest.param(
        _set(("timezone",), "Asia/Hanoi_City"), "timezone", "e.g. Asia/", id="bad_timezone"
    ),
    pytest.param(
        _set(("signals", 3, "plan", "phases"), [["red", 60], ["green", 20]]),
        "signals[3].plan",
        "cycle_s is 90",
        id="plan_phases_not_summing_to_cycle",
    ),
    pytest.param(
        _set(("signals", 0, "timeline"), [[0.0, "red"], [9.5, "green"], [4.0, "red"]]),
        "signals[0].timeline",
        "increase",
        id="timeline_not_increasing",
    ),
    pytest.param(
        _set(("signals", 0, "timeline"), [[0.0, "redd"]]),
        "signals[0].timeline[0][1]",
        "'red', 'green'",
        id="unknown_signal_state",
    ),
    pytest.param(
        _set(("signals", 2, "roi"), [630, 10, 20, 50]),
        "signals[2].roi",
        "move it over the signal head",
        id="vision_roi_outside_frame",
    ),
    pytest.param(
        _set(("lanes", 0, "direction"), [0, 0]),
        "lanes[0].direction",
        "give e.g. [0, -1]",
        id="zero_direction",
    ),
    pytest.param(
        _set(("lanes", 0, "classes"), ["car"]),
        "lanes[0].classes[0]",
        "'bicycle' or 'motorcycle'",
        id="unknown_lane_class",
    ),
]


@pytest.mark.parametrize(("change", "field", "hint"), MISTAKES)
def test_mistakes_are_named_with_file_field_and_fix(tmp_path, camera_dict, change, field, hint):
    data = camera_dict()
    change(data)
    path = write(tmp_path, data, name="hn-cam-07.yaml")

    with pytest.raises(ConfigError) as caught:
        load_camera(path)

    message = str(caught.value)
    assert "hn-cam-07.yaml" in message
    assert f"{field}:" in message
    assert hint in message
    assert not [mark for mark in TRACEBACK_MARKS if mark in message]
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("camera_id: x\nname: [unclosed\n", "not valid YAML"),
        ("camera_id: x\n  name: bad indent\n", "not valid YAML"),
        ("- camera_id: x\n- name: y\n", "expected a mapping"),
        ("just a string\n", "expected a mapping"),
        ("", "expected a mapping"),
    ],
    ids=["unclosed_bracket", "bad_indent", "list", "scalar", "empty"],
)
def test_unreadable_yaml_is_a_config_error_naming_the_file(tmp_path, text, problem):
    path = write(tmp_path, text, name="broken.yaml")

    with pytest.raises(ConfigError) as caught:
        load_camera(path)

    message = str(caught.value)
    assert "broken.yaml" in message
    assert problem in message
    assert not [mark for mark in TRACEBACK_MARKS if mark in message]


def test_yaml_syntax_error_names_the_line(tmp_path, camera_dict):
    text = yaml.safe_dump(camera_dict()) + "lanes: [unclosed\n"
    path = write(tmp_path, text)

    with pytest.raises(ConfigError) as caught:
        load_camera(path)

    line = len(text.splitlines())
    assert f"line {line}" in str(caught.value) or f"line {line + 1}" in str(caught.value)
    assert "fix the syntax" in str(caught.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no-such-camera.yaml: file not found"):
        load_camera(tmp_path / "no-such-camera.yaml")


def test_a_directory_is_not_a_camera_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_camera(tmp_path)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path, camera_dict):
    data = camera_dict(timezone="Mars/Olympus", crosswalk=[])
    data["lanes"][0]["direction"] = [0, 0]
    path = write(tmp_path, data)

    with pytest.raises(ConfigError) as caught:
        load_camera(path)

    message = str(caught.value)
    for field in ("timezone:", "crosswalk:", "lanes[0].direction:"):
        assert field in message
    assert len(message.splitlines()) == 4  # a header and one line per problem


def test_config_errors_are_input_errors():
    assert issubclass(ConfigError, InputError)


# scaled_to: geometry in the pixels of a clip of another resolution.


def test_scaled_to_the_same_size_is_the_same_camera(make_camera):
    camera = make_camera()

    assert camera.scaled_to(640, 480) is camera


def test_scaled_to_doubles_polygons_roi_and_keeps_directions(make_camera):
    camera = make_camera().scaled_to(1280, 960)

    assert camera.frame_size == (1280, 960)
    assert camera.crosswalks[0].polygon == [(400, 600), (880, 600), (880, 720), (400, 720)]
    assert camera.lanes[0].polygon[0] == (80, 940)
    assert camera.signal("veh_main").roi == (1200, 20, 40, 100)
    assert camera.lanes[0].unit_direction() == pytest.approx((0.0, -1.0))
    assert camera.lanes[1].unit_direction() == pytest.approx((1.0, 0.0))
    assert camera.signal("veh_plan") == make_camera().signal("veh_plan")
    assert camera.crosswalks[0].signal == "ped_south"


def test_scaling_one_axis_turns_a_diagonal_direction(make_camera):
    lane = {"id": "diag", "polygon": [[0, 0], [640, 0], [640, 480]], "direction": [1, 1]}
    camera = make_camera(lanes=[lane]).scaled_to(1280, 480)

    assert camera.lanes[0].polygon == [(0, 0), (1280, 0), (1280, 480)]
    ux, uy = camera.lanes[0].unit_direction()
    assert uy / ux == pytest.approx(0.5)


def test_scaling_down_keeps_the_roi_at_least_one_pixel(make_camera):
    camera = make_camera().scaled_to(32, 24)

    x, y, w, h = camera.signal("veh_main").roi
    assert (x, y) == (30, 0)
    assert w >= 1 and h >= 1


@pytest.mark.parametrize("size", [(1920, 1440), (1280, 480), (321, 240)])
def test_scaled_to_accepts_every_camera_that_loads(tmp_path, camera_dict, size):
    # Traced 2 px past the right edge and the top: within tolerance at 640 x 480, but 6 px past
    # them at 1920 x 1440 unless scaling keeps the vertex on the frame.
    data = camera_dict()
    data["crosswalks"][0]["polygon"][1] = [642, -2]
    data["signals"][2]["roi"] = [620, 10, 22, 50]  # reaches 2 px past the right edge
    camera = load_camera(write(tmp_path, data))

    scaled = camera.scaled_to(*size)

    x, y = scaled.crosswalks[0].polygon[1]
    assert x == pytest.approx(size[0], abs=2) and y == pytest.approx(0, abs=2)
    rx, ry, rw, rh = scaled.signal("veh_main").roi
    assert rx + rw <= size[0] + 2


# camera_config_hash: a fingerprint of the effective configuration.


def test_hash_is_stable_across_loads_and_key_order(tmp_path, camera_dict):
    data = camera_dict()
    reordered = dict(reversed(list(data.items())))
    first = load_camera(write(tmp_path, data, "a.yaml"))
    second = load_camera(write(tmp_path, reordered, "b.yaml"))

    assert camera_config_hash(first) == camera_config_hash(second)
    assert camera_config_hash(first) == camera_config_hash(load_camera(tmp_path / "a.yaml"))
    assert len(camera_config_hash(first)) == 16
    int(camera_config_hash(first), 16)


@pytest.mark.parametrize(
    "change",
    [
        _set(("crosswalks", 0, "polygon", 0), [201, 300]),
        _set(("lanes", 0, "direction"), [0, -2]),
        _set(("signals", 0, "timeline"), [[0.0, "green"]]),
        _set(("camera_id",), "test-cam-02"),
        _set(("grid_cell",), "G-0001"),
    ],
    ids=["polygon_point", "direction_length", "timeline", "camera_id", "grid_cell"],
)
def test_hash_changes_with_any_setting(camera_dict, change):
    data = camera_dict()
    change(data)

    original, changed = (CameraConfig.model_validate(d) for d in (camera_dict(), data))

    assert camera_config_hash(changed) != camera_config_hash(original)


def test_hash_of_a_scaled_camera_differs(make_camera):
    camera = make_camera()

    assert camera_config_hash(camera.scaled_to(1280, 960)) != camera_config_hash(camera)


def _still(path: Path, width: int, height: int) -> None:
    import cv2
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.full((height, width, 3), 90, np.uint8))


def test_a_reference_image_is_found_beside_the_camera_file(tmp_path, camera_dict):
    width, height = camera_dict()["frame_size"]
    _still(tmp_path / "stills" / "view.png", width // 2, height // 2)  # any size, same aspect
    camera = load_camera(write(tmp_path, camera_dict(reference_image="stills/view.png")))
    assert camera.reference_image == str((tmp_path / "stills" / "view.png").resolve())


@pytest.mark.parametrize(
    ("size", "problem"),
    [(None, "not found"), ((100, 100), "not the"), ("garbage", "not a readable image")],
)
def test_a_bad_reference_image_is_named_with_the_fix(tmp_path, camera_dict, size, problem):
    still = tmp_path / "view.png"
    if size == "garbage":
        still.write_bytes(b"not an image")
    elif size is not None:
        _still(still, *size)
    with pytest.raises(ConfigError, match=f"reference_image.*{problem}"):
        load_camera(write(tmp_path, camera_dict(reference_image="view.png")))


def test_the_configuration_hash_follows_the_reference_image_not_the_folder(tmp_path, camera_dict):
    width, height = camera_dict()["frame_size"]
    hashes = {}
    for folder in ("here", "moved"):
        _still(tmp_path / folder / "view.png", width, height)
        camera_file = write(tmp_path / folder, camera_dict(reference_image="view.png"))
        hashes[folder] = camera_config_sha256(load_camera(camera_file))
    assert hashes["here"] == hashes["moved"]

    import cv2
    import numpy as np

    redrawn = np.full((height, width, 3), 90, np.uint8)
    redrawn[0, 0] = 200  # the camera was re-aimed and its still retaken
    cv2.imwrite(str(tmp_path / "moved" / "view.png"), redrawn)
    assert camera_config_sha256(load_camera(camera_file)) != hashes["here"]
