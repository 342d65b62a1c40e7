import json
from pathlib import Path

import pytest
import yaml

from detectors.config.errors import InputError
from detectors.evaluation.evaluate import ClipDetections, evaluate_set
from detectors.events.violation import CourierAttribution
from detectors.signals.states import SignalSegment, SignalState

DEV_SET = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "dev"
PED, WRONG = "pedestrian_red_light", "wrong_way"
GRAB = CourierAttribution("grab", 0.9)


@pytest.fixture
def two_clip_report(make_set, make_truth, make_violation):
    """Clip ``full`` is complete for both rules; clip ``partial`` for neither.

    full:    P1 t=5 (far) found (5.5 s, 10 px off); P2 t=20 (far, occluded) missed; a detection
             at 30 s matches nothing; W1 t=10..14 (clip_start) found at 15.5 s far from its start,
             courier right; signal red for 30 s, read red 0-20 s then green.
    partial: its pedestrian (far) and its wrong-way rider are found (courier right: neither says
             courier); a detection at 50 s cannot be judged.
    """
    full = make_truth(
        [
            {"rule": PED, "t": 5.0, "x": 700, "y": 200, "zone": "east", "conditions": ["far"]},
            {
                "rule": PED,
                "t": 20.0,
                "x": 800,
                "y": 300,
                "zone": "east",
                "conditions": ["far", "occluded"],
            },
            {
                "rule": WRONG,
                "t": 10.0,
                "t_end": 14.0,
                "x": 100,
                "y": 400,
                "zone": "nb",
                "courier": True,
                "conditions": ["clip_start"],
            },
        ],
        signal_states=[{"signal": "ped_east", "from_s": 0.0, "to_s": 30.0, "state": "red"}],
    )
    partial = make_truth(
        [
            {"rule": PED, "t": 3.0, "x": 650, "y": 200, "zone": "east", "conditions": ["far"]},
            {"rule": WRONG, "t": 7.0, "x": 150, "y": 250, "zone": "nb", "courier": False},
        ],
        complete_for=[],
    )
    set_dir = make_set({"full": full, "partial": partial})
    detections = {
        "full.mp4": ClipDetections(
            violations=[
                make_violation(PED, t=5.5, x=710, y=200, track_id=1),
                make_violation(PED, t=30.0, x=700, y=200, track_id=2),
                make_violation(WRONG, t=15.5, x=200, y=50, track_id=3, courier=GRAB),
            ],
            signal_timeline=[
                SignalSegment("ped_east", 0.0, 20.0, SignalState.RED),
                SignalSegment("ped_east", 20.0, 30.0, SignalState.GREEN),
            ],
            frame_width=1000,
        ),
        "partial.mp4": ClipDetections(
            violations=[
                make_violation(PED, t=3.2, x=660, y=200, track_id=1),
                make_violation(PED, t=50.0, x=700, y=200, track_id=2),
                make_violation(WRONG, t=7.1, x=155, y=250, track_id=3),
            ],
            signal_timeline=[],
            frame_width=1000,
        ),
    }
    calls = []

    def detect(video: Path, camera: Path) -> ClipDetections:
        calls.append((video, camera))
        return detections[video.name]

    progress = []
    report = evaluate_set(
        set_dir,
        detect,
        progress=lambda n, total, clip: progress.append((n, total, clip.video.name)),
    )
    return report, calls, progress, set_dir


def test_rule_totals_count_complete_clips_and_partial_matches_for_precision_only(two_clip_report):
    report = two_clip_report[0]
    ped = report["rules"][PED]
    assert {k: ped[k] for k in ("tp", "fp", "fn", "tp_incomplete", "complete_clips")} == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "tp_incomplete": 1,
        "complete_clips": 1,
    }
    # precision (1 + 1) / (1 + 1 + 1), recall 1 / (1 + 1), F1 2 * 2/3 * 1/2 / (2/3 + 1/2)
    assert (ped["precision"], ped["recall"], ped["f1"]) == pytest.approx((2 / 3, 1 / 2, 4 / 7))
    wrong = report["rules"][WRONG]
    assert (wrong["tp"], wrong["fp"], wrong["fn"], wrong["tp_incomplete"]) == (1, 0, 0, 1)
    assert (wrong["precision"], wrong["recall"], wrong["f1"]) == (1.0, 1.0, 1.0)


def test_recall_by_condition_counts_tagged_events_of_complete_clips(two_clip_report):
    conditions = two_clip_report[0]["conditions"]
    assert list(conditions) == [PED, WRONG]
    assert list(conditions[PED]) == ["far", "near", "night", "clip_start", "occluded", "edge"]
    # The partial clip's far pedestrian was found but its misses are not counted: left out.
    assert conditions[PED]["far"] == {"tp": 1, "fn": 1, "recall": 0.5}
    assert conditions[PED]["occluded"] == {"tp": 0, "fn": 1, "recall": 0.0}
    assert conditions[PED]["near"] == {"tp": 0, "fn": 0, "recall": None}
    assert conditions[WRONG]["clip_start"] == {"tp": 1, "fn": 0, "recall": 1.0}
    assert conditions[WRONG]["far"] == {"tp": 0, "fn": 0, "recall": None}


def test_signal_and_courier_scores(two_clip_report):
    report = two_clip_report[0]
    assert report["signals"]["accuracy"] == pytest.approx(20 / 30)
    assert (report["signals"]["labelled_s"], report["signals"]["correct_s"]) == (30.0, 20.0)
    assert list(report["signals"]["per_signal"]) == ["test-cam/ped_east"]
    assert report["courier"] == {"accuracy": 1.0, "n": 2, "correct": 2}


def test_each_clip_shows_its_pairs_and_what_went_unmatched(two_clip_report):
    full, partial = two_clip_report[0]["clips"]
    assert (full["video"], full["camera"], full["truth"]) == (
        "../videos/full.mp4",
        "cameras/cam.yaml",
        "truth/full.json",
    )
    ped = full["rules"][PED]
    assert (ped["complete"], ped["tp"], ped["fp"], ped["fn"]) == (True, 1, 1, 1)
    assert [(m["t"], m["t_detected"], m["dt_s"], m["distance_px"]) for m in ped["matches"]] == [
        (5.0, 5.5, 0.5, 10.0)
    ]
    (extra,) = ped["unmatched_detections"]
    assert (extra["t"], extra["track_id"], extra["nearest"]["t_true"], extra["nearest"]["why"]) == (
        30.0,
        2,
        20.0,
        "time",
    )
    (missed,) = ped["unmatched_events"]
    assert (missed["t"], missed["nearest"]["t_detected"], missed["nearest"]["dt_s"]) == (
        20.0,
        30.0,
        10.0,
    )
    (rider,) = full["rules"][WRONG]["matches"]
    assert (rider["t_end"], rider["dt_s"], rider["courier"], rider["courier_detected"]) == (
        14.0,
        5.5,
        True,
        True,
    )
    assert full["signals"]["per_signal"]["ped_east"]["accuracy"] == pytest.approx(2 / 3)

    partial_ped = partial["rules"][PED]
    assert (partial_ped["complete"], partial_ped["tp"], partial_ped["fp"], partial_ped["fn"]) == (
        False,
        0,
        0,
        0,
    )
    assert partial_ped["tp_incomplete"] == 1
    assert [d["t"] for d in partial_ped["unmatched_detections"]] == [50.0]  # shown, not counted
    assert partial["signals"]["accuracy"] is None
    assert partial["courier"] == {"accuracy": 1.0, "n": 1, "correct": 1}


def test_detect_is_called_once_per_clip_with_video_and_camera(two_clip_report):
    _, calls, progress, set_dir = two_clip_report
    camera = (set_dir / "cameras" / "cam.yaml").resolve()
    videos = set_dir.parent.resolve() / "videos"
    assert calls == [(videos / "full.mp4", camera), (videos / "partial.mp4", camera)]
    assert progress == [(1, 2, "full.mp4"), (2, 2, "partial.mp4")]


def test_the_report_is_plain_json(two_clip_report):
    report = two_clip_report[0]
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_nothing_labelled_gives_nulls(make_set, make_truth):
    set_dir = make_set({"a": make_truth(complete_for=[])})
    report = evaluate_set(set_dir, lambda video, camera: ClipDetections([], [], 1000))
    for rule in (PED, WRONG):
        scores = report["rules"][rule]
        assert (scores["tp"], scores["fp"], scores["fn"], scores["complete_clips"]) == (0, 0, 0, 0)
        assert (scores["precision"], scores["recall"], scores["f1"]) == (None, None, None)
    assert report["signals"] == {
        "accuracy": None,
        "labelled_s": 0.0,
        "correct_s": 0.0,
        "confusion_s": {},
        "per_signal": {},
    }
    assert report["courier"] == {"accuracy": None, "n": 0, "correct": 0}


def _labelled_in(set_dir: Path) -> tuple[dict[str, int], float]:
    """Events per rule in clips complete for it, and labelled signal seconds, read from the raw
    truth files (the shared set grows; the test follows it rather than fixed numbers)."""
    index = yaml.safe_load((set_dir / "index.yaml").read_text())
    events = {PED: 0, WRONG: 0}
    signal_s = 0.0
    for entry in index["clips"]:
        truth = json.loads((set_dir / entry["truth"]).read_text())
        for event in truth["events"]:
            events[event["rule"]] += event["rule"] in truth["complete_for"]
        signal_s += sum(span["to_s"] - span["from_s"] for span in truth.get("signal_states", []))
    return events, signal_s


@pytest.mark.skipif(not (DEV_SET / "index.yaml").is_file(), reason="shared dev set not present")
def test_the_dev_set_scored_against_a_detector_that_finds_nothing():
    report = evaluate_set(DEV_SET, lambda video, camera: ClipDetections([], [], 960))
    events, signal_s = _labelled_in(DEV_SET)
    ped, wrong = report["rules"][PED], report["rules"][WRONG]
    assert events[PED] > 0 and events[WRONG] > 0 and signal_s > 0
    assert (ped["fn"], ped["precision"], ped["recall"], ped["f1"]) == (events[PED], None, 0.0, None)
    assert (wrong["fn"], wrong["precision"], wrong["recall"]) == (events[WRONG], None, 0.0)
    assert report["signals"]["accuracy"] == 0.0
    assert report["signals"]["labelled_s"] == pytest.approx(signal_s, abs=0.01)
    # Nothing read: every labelled second lands in the confusion table as not read.
    confusion = report["signals"]["confusion_s"]
    assert {read for row in confusion.values() for read in row} == {"not_read"}
    assert report["courier"] == {"accuracy": None, "n": 0, "correct": 0}
    assert [clip["video"] for clip in report["clips"]][
        0
    ] == "../../videos/hanoi_giangvo_langha_16h15.mp4"


def test_a_clip_the_engine_refuses_is_scored_as_finding_nothing_and_the_run_goes_on(
    make_set, make_truth, make_violation
):
    set_dir = make_set(
        {
            "broken": make_truth([{"rule": PED, "t": 5.0, "x": 700, "y": 200, "zone": "east"}]),
            "fine": make_truth([{"rule": PED, "t": 5.0, "x": 700, "y": 200, "zone": "east"}]),
        }
    )

    def detect(video: Path, camera: Path) -> ClipDetections:
        if video.name == "broken.mp4":
            raise InputError(f"clip {video}: no frame could be decoded")
        return ClipDetections([make_violation(PED, t=5.0, x=700, y=200)], [], 1000)

    report = evaluate_set(set_dir, detect)

    ped = report["rules"][PED]
    assert (ped["tp"], ped["fp"], ped["fn"]) == (1, 0, 1)
    errors = {Path(clip["video"]).name: clip["error"] for clip in report["clips"]}
    assert "no frame could be decoded" in errors["broken.mp4"]
    assert errors["fine.mp4"] is None
