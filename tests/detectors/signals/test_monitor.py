"""The monitor over a streamed clip: rendered heads, mixed sources, bad input, the real clip."""

import gc
import tracemalloc
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from detectors.config.camera import PlanSignal, TimelineSignal, VisionSignal
from detectors.config.errors import InputError
from detectors.signals.monitor import SignalMonitor
from detectors.signals.states import SignalState

RED, AMBER, GREEN = SignalState.RED, SignalState.AMBER, SignalState.GREEN
FLASHING = SignalState.FLASHING_GREEN
REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
DEV_SET = REPO / "eval/dev"


def vision_signal(roi, **extra) -> VisionSignal:
    return VisionSignal(id="veh", kind="vehicle", source="vision", roi=roi, **extra)


TIMELINE = TimelineSignal(
    id="ped_tl", kind="pedestrian", source="timeline", timeline=[[0.0, "green"], [12.0, "red"]]
)
PLAN = PlanSignal(
    id="ped_plan",
    kind="pedestrian",
    source="plan",
    plan={"cycle_s": 60, "offset_s": 0, "phases": [["red", 30], ["green", 30]]},
)


@pytest.fixture
def rendered_clip(heads):
    """20 s at 5 fps: red (exposure drops at 4 s, one corrupt frame at 6 s), green with
    countdown digits from 8 s, flashing green at 1 Hz from 14 s, red with night bloom from 17 s."""
    red, green, dark = heads.render((RED,)), heads.render((GREEN,)), heads.render(())
    counting = heads.countdown(green, "09", heads.colours[GREEN], 1, beside=False)

    def frame_at(t_s: float):
        if t_s < 8:
            head = heads.exposure(red, 0.4) if t_s >= 4 else red
            return (green if abs(t_s - 6) < 1e-9 else head).frame
        if t_s < 14:
            return heads.jpeg(counting, 30).frame
        if t_s < 17:
            return (green if (t_s - 14) % 1 < 0.5 else dark).frame
        return heads.bloom(heads.exposure(red, 0.4), 0).frame

    times = [k / 5 for k in range(100)]
    return [(t, frame_at(t)) for t in times], red.roi


def run(monitor: SignalMonitor, frames, duration_s: float):
    for t_s, frame in frames:
        monitor.update(t_s, frame)
    return monitor.finish(duration_s)


def test_rendered_clip_timeline(rendered_clip):
    frames, roi = rendered_clip
    segments = run(SignalMonitor([vision_signal(roi)], 5.0, None), frames, 20.0)
    states = [s.state for s in segments]
    assert states == [RED, GREEN, FLASHING, RED]
    assert segments[1].from_s == 8.0  # dated at the first green frame, not when confirmed
    assert segments[2].from_s == 14.0  # dated at the first flash's lit phase
    assert segments[3].from_s == 17.0


def test_segments_cover_the_clip_contiguously_for_every_signal(rendered_clip):
    frames, roi = rendered_clip
    clip_start = datetime(2024, 5, 6, 7, 59, 50)
    monitor = SignalMonitor([vision_signal(roi), TIMELINE, PLAN], 5.0, clip_start)
    segments = run(monitor, frames, 20.0)
    assert segments[0].signal_id == "veh"
    changes = {}
    for signal_id in ("veh", "ped_tl", "ped_plan"):
        own = [s for s in segments if s.signal_id == signal_id]
        assert own[0].from_s == 0.0 and own[-1].to_s == 20.0
        assert all(a.to_s == b.from_s and a.state != b.state for a, b in pairwise(own))
        changes[signal_id] = [(s.from_s, s.state) for s in own]
    assert changes["ped_tl"] == [(0, GREEN), (12, RED)]
    # 07:59:50 is 50 s into a 60 s cycle (green); at 08:00:00 red starts.
    assert changes["ped_plan"] == [(0, GREEN), (10, RED)]


def test_states_at_is_final_only_lag_behind_the_newest_frame(rendered_clip):
    frames, roi = rendered_clip
    monitor = SignalMonitor([vision_signal(roi), TIMELINE], 5.0, None)
    # A lit, a dark and a lit flash phase, each measured up to a 0.2 s frame interval long.
    assert 0 < monitor.lag_s <= 2.1 + 1e-9
    seen = {}
    for t_s, frame in frames:
        monitor.update(t_s, frame)
        settled_s = round(t_s - monitor.lag_s, 6)
        if settled_s >= 0:
            seen[settled_s] = monitor.states_at(settled_s)
    with pytest.raises(ValueError, match="not final yet"):
        monitor.states_at(frames[-1][0])
    segments = monitor.finish(20.0)
    for t_s, states in seen.items():
        for signal_id, state in states.items():
            covering = next(
                s for s in segments if s.signal_id == signal_id and s.from_s <= t_s < s.to_s
            )
            assert covering.state == state, (t_s, signal_id)
    assert monitor.states_at(19.9)["veh"] == RED


def test_schedules_alone_need_no_lag():
    monitor = SignalMonitor([TIMELINE], 5.0, None)
    assert monitor.lag_s == 0.0
    assert monitor.states_at(13.0) == {"ped_tl": RED}


def test_memory_stays_flat_over_a_long_clip(heads):
    head = heads.render((RED,))
    monitor = SignalMonitor([vision_signal(head.roi)], 10.0, None)
    tracemalloc.start()
    try:
        for k in range(600):
            monitor.update(k / 10, head.frame)
        gc.collect()  # empties the interpreter's free lists of small objects, which fill unevenly
        after_a_minute, _ = tracemalloc.get_traced_memory()
        for k in range(600, 6000):
            monitor.update(k / 10, head.frame)
        gc.collect()
        after_ten_minutes, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Interpreter caches settle by a few KB; keeping even one small object per frame would add
    # 5,400 x 56 B = 300 KB.
    assert after_ten_minutes - after_a_minute < 64_000
    assert len(monitor.finish(600.0)) == 1


def test_plan_without_clip_start_is_an_input_error():
    with pytest.raises(InputError, match="ped_plan"):
        SignalMonitor([PLAN], 5.0, None)


@pytest.mark.parametrize(
    ("signal", "message"),
    [
        (vision_signal((150, 40, 24, 72), lamps=["red", "off"]), "not lamp colours"),
        (vision_signal((150, 40, 4, 6)), "too small"),
    ],
)
def test_unreadable_head_config_is_an_input_error(signal, message):
    with pytest.raises(InputError, match=message):
        SignalMonitor([signal], 5.0, None)


def test_roi_outside_the_frame_is_an_input_error(heads):
    monitor = SignalMonitor([vision_signal((230, 40, 24, 72))], 5.0, None)
    with pytest.raises(InputError, match="outside this clip's 240x200 frames"):
        monitor.update(0.0, heads.render(()).frame)


def test_analysis_rate_must_be_positive():
    with pytest.raises(InputError, match="fps must be positive"):
        SignalMonitor([TIMELINE], 0.0, None)


def read_clip(video: Path, camera_file: Path, truth_file: Path, analysis_fps: float):
    """The signal timeline the monitor reads over a real clip, and its agreement per signal
    with the labels."""
    if not SHARED.is_dir():
        pytest.skip(f"shared evaluation material not found at {SHARED}")
    from detectors.config.camera import load_camera
    from detectors.evaluation.eval_set import load_truth
    from detectors.evaluation.scores import signal_agreement
    from detectors.frames.source import iter_frames, probe_clip

    clip = probe_clip(video)
    camera = load_camera(camera_file).scaled_to(clip.width, clip.height)
    truth = load_truth(truth_file)
    monitor = SignalMonitor(list(camera.signals), analysis_fps, None)
    for frame in iter_frames(clip, analysis_fps):
        monitor.update(frame.t_s, frame.image)
    timeline = monitor.finish(truth.duration_s)
    return timeline, signal_agreement(truth.signal_states, timeline)


@pytest.mark.slow
@pytest.mark.parametrize("analysis_fps", [5.0, 10.0])
def test_vn_screenrec_signal_accuracy(analysis_fps):
    _, agreement = read_clip(
        SHARED / "videos/vn_intersection_screenrec_test2.mp4",
        SHARED / "eval/dev/cameras/vn_screenrec.yaml",
        SHARED / "eval/dev/truth/vn_screenrec.json",
        analysis_fps,
    )
    assert agreement["veh_main"].accuracy >= 0.97


@pytest.mark.slow
@pytest.mark.parametrize("analysis_fps", [5.0, 10.0])
def test_the_night_clip_reads_every_head_through_the_bloom(analysis_fps):
    # The dev set's four heads: two through heads amber then red (the second with its roi half a
    # lamp high, its amber core on the amber/green boundary), a left-turn and a pedestal head red.
    timeline, agreement = read_clip(
        SHARED / "videos/us_guto_redlight_night.mp4",
        DEV_SET / "cameras/us_guto_redlight_night.yaml",
        DEV_SET / "truth/us_guto_redlight_night.json",
        analysis_fps,
    )
    assert set(agreement) == {"veh_thru", "veh_thru_2", "veh_left", "veh_pedestal"}
    assert all(head.accuracy >= 0.97 for head in agreement.values()), agreement
    for through in ("veh_thru", "veh_thru_2"):
        states = [s.state for s in timeline if s.signal_id == through]
        assert states == [SignalState.AMBER, SignalState.RED]


def write_head_clip(path: Path, heads_by_frame: list) -> Path:
    """A 640x480 10 fps clip showing each rendered head in turn in its top-left corner."""
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (640, 480))
    for head in heads_by_frame:
        frame = np.full((480, 640, 3), 125, np.uint8)
        frame[: head.frame.shape[0], : head.frame.shape[1]] = head.frame
        writer.write(frame)
    writer.release()
    return path


@pytest.mark.parametrize("continued", [True, False])
def test_a_clip_continuing_another_starts_from_its_lamps_state(
    heads, tmp_path, make_camera, nobody_detector, continued
):
    """The camera's next clip opens on 0.4 s in which no lamp can be read (a bus passes, the
    lamps change over): carried on from the previous clip, the head is still red there; alone,
    nothing tells."""
    from datetime import UTC, timedelta

    from detectors.pipeline import analyse_clip

    red, dark = heads.render((RED,)), heads.render(())
    camera = make_camera(
        signals=[vision_signal(red.roi)], crosswalks=[], lanes=[], frame_size=[640, 480]
    )
    start = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
    first = analyse_clip(
        write_head_clip(tmp_path / "a.mp4", [red] * 20),
        camera,
        nobody_detector,
        clip_start=start,
    )
    second = analyse_clip(
        write_head_clip(tmp_path / "b.mp4", [dark] * 4 + [red] * 16),
        camera,
        nobody_detector,
        clip_start=start + timedelta(seconds=first.analysed_duration_s),
        after=first.boundary if continued else None,
    )

    assert first.boundary.signals == {"veh": RED}
    opening = [(round(s.from_s, 2), s.state) for s in second.signal_timeline]
    assert opening == ([(0.0, RED)] if continued else [(0.0, SignalState.UNKNOWN), (0.4, RED)])
