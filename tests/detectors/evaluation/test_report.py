import json

import pytest
from rich.console import Console

from detectors.config.errors import InputError
from detectors.evaluation.evaluate import ClipDetections, evaluate_set
from detectors.evaluation.report import render_report, write_report_json
from detectors.signals.states import SignalSegment, SignalState

PED, WRONG = "pedestrian_red_light", "wrong_way"


@pytest.fixture
def report(make_set, make_truth, make_violation):
    """A complete clip (pedestrians, both far: 1 TP, 1 FP, 1 FN; signal right 3 s of 4) and a
    partial one."""
    full = make_truth(
        [
            {"rule": PED, "t": 5.0, "x": 700, "y": 200, "zone": "east", "conditions": ["far"]},
            {"rule": PED, "t": 20.0, "x": 700, "y": 200, "zone": "east", "conditions": ["far"]},
        ],
        signal_states=[{"signal": "ped_east", "from_s": 0.0, "to_s": 4.0, "state": "red"}],
    )
    partial = make_truth(
        [{"rule": PED, "t": 3.0, "x": 700, "y": 200, "zone": "east"}], complete_for=[]
    )
    detections = {
        "full.mp4": ClipDetections(
            [make_violation(PED, t=5.0, x=700, y=200), make_violation(PED, t=40.0, track_id=2)],
            [SignalSegment("ped_east", 1.0, 4.0, SignalState.RED)],
            1000,
        ),
        "partial.mp4": ClipDetections([make_violation(PED, t=3.0, x=700, y=200)], [], 1000),
    }
    set_dir = make_set({"full": full, "partial": partial})
    return evaluate_set(set_dir, lambda video, camera: detections[video.name])


def _text(report) -> str:
    console = Console(record=True, width=200)
    console.print(render_report(report))
    return console.export_text()


def _row(text: str, first_cell: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"│ {first_cell} "))
    return [cell.strip() for cell in line.strip("│").split("│")]


def test_the_rule_table_shows_counts_and_rates(report):
    text = _text(report)
    # clips complete, TP, FP, FN, TP partial, precision (1+1)/3, recall 1/2, F1 4/7
    assert _row(text, PED) == [PED, "1", "1", "1", "1", "1", "0.667", "0.500", "0.571"]
    assert _row(text, WRONG) == [WRONG, "1", "0", "0", "0", "0", "–", "–", "–"]


def test_the_condition_table_shows_found_and_missed_and_recall(report):
    text = _text(report)
    assert _row(text, "far") == ["far", "1/1", "0.500", "0/0", "–"]
    assert _row(text, "night") == ["night", "0/0", "–", "0/0", "–"]


def test_the_clip_table_separates_complete_and_partial_clips(report):
    text = _text(report)
    assert _row(text, "full.mp4") == ["full.mp4", "1/1/1", "0/0/0", "0.750", "–"]
    assert _row(text, "partial.mp4") == [
        "partial.mp4",
        "partial, 1 matched",
        "partial, 0 matched",
        "–",
        "–",
    ]


def test_signal_and_courier_rows(report):
    text = _text(report)
    assert _row(text, "signal reading") == ["signal reading", "0.750", "4.0 s labelled"]
    assert _row(text, "  test-cam/ped_east") == ["test-cam/ped_east", "0.750", "4.0 s labelled"]
    assert _row(text, "courier attribution") == ["courier attribution", "–", "0 matched"]


def test_the_confusion_table_shows_seconds_by_true_and_read_state(report):
    # 4 s labelled red: 3 s read red, the first second not read at all.
    assert report["signals"]["confusion_s"] == {"red": {"not_read": 1.0, "red": 3.0}}
    text = _text(report)
    assert _row(text, "red") == ["red", "1.0", "3.0"]


def test_write_report_json_writes_the_whole_report(report, tmp_path):
    path = tmp_path / "out" / "eval.json"
    write_report_json(report, path)
    assert json.loads(path.read_text(encoding="utf-8")) == report
    assert [p.name for p in path.parent.iterdir()] == ["eval.json"]  # no temp file left


def test_write_report_json_replaces_an_older_report(tmp_path):
    path = tmp_path / "eval.json"
    path.write_text("old", encoding="utf-8")
    write_report_json({"rules": {}}, path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"rules": {}}


def test_a_report_that_cannot_be_written_leaves_the_old_file_alone(tmp_path):
    path = tmp_path / "eval.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError):
        write_report_json({"f1": float("nan")}, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["eval.json"]


def test_a_failed_replace_removes_the_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "eval.json"
    path.write_text("old", encoding="utf-8")

    def disk_full(source, target):
        raise OSError("disk full")

    monkeypatch.setattr("detectors.atomic.os.replace", disk_full)
    with pytest.raises(OSError, match="disk full"):
        write_report_json({"rules": {}}, path)
    assert [p.name for p in tmp_path.iterdir()] == ["eval.json"]
    assert path.read_text(encoding="utf-8") == "old"


def test_a_folder_is_not_a_report_path(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        write_report_json({}, tmp_path)
