from pathlib import Path

import pytest
import yaml

from detectors.config.errors import ConfigError, InputError
from detectors.evaluation.eval_set import EvalSetError, load_eval_set
from detectors.signals.states import SignalState

DEV_SET = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "dev"
PROJECT_DEV_SET = Path(__file__).resolve().parents[3] / "eval" / "dev"
PED, WRONG = "pedestrian_red_light", "wrong_way"
PED_EVENT = {"rule": PED, "t": 5.0, "x": 700, "y": 200, "zone": "east"}


@pytest.mark.skipif(not (DEV_SET / "index.yaml").is_file(), reason="shared dev set not present")
def test_the_shared_dev_set_loads():
    clips = load_eval_set(DEV_SET)
    assert [clip.video for clip in clips][:2] == [
        DEV_SET.parents[1] / "videos" / "hanoi_giangvo_langha_16h15.mp4",
        DEV_SET.parents[1] / "videos" / "pedestrian_street_cutl.mp4",
    ]
    assert all(clip.video.is_file() and clip.camera.is_file() for clip in clips)
    street = clips[1]
    assert (street.camera_id, street.truth.complete_for) == ("ped-street-cutl-01", [PED])
    assert [event.t for event in street.truth.events] == [4.64, 10.4, 12.28, 12.64]
    reversed_clip = clips[3]
    assert reversed_clip.camera == clips[2].camera  # two clips of one camera
    assert reversed_clip.truth.events[0].t_end == 0.28
    assert sum(event.courier is True for event in reversed_clip.truth.events) >= 1


@pytest.mark.parametrize("part", ["tune", "check"])
def test_the_project_dev_set_labels_fit_their_cameras(tmp_path, part):
    """Every truth file of eval/dev reads and names only its camera's zones and signals; the
    videos are replaced by a stand-in, so this runs without ../shared or the derived clips."""
    index = yaml.safe_load((PROJECT_DEV_SET / part / "index.yaml").read_text(encoding="utf-8"))
    stand_in = tmp_path / "video.mp4"
    stand_in.write_bytes(b"not decoded")
    entries = [
        {
            "video": str(stand_in),
            "camera": str(PROJECT_DEV_SET / part / entry["camera"]),
            "truth": str(PROJECT_DEV_SET / part / entry["truth"]),
        }
        for entry in index["clips"]
    ]
    (tmp_path / "index.yaml").write_text(yaml.safe_dump({"clips": entries}), encoding="utf-8")
    clips = load_eval_set(tmp_path)
    assert len(clips) == len(index["clips"])
    assert all(clip.truth.complete_for for clip in clips)


def test_paths_are_relative_to_the_index_file(make_set, make_truth):
    set_dir = make_set({"a": make_truth([PED_EVENT], complete_for=[PED])})
    (clip,) = load_eval_set(set_dir)
    assert clip.video == (set_dir.parent / "videos" / "a.mp4").resolve()
    assert clip.camera == (set_dir / "cameras" / "cam.yaml").resolve()
    assert clip.truth_path == (set_dir / "truth" / "a.json").resolve()
    assert (clip.camera_id, clip.truth.complete_for) == ("test-cam", [PED])
    event = clip.truth.events[0]
    assert (event.rule, event.t, event.t_end, event.x, event.y, event.courier) == (
        PED,
        5.0,
        None,
        700,
        200,
        None,
    )


def test_the_index_file_itself_may_be_given(make_set, make_truth):
    set_dir = make_set({"a": make_truth()})
    assert load_eval_set(set_dir / "index.yaml") == load_eval_set(set_dir)


def test_conditions_are_read_and_default_to_none(make_set, make_truth):
    tagged = {**PED_EVENT, "conditions": ["far", "clip_start"]}
    set_dir = make_set({"a": make_truth([tagged, PED_EVENT])})
    (clip,) = load_eval_set(set_dir)
    assert [event.conditions for event in clip.truth.events] == [("far", "clip_start"), ()]


def test_signal_states_and_couriers_are_read(make_set, make_truth):
    labels = [
        {"signal": "ped_east", "from_s": 0.0, "to_s": 9.8, "state": "green"},
        {"signal": "ped_east", "from_s": 9.8, "to_s": 60.0, "state": "red"},
    ]
    wrong_way = {
        "rule": WRONG,
        "t": 4.0,
        "t_end": 7.5,
        "x": 100,
        "y": 260,
        "zone": "nb",
        "courier": True,
    }
    set_dir = make_set({"a": make_truth([wrong_way], signal_states=labels)})
    (clip,) = load_eval_set(set_dir)
    assert [(s.signal, s.duration_s, s.state) for s in clip.truth.signal_states] == [
        ("ped_east", 9.8, SignalState.GREEN),
        ("ped_east", 50.2, SignalState.RED),
    ]
    assert (clip.truth.events[0].t_end, clip.truth.events[0].courier) == (7.5, True)


def _error(set_dir: Path) -> EvalSetError:
    with pytest.raises(EvalSetError) as caught:
        load_eval_set(set_dir)
    return caught.value


@pytest.mark.parametrize(
    ("index_text", "expected"),
    [
        ("clips: [\n  {video: a", ["index.yaml", "line", "not valid YAML"]),
        ("- video: a.mp4\n", ["index.yaml", "expected a mapping"]),
        ("{}\n", ["clips: required field is missing"]),
        ("clips: []\n", ["clips: List should have at least 1 item"]),
        (
            "clips:\n  - {vidoe: ../videos/a.mp4, camera: cameras/cam.yaml, truth: truth/a.json}\n",
            ["clips[0].vidoe: unknown field (did you mean 'video'?)", "clips[0].video: required"],
        ),
        (
            "clips:\n  - {video: ../videos/b.mp4, camera: cameras/cam.yaml, truth: truth/a.json}\n",
            ["clips[0].video: ../videos/b.mp4 not found", "relative to index.yaml"],
        ),
        (
            "clips:\n  - {video: ../videos/a.mp4, camera: cam.yaml, truth: a.json}\n",
            ["clips[0].camera: cam.yaml not found", "clips[0].truth: a.json not found"],
        ),
    ],
)
def test_a_malformed_index_names_the_field_and_the_fix(make_set, make_truth, index_text, expected):
    set_dir = make_set({"a": make_truth()})
    (set_dir / "index.yaml").write_text(index_text, encoding="utf-8")
    message = str(_error(set_dir))
    assert all(part in message for part in expected), message


def test_a_missing_folder_or_index_is_named(tmp_path):
    assert "folder not found" in str(_error(tmp_path / "nowhere"))
    assert "no index.yaml in this folder" in str(_error(tmp_path))


TRUTH_PROBLEMS = [
    ({"duration_s": 10}, ["complete_for: required field", "events: required field"]),
    ({"duration_s": 0, "complete_for": [], "events": []}, ["duration_s: Input should be greater"]),
    ({"duration_s": 9, "complete_for": ["red_light"], "events": []}, ["complete_for[0]"]),
    ({"duration_s": 9, "complete_for": [], "events": [], "note": 1}, ["note: unknown field"]),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "rule": "jaywalk"}]},
        ["events[0].rule", "'pedestrian_red_light' or 'wrong_way'"],
    ),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "t": "soon"}]},
        ["events[0].t"],
    ),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "t_ned": 7}]},
        ["events[0].t_ned: unknown field (did you mean 't_end'?)"],
    ),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "t_end": 4.0}]},
        ["events[0]: t_end 4 is before t 5"],
    ),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "conditions": ["dusk"]}]},
        [
            "events[0].conditions: unknown condition 'dusk'",
            "far, near, night, clip_start, occluded, edge",
        ],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [{**PED_EVENT, "conditions": ["far", "far"]}],
        },
        ["events[0].conditions: a condition is listed twice in ['far', 'far']"],
    ),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "courier": True}]},
        ["events[0]: courier is labelled on wrong_way events only"],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [{k: v for k, v in PED_EVENT.items() if k != "x"}],
        },
        ["events[0].x: required field is missing"],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [],
            "signal_states": [{"signal": "ped_east", "from_s": 0, "to_s": 9, "state": "purple"}],
        },
        ["signal_states[0].state"],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [],
            "signal_states": [{"signal": "ped_east", "from_s": 5, "to_s": 5, "state": "red"}],
        },
        ["signal_states[0]: to_s 5 must be after from_s 5"],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [],
            "signal_states": [
                {"signal": "ped_east", "from_s": 4, "to_s": 9, "state": "red"},
                {"signal": "ped_east", "from_s": 0, "to_s": 5, "state": "green"},
            ],
        },
        ["signal_states[0] (ped_east from 4 s) overlaps the label ending at 5 s"],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [],
            "signal_states": [{"signal": "ped_eats", "from_s": 0, "to_s": 9, "state": "red"}],
        },
        [
            "signal_states[0].signal: 'ped_eats' is not a signal of camera cam.yaml",
            "known: ped_east",
        ],
    ),
    (
        {"duration_s": 9, "complete_for": [], "events": [{**PED_EVENT, "zone": "west"}]},
        ["events[0].zone: 'west' is not a crosswalk of camera cam.yaml", "known: east"],
    ),
    (
        {
            "duration_s": 9,
            "complete_for": [],
            "events": [{"rule": WRONG, "t": 1, "t_end": 2, "x": 0, "y": 0, "zone": "east"}],
        },
        ["events[0].zone: 'east' is not a lane of camera cam.yaml", "known: nb"],
    ),
]


@pytest.mark.parametrize(("truth_data", "expected"), TRUTH_PROBLEMS)
def test_a_malformed_truth_file_names_the_file_and_the_field(make_set, truth_data, expected):
    set_dir = make_set({"a": truth_data})
    error = _error(set_dir)
    message = str(error)
    assert error.path.name == "a.json"
    assert "truth/a.json" in message
    assert all(part in message for part in expected), message


def test_truth_that_is_not_json_names_the_line(make_set, make_truth):
    set_dir = make_set({"a": make_truth()})
    (set_dir / "truth" / "a.json").write_text(
        '{\n "duration_s": 9,\n "events": [,]\n}', encoding="utf-8"
    )
    message = str(_error(set_dir))
    assert "a.json" in message and "line 3: not valid JSON" in message


def test_truth_that_is_not_an_object_is_rejected(make_set):
    set_dir = make_set({"a": []})
    assert "expected a mapping" in str(_error(set_dir))


def test_an_invalid_camera_is_reported_before_any_clip_runs(make_set, make_truth):
    set_dir = make_set({"a": make_truth()})
    camera_path = set_dir / "cameras" / "cam.yaml"
    camera = yaml.safe_load(camera_path.read_text(encoding="utf-8"))
    camera["frame_sise"] = camera.pop("frame_size")
    camera_path.write_text(yaml.safe_dump(camera), encoding="utf-8")
    with pytest.raises(ConfigError, match="frame_sise"):
        load_eval_set(set_dir)


def test_eval_set_errors_are_input_errors(tmp_path):
    assert isinstance(_error(tmp_path), InputError)
