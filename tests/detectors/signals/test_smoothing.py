"""Per-frame readings in, final states out: hysteresis, dropouts, flashing, dark heads."""

import pytest

from detectors.signals.smoothing import OFF_AFTER_S, LampSmoother
from detectors.signals.states import SignalState, SignalTimeline

RED, AMBER, GREEN = SignalState.RED, SignalState.AMBER, SignalState.GREEN
OFF, UNKNOWN, FLASHING = SignalState.OFF, SignalState.UNKNOWN, SignalState.FLASHING_GREEN


def readings(fps: float, *stretches: tuple[float, SignalState]) -> list[SignalState]:
    """Frames at ``fps`` for consecutive (seconds, reading) stretches."""
    return [state for seconds, state in stretches for _ in range(round(seconds * fps))]


def flashing(fps: float, seconds: float, hz: float, lit: SignalState = GREEN) -> list[SignalState]:
    period = fps / hz
    return [lit if k % period < period / 2 else OFF for k in range(round(seconds * fps))]


def smoothed(
    fps: float,
    frames: list[SignalState],
    resumed_from: SignalState | None = None,
    gap_s: float = 0.0,
) -> list[tuple[float, SignalState]]:
    """The (start, state) changes of the smoothed timeline; carried on from ``resumed_from``, the
    state at the end of the stream's previous part, ``gap_s`` before the first frame, if given."""
    smoother, timeline = LampSmoother(1 / fps), SignalTimeline("s")
    if resumed_from is not None:
        smoother.resume(resumed_from, gap_s)
    for index, reading in enumerate(frames):
        for decided in smoother.push(index / fps, reading):
            timeline.add(decided.t_s, decided.state)
    for decided in smoother.flush():
        timeline.add(decided.t_s, decided.state)
    return [(round(s.from_s, 3), s.state) for s in timeline.segments(len(frames) / fps)]


FPS = [5.0, 10.0, 30.0]


@pytest.mark.parametrize("fps", FPS)
def test_change_is_dated_at_the_first_frame_of_the_new_colour(fps):
    assert smoothed(fps, readings(fps, (6, RED), (4, GREEN))) == [(0, RED), (6, GREEN)]


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("bad", [GREEN, AMBER, OFF, UNKNOWN])
def test_one_bad_frame_does_not_flip_the_state(fps, bad):
    frames = readings(fps, (5, RED), (1 / fps, bad), (5, RED))
    assert smoothed(fps, frames) == [(0, RED)]


@pytest.mark.parametrize("fps", FPS)
def test_one_bad_frame_right_after_a_change_does_not_delay_it(fps):
    frames = readings(fps, (5, RED), (1 / fps, GREEN), (1 / fps, RED), (5, GREEN))
    assert smoothed(fps, frames) == [(0, RED), (5, GREEN)]


@pytest.mark.parametrize("fps", FPS)
def test_short_dark_changeover_keeps_the_old_state_until_the_new_lamp(fps):
    frames = readings(fps, (5, RED), (0.4, OFF), (5, GREEN))
    assert smoothed(fps, frames) == [(0, RED), (5.4, GREEN)]


@pytest.mark.parametrize("fps", FPS)
def test_long_loss_of_the_lamp_is_unknown_from_its_start(fps):
    frames = readings(fps, (5, RED), (2, UNKNOWN), (5, GREEN))
    assert smoothed(fps, frames) == [(0, RED), (5, UNKNOWN), (7, GREEN)]


@pytest.mark.parametrize("fps", FPS)
def test_head_dark_for_long_becomes_off(fps):
    frames = readings(fps, (2, RED), (8, OFF), (3, RED))
    assert smoothed(fps, frames) == [(0, RED), (2, UNKNOWN), (2 + OFF_AFTER_S, OFF), (10, RED)]


@pytest.mark.parametrize("fps", FPS)
def test_contradictory_readings_stay_unknown_never_off(fps):
    assert smoothed(fps, readings(fps, (10, UNKNOWN))) == [(0, UNKNOWN)]


@pytest.mark.parametrize("fps", [5.0, 10.0, 30.0])
@pytest.mark.parametrize("hz", [1.0, 1.5, 2.0])
def test_flashing_green_is_told_from_steady_green(fps, hz):
    frames = readings(fps, (5, GREEN)) + flashing(fps, 4, hz) + readings(fps, (3, RED))
    changes = smoothed(fps, frames)
    assert [state for _, state in changes] == [GREEN, FLASHING, RED]
    # Dated from the first flash's lit phase, which looks like steady green until it goes dark
    # (within a frame: at 5 fps a 2 Hz flash aliases into lit phases of one and two frames).
    assert changes[1][0] == pytest.approx(5.0, abs=1 / fps + 1e-6)
    assert changes[2][0] == 9


@pytest.mark.parametrize("fps", [10.0, 30.0])
def test_two_single_frame_dropouts_in_steady_green_are_not_flashing(fps):
    frames = readings(fps, (5, GREEN), (1 / fps, OFF), (3 / fps, GREEN), (1 / fps, OFF), (5, GREEN))
    assert smoothed(fps, frames) == [(0, GREEN)]


@pytest.mark.parametrize("fps", [5.0, 10.0])
def test_flashing_that_turns_steady_again(fps):
    frames = flashing(fps, 4, 1.0) + readings(fps, (4, GREEN))
    changes = smoothed(fps, frames)
    assert [state for _, state in changes][-2:] == [FLASHING, GREEN]
    assert changes[-1][0] == 4


@pytest.mark.parametrize("fps", [5.0, 10.0])
def test_flashing_amber_at_night_reads_amber(fps):
    assert smoothed(fps, flashing(fps, 10, 1.0, lit=AMBER)) == [(0, AMBER)]


def sampled_flash(fps: float, seconds: float, hz: float, phase: float) -> list[SignalState]:
    """A lamp lit half of each period, sampled at ``fps`` starting ``phase`` into a period."""
    return [GREEN if (k / fps * hz + phase) % 1 < 0.5 else OFF for k in range(round(seconds * fps))]


@pytest.mark.parametrize(
    ("fps", "hz"), [(3.0, 1.0), (3.0, 1.5), (3.0, 2.0), (2.0, 1.0), (4.0, 1.5)]
)
@pytest.mark.parametrize("phase", [0.0, 0.3, 0.6])
def test_flashing_is_told_at_low_frame_rates_where_each_phase_is_a_frame_or_two(fps, hz, phase):
    # Between frames a third of a second apart a half-second phase measures up to 0.67 s.
    frames = readings(fps, (5, GREEN)) + sampled_flash(fps, 6, hz, phase) + readings(fps, (3, RED))
    changes = smoothed(fps, frames)
    assert [state for _, state in changes] == [GREEN, FLASHING, RED]
    assert changes[1][0] == pytest.approx(5, abs=1 / hz)


def test_at_low_frame_rates_a_dark_stretch_of_a_second_is_still_a_loss_not_a_flash():
    fps = 3.0
    frames = readings(fps, (5, GREEN), (1.0, OFF), (1, GREEN), (1.0, OFF), (3, GREEN))
    assert [state for _, state in smoothed(fps, frames)] == [GREEN, UNKNOWN, GREEN, UNKNOWN, GREEN]


def test_low_analysis_rate_still_confirms_changes():
    fps = 2.0
    frames = readings(fps, (5, RED), (1 / fps, GREEN), (5, RED), (5, GREEN))
    assert smoothed(fps, frames) == [(0, RED), (10.5, GREEN)]


def test_finals_come_out_lag_behind_the_newest_frame():
    fps = 10.0
    smoother = LampSmoother(1 / fps)
    assert smoother.lag_s <= 2.0  # a lit, a dark and a lit flash phase
    decided = []
    for index in range(50):
        t_s = index / fps
        for reading in smoother.push(t_s, RED):
            assert reading.t_s <= t_s - smoother.lag_s + 1e-9
            decided.append(reading)
    assert len(decided) + len(smoother.flush()) == 50


def test_frame_times_must_increase():
    smoother = LampSmoother(0.2)
    smoother.push(1.0, RED)
    with pytest.raises(ValueError, match="must increase"):
        smoother.push(1.0, RED)


def test_frames_sparser_than_announced_still_need_two_to_change():
    smoother, timeline = LampSmoother(0.1), SignalTimeline("s")
    frames = readings(1.0, (5, RED), (1, GREEN), (5, RED), (3, GREEN))
    for index, reading in enumerate(frames):
        for decided in smoother.push(float(index), reading):
            timeline.add(decided.t_s, decided.state)
    for decided in smoother.flush():
        timeline.add(decided.t_s, decided.state)
    changes = [(s.from_s, s.state) for s in timeline.segments(14.0)]
    # The lone green frame is not confirmed; at 1 fps the hole it leaves is longer than a dropout.
    assert changes == [(0, RED), (5, UNKNOWN), (6, RED), (11, GREEN)]


@pytest.mark.parametrize("fps", FPS)
def test_resumed_state_holds_through_a_dark_start_as_within_one_clip(fps):
    frames = readings(fps, (0.4, OFF), (5, GREEN))
    assert smoothed(fps, frames) == [(0, UNKNOWN), (0.4, GREEN)]
    assert smoothed(fps, frames, GREEN) == [(0, GREEN)]
    # A different lamp before the cut: the changeover's dark instant keeps it, as within a clip.
    assert smoothed(fps, frames, RED) == [(0, RED), (0.4, GREEN)]


@pytest.mark.parametrize("fps", FPS)
def test_resumed_flashing_is_flashing_from_the_first_frame(fps):
    frames = flashing(fps, 6, 1.0)
    assert smoothed(fps, frames)[0] == (0, GREEN)
    assert smoothed(fps, frames, FLASHING) == [(0, FLASHING)]


@pytest.mark.parametrize("fps", FPS)
def test_a_gap_longer_than_a_dropout_forgets_the_resumed_state(fps):
    frames = readings(fps, (0.4, OFF), (5, GREEN))
    assert smoothed(fps, frames, GREEN, gap_s=1.0) == [(0, UNKNOWN), (0.4, GREEN)]


@pytest.mark.parametrize("state", [UNKNOWN, OFF])
def test_only_a_lit_state_is_resumed(state):
    frames = readings(10.0, (0.4, OFF), (5, GREEN))
    assert smoothed(10.0, frames, state) == [(0, UNKNOWN), (0.4, GREEN)]


def test_resume_after_the_first_frame_is_refused():
    smoother = LampSmoother(0.1)
    smoother.push(0.0, RED)
    with pytest.raises(RuntimeError, match="before its first frame"):
        smoother.resume(RED, 0.0)
