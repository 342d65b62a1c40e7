"""Which stage lost a missed event, judged from synthetic frame logs on the test camera.

A pedestrian walks down through crosswalk 'south' (y 300-360, signal ped_south) at x = 320; the
log is what the engine saw of it frame by frame.
"""

from __future__ import annotations

import numpy as np
import pytest
import supervision as sv

from detectors.detections.detector import MOTORCYCLE, PERSON
from detectors.evaluation.eval_set import TruthEvent
from detectors.evaluation.explain import (
    FrameLog,
    recorded_tracks,
    stage_of_false,
    stage_of_miss,
    write_index,
)
from detectors.signals.states import SignalSegment, SignalState

FPS = 10.0
ENTERS_S = 2.0  # the walker's feet cross y = 300 here
LABEL = TruthEvent(rule="pedestrian_red_light", t=ENTERS_S, x=320, y=300, zone="south")


def walker_feet_y(t_s: float) -> float:
    return 300 + 40 * (t_s - ENTERS_S)  # 40 px a second, a body height of 60 px


def boxes(feet: list[tuple[float, float]], class_id: int = PERSON, tracked: bool = True):
    if not feet:
        return sv.Detections.empty()
    xyxy = np.array([[x - 10, y - 60, x + 10, y] for x, y in feet], dtype=float)
    return sv.Detections(
        xyxy=xyxy,
        confidence=np.full(len(feet), 0.8),
        class_id=np.full(len(feet), class_id),
        tracker_id=np.arange(1, len(feet) + 1) if tracked else None,
    )


def log_of(seen: str = "tracked", seconds: float = 5.0, x: float = 320, class_id=PERSON):
    """``seen``: "nothing", "detected" (boxes, no track) or "tracked"."""
    log = FrameLog()
    for k in range(int(seconds * FPS)):
        t_s = k / FPS
        feet = [] if seen == "nothing" else [(x, walker_feet_y(t_s))]
        detections = boxes(feet, class_id, tracked=False)
        tracked = boxes(feet, class_id) if seen == "tracked" else sv.Detections.empty()
        log(k, t_s, detections, tracked)
    return log


def red(seconds: float = 5.0, state: SignalState = SignalState.RED) -> list[SignalSegment]:
    return [SignalSegment("ped_south", 0.0, seconds, state)]


def stage(make_camera, log, timeline=None, violations=(), paired=None) -> str:
    camera = make_camera()
    tracks = recorded_tracks(log, timeline or red())
    found, _ = stage_of_miss(LABEL, log, camera, tracks, violations, paired or {}, 640)
    return found


def test_nobody_boxed_near_the_label_is_not_detected(make_camera):
    assert stage(make_camera, log_of("nothing")) == "not detected"
    # A motorcycle there is not the pedestrian the label describes.
    assert stage(make_camera, log_of(class_id=MOTORCYCLE)) == "not detected"


def test_boxes_without_a_track_are_not_tracked(make_camera):
    assert stage(make_camera, log_of("detected")) == "not tracked"


def test_a_track_beside_the_crossing_never_entered(make_camera):
    # Walking down at x = 150, left of the crosswalk (x 200-440), within the tolerance radius.
    label = LABEL.model_copy(update={"x": 190})
    log = log_of(x=150)
    found, why = stage_of_miss(label, log, make_camera(), recorded_tracks(log, red()), [], {}, 640)
    assert found == "not entered" and "south" in why


def test_an_entry_the_rule_turned_down_is_debounced(make_camera):
    # The track is born on the crossing: never seen outside it first.
    log = FrameLog()
    for k in range(int(ENTERS_S * FPS), 50):
        t_s = k / FPS
        log(
            k,
            t_s,
            boxes([(320, walker_feet_y(t_s))], tracked=False),
            boxes([(320, walker_feet_y(t_s))]),
        )
    assert stage(make_camera, log) == "debounced"


def test_an_entry_on_green_is_lost_at_the_signal(make_camera):
    assert stage(make_camera, log_of(), timeline=red(state=SignalState.GREEN)) == "signal"


def test_a_track_that_fired_for_another_label_carried_two_road_users(make_camera, make_violation):
    fired = make_violation(t=ENTERS_S + 3, track_id=1)
    assert stage(make_camera, log_of(), violations=[fired], paired={fired.event_id: 5.0}) == (
        "not tracked"
    )
    assert stage(make_camera, log_of(), violations=[fired]) == "matching"


def test_a_label_matched_by_time_only_is_not_said_to_share_a_track(make_camera, make_violation):
    """Labels with ``t_end`` are matched by time only: the nearest track's event may belong to
    another label of the window, which says nothing of a shared track."""
    fired = make_violation(t=ENTERS_S + 3, track_id=1)
    label = LABEL.model_copy(update={"t_end": ENTERS_S + 1})
    log = log_of()
    found, why = stage_of_miss(
        label, log, make_camera(), recorded_tracks(log, red()), [fired], {fired.event_id: 5.0}, 640
    )
    assert found == "not tracked"
    assert "matched by time only" in why and "carried two" not in why


def test_a_false_event_on_a_signal_read_green_is_put_down_to_the_signal(make_violation):
    violation = make_violation(t=1.0)
    violation = type(violation)(**{**violation.__dict__, "signal_id": "ped_south"})
    assert stage_of_false(violation, red(state=SignalState.GREEN))[0] == "signal"
    assert stage_of_false(violation, red())[0] == "detection"


def test_the_index_lists_each_item_with_its_stage_and_frames(tmp_path):
    from detectors.evaluation.explain import Explanation

    item = Explanation("missed", "wrong_way", 1.5, 10, 20, "nb", "not tracked", "why", ("a.png",))
    path = write_index({"clip.mp4 (cam)": [item], "quiet.mp4 (cam)": []}, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "lost at **not tracked**" in text and "![a.png](a.png)" in text
    assert "quiet.mp4" not in text


@pytest.mark.parametrize("seen", ["nothing", "detected", "tracked"])
def test_the_log_keeps_every_frame_it_is_given(seen):
    assert len(log_of(seen).frames) == 50


def test_evaluate_set_explains_the_misses_of_recorded_clips(make_set, make_truth, tmp_path):
    from detectors.evaluation.evaluate import ClipDetections, evaluate_set

    truth = make_truth(
        [{"rule": "pedestrian_red_light", "t": 2.0, "x": 320, "y": 300, "zone": "east"}]
    )
    set_dir = make_set({"full": truth})
    report = evaluate_set(
        set_dir,
        lambda video, camera: ClipDetections([], [], 640, frames=log_of("nothing")),
        explain_dir=tmp_path / "explain",
    )
    text = (tmp_path / "explain" / "explain.md").read_text(encoding="utf-8")
    assert report["explain"] == str(tmp_path / "explain" / "explain.md")
    assert "lost at **not detected**" in text
