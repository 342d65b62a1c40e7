"""Derived clips: a tiny synthetic clip played backwards keeps its size, frame count and timing;
a set naming a derived clip that is not made yet says, in one line, which command makes it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from detectors.evaluation.derive import (
    RECIPES_FILE,
    derive_clips,
    drifted,
    missing_clips,
    reversed_timing,
    shrunk,
)
from detectors.evaluation.eval_set import EvalSetError, load_eval_set
from detectors.frames.exact import index_frames, read_frames

FRAMES = 30


def _recipes(folder: Path, *recipes: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECIPES_FILE).write_text(yaml.safe_dump({"clips": list(recipes)}), encoding="utf-8")
    return folder


@pytest.fixture
def derived_folder(tmp_path: Path, make_clip) -> Path:
    make_clip(name="source.mp4", frames=FRAMES, fps=10.0, size=(64, 48))
    return _recipes(
        tmp_path / "derived", {"clip": "back.mp4", "from": "../source.mp4", "reverse": True}
    )


def test_a_clip_played_backwards_keeps_size_length_and_timing(derived_folder, tmp_path):
    (made,) = derive_clips(derived_folder)

    assert made == (derived_folder / "back.mp4").resolve()
    source, back = index_frames(tmp_path / "source.mp4"), index_frames(made)
    assert (back.width, back.height, back.frame_count) == (64, 48, FRAMES)
    assert [back.time_s(i) for i in range(FRAMES)] == pytest.approx(
        [source.time_s(i) for i in range(FRAMES)], abs=1e-3
    )
    # Frames are told apart by grey level, 7 apart; each encoding shifts a level by ~3.
    levels = [float(image.mean()) for _, image in read_frames(back, 0, FRAMES - 1)]
    source_levels = [float(image.mean()) for _, image in read_frames(source, 0, FRAMES - 1)]
    assert levels == pytest.approx(source_levels[::-1], abs=3.5)


@pytest.mark.parametrize("reverse", [False, True])
def test_a_cut_keeps_only_the_frames_named(tmp_path, make_clip, reverse):
    source = index_frames(make_clip(name="source.mp4", frames=FRAMES, fps=10.0, size=(64, 48)))
    folder = _recipes(
        tmp_path / "derived",
        {"clip": "cut.mp4", "from": "../source.mp4", "frames": [5, 14], "reverse": reverse},
    )
    (made,) = derive_clips(folder)

    cut = index_frames(made)
    assert cut.frame_count == 10 and cut.time_s(0) == 0.0
    assert cut.time_s(9) == pytest.approx(source.time_s(14) - source.time_s(5), abs=1e-3)
    levels = [float(image.mean()) for _, image in read_frames(cut, 0, 9)]
    wanted = [float(image.mean()) for _, image in read_frames(source, 5, 14)]
    assert levels == pytest.approx(wanted[::-1] if reverse else wanted, abs=3.5)


def test_uneven_frame_gaps_come_back_in_reverse_order(tmp_path, make_clip):
    clip = index_frames(make_clip(name="vfr.mp4", gaps_ms=[100, 300, 100, 200]))
    back = reversed_timing(clip)
    gaps = np.diff([round(back.time_s(i), 3) for i in range(back.frame_count)])
    assert gaps.tolist() == pytest.approx([0.2, 0.1, 0.3, 0.1])


def test_drift_slides_the_picture_and_repeats_the_edge():
    image = np.zeros((20, 30, 3), np.uint8)
    image[5:8, 10:13] = 255
    moved = drifted(image, np.array([4.0, -2.0]))
    assert np.argwhere(moved[:, :, 0] == 255).min(axis=0).tolist() == [3, 14]
    assert drifted(image, np.zeros(2)) is image
    edge = np.zeros((20, 30, 3), np.uint8)
    edge[:, 0] = 200
    assert (drifted(edge, np.array([3.0, 0.0]))[:, :4] == 200).all()


def test_shrink_centres_a_smaller_picture_on_grey():
    image = np.zeros((40, 60, 3), np.uint8)
    image[10:30, 20:40] = 255  # a square around the centre (30, 20)
    small = shrunk(image, 0.5)
    assert small.shape == image.shape
    assert np.argwhere(small[:, :, 0] > 200).min(axis=0).tolist() == [15, 25]
    assert np.argwhere(small[:, :, 0] > 200).max(axis=0).tolist() == [24, 34]
    assert (small[:5, :5] == 128).all()  # outside the shrunk picture
    assert shrunk(image, 1.0) is image


@pytest.fixture
def set_naming(make_set, make_truth):
    """An evaluation set (in ``tmp_path/set``) whose one clip is ``video``."""

    def make(video: str) -> Path:
        set_dir = make_set({"a": make_truth()})
        index = {"clips": [{"video": video, "camera": "cameras/cam.yaml", "truth": "truth/a.json"}]}
        (set_dir / "index.yaml").write_text(yaml.safe_dump(index), encoding="utf-8")
        return set_dir

    return make


def test_a_set_names_the_command_that_makes_its_missing_derived_clips(derived_folder, set_naming):
    set_dir = set_naming("../derived/back.mp4")
    assert missing_clips(set_dir) == [(derived_folder / "back.mp4").resolve()]

    with pytest.raises(EvalSetError) as caught:
        load_eval_set(set_dir)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert message.endswith(
        f"derived clips not made yet; make them with: civility derive-clips {derived_folder}"
    )

    derive_clips(derived_folder)
    assert missing_clips(set_dir) == []
    (clip,) = load_eval_set(set_dir)
    assert clip.video == (derived_folder / "back.mp4").resolve()


def test_a_missing_clip_without_a_recipe_is_simply_not_found(derived_folder, set_naming):
    set_dir = set_naming("../derived/other.mp4")
    assert missing_clips(set_dir) == []
    with pytest.raises(EvalSetError, match=r"clips\[0\].video: ../derived/other.mp4 not found"):
        load_eval_set(set_dir)


@pytest.mark.parametrize(
    ("recipes", "expected"),
    [
        ([{"clip": "a.mp4", "from": "../source.mp4", "revers": True}], "did you mean 'reverse'"),
        ([{"clip": "a.mp4", "from": "../source.mp4", "shrink": 1.5}], "clips[0].shrink"),
        ([{"clip": "a.avi", "from": "../source.mp4"}], "clips[0].clip"),
        (
            [{"clip": "a.mp4", "from": "../source.mp4"}, {"clip": "a.mp4", "from": "../x.mp4"}],
            "a.mp4 made twice",
        ),
        ([{"clip": "a.mp4", "from": "../gone.mp4"}], "a.mp4: its source ../gone.mp4 is not there"),
        (
            [{"clip": "a.mp4", "from": "../source.mp4", "frames": [1, 3]}],
            "a.mp4: frames 1..3 are not in ../source.mp4 (frames 0..2)",
        ),
    ],
)
def test_a_bad_recipe_is_named(tmp_path, make_clip, recipes, expected):
    make_clip(name="source.mp4", frames=3)
    folder = _recipes(tmp_path / "derived", *recipes)
    with pytest.raises(EvalSetError) as caught:
        derive_clips(folder)
    assert expected in str(caught.value) and RECIPES_FILE in str(caught.value)
    assert not list(folder.glob("*.mp4"))
