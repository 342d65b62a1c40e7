import hashlib

import numpy as np

from detectors.signals.states import SignalState
from sample_video import scene
from sample_video.cast import build_looks
from sample_video.script import SIGNAL_CHANGES, frame_time, lamps_lit
from sample_video.sprites import Sprite
from sample_video.write import render_frames


def _first_frame(state: SignalState) -> int:
    start = next(t for t, s in SIGNAL_CHANGES if s is state)
    return round(start * scene.FPS) + 1


def _lamp(frame: np.ndarray, centre: tuple[int, int]) -> np.ndarray:
    x, y = centre
    return frame[y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3).mean(axis=0)


def test_lamps_are_clearly_lit_or_dark(looks: dict[str, Sprite]) -> None:
    green_index, red_index = _first_frame(SignalState.GREEN), _first_frame(SignalState.RED)
    green_frame, red_frame = render_frames(looks, [green_index, red_index])
    red_centre, green_centre = scene.lamp_centres()
    # BGR: a lit lamp is bright in its own colour and far brighter than when dark.
    assert _lamp(red_frame, red_centre)[2] > 200 and _lamp(green_frame, red_centre)[2] < 100
    assert _lamp(green_frame, green_centre)[1] > 200 and _lamp(red_frame, green_centre)[1] < 100


def test_flashing_green_goes_dark_in_some_frames(looks: dict[str, Sprite]) -> None:
    start = _first_frame(SignalState.FLASHING_GREEN) - 1
    indices = [i for i in range(start, start + 2 * scene.FPS) if not lamps_lit(frame_time(i))[1]]
    assert indices
    (frame,) = render_frames(looks, indices[:1])
    assert _lamp(frame, scene.lamp_centres()[1])[1] < 100


def _digest(frames: list[np.ndarray]) -> str:
    digest = hashlib.sha256()
    for frame in frames:
        digest.update(frame.tobytes())
    return digest.hexdigest()


def test_frames_are_identical_on_every_run(looks: dict[str, Sprite]) -> None:
    # Fresh cut-outs and backdrop each time: nothing may depend on state left by an earlier run.
    indices = range(0, scene.FRAME_COUNT, 17)
    again = list(render_frames(build_looks(), indices))
    first = list(render_frames(looks, indices))
    assert _digest(first) == _digest(again)
    assert len({_digest([frame]) for frame in first}) == len(first)  # the clip moves
