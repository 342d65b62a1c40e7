"""Clips derived from shared footage for an evaluation set: played backwards, or with the camera
made to drift, so that one real view yields more labelled cases (a lane's riders all travelling
against it; road users already in a lane at the first frame; geometry that slides off its marks).

A folder of derived clips holds a ``derive.yaml`` recipe file and, once made, the clips; the clips
are a cache (kept out of git), remade from the recipes whenever they are missing:

```yaml
clips:
  - clip: vn_screenrec_reversed.mp4          # made in this folder
    from: ../../../../shared/videos/vn_intersection_screenrec_test2.mp4  # relative to this file
    frames: [72, 144]                        # optional: only these decoded frames (inclusive)
    reverse: true                            # optional: play the clip backwards
    drift_px: [24, -10]                      # optional: slide the picture this far by the end
    shrink: 0.5                              # optional: the picture this much smaller, on grey
```

``shrink`` makes every road user smaller (farther) at the same frame size, the picture centred: a
point (x, y) moves to (w/2 + (x - w/2)·s, h/2 + (y - h/2)·s), and so do that clip's camera geometry
and labels.

A derived clip keeps its source's size and frame timing (reversed when reversed), and its length
unless ``frames`` cuts it to the stretch that was labelled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
from pydantic import Field

from detectors.atomic import write_atomically
from detectors.evaluation.eval_set import (
    EvalSetError,
    StrictModel,
    parse_file,
    read_index,
    read_yaml,
)
from detectors.evidence.video import H264Writer
from detectors.frames.exact import FrameIndex, index_frames, read_frames

RECIPES_FILE = "derive.yaml"
MAKE_COMMAND = "civility derive-clips"
GUIDE = "the docstring of detectors/evaluation/derive.py"
# Frames held at once when playing backwards: a chunk is decoded forwards, then written reversed.
REVERSE_CHUNK_FRAMES = 48


class Recipe(StrictModel):
    clip: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.mp4$")
    source: str = Field(alias="from")
    frames: tuple[int, int] | None = None
    reverse: bool = False
    drift_px: tuple[float, float] = (0.0, 0.0)
    shrink: float = Field(default=1.0, gt=0, le=1)


class _Recipes(StrictModel):
    clips: list[Recipe] = Field(min_length=1)


def load_recipes(folder: Path) -> list[Recipe]:
    path = folder / RECIPES_FILE
    if not path.is_file():
        raise EvalSetError(path, [f"not found; pass a folder holding the recipes (see {GUIDE})"])
    recipes = parse_file(path, _Recipes, read_yaml(path), guide=GUIDE).clips
    names = [recipe.clip for recipe in recipes]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise EvalSetError(path, [f"clips: {', '.join(twice)} made twice; give each clip once"])
    return recipes


def recipe_for(video: Path) -> Recipe | None:
    """The recipe that makes ``video``, if its folder has recipes naming it."""
    if not (video.parent / RECIPES_FILE).is_file():
        return None
    return next((r for r in load_recipes(video.parent) if r.clip == video.name), None)


def make_command(folder: Path) -> str:
    """The command that makes a folder's clips, naming it as the user would type it here."""
    folder, here = folder.resolve(), Path.cwd()
    return f"{MAKE_COMMAND} {folder.relative_to(here) if folder.is_relative_to(here) else folder}"


def missing_clips(set_dir: Path) -> list[Path]:
    """Derived clips an evaluation set names that are not made yet."""
    index_path, index = read_index(set_dir)
    videos = dict.fromkeys((index_path.parent / clip.video).resolve() for clip in index.clips)
    return [video for video in videos if not video.is_file() and recipe_for(video) is not None]


def derive_clips(
    folder: Path, only: list[Path] | None = None, progress: Callable[[Path], None] | None = None
) -> list[Path]:
    """Make the clips of ``folder``'s recipes (or only those named) and return their paths."""
    made = []
    for recipe in load_recipes(folder):
        out = (folder / recipe.clip).resolve()
        if only is not None and out not in only:
            continue
        if progress:
            progress(out)
        derive_clip(recipe, folder, out)
        made.append(out)
    return made


def derive_clip(recipe: Recipe, folder: Path, out: Path) -> None:
    source_path = (folder / recipe.source).resolve()
    if not source_path.is_file():
        raise EvalSetError(
            folder / RECIPES_FILE,
            [f"{recipe.clip}: its source {recipe.source} is not there (looked for {source_path})"],
        )
    source = index_frames(source_path)
    first, last = recipe.frames or (0, source.frame_count - 1)
    if not 0 <= first < last < source.frame_count:
        raise EvalSetError(
            folder / RECIPES_FILE,
            [
                f"{recipe.clip}: frames {first}..{last} are not in {recipe.source} "
                f"(frames 0..{source.frame_count - 1})"
            ],
        )
    cut = replace(source, frame_pts=source.frame_pts[first : last + 1])
    timing = reversed_timing(cut) if recipe.reverse else cut
    frames = _backwards(source, first, last) if recipe.reverse else read_frames(source, first, last)

    def write(temp: Path) -> None:
        with H264Writer(temp, timing) as writer:
            for index, (_, image) in enumerate(frames):
                shift = np.array(recipe.drift_px) * index / max(timing.frame_count - 1, 1)
                writer.write(index, drifted(shrunk(image, recipe.shrink), shift))

    write_atomically(out, write)


def reversed_timing(clip: FrameIndex) -> FrameIndex:
    """Frame times of the clip played backwards: the gaps between frames in reverse order."""
    first, last = clip.frame_pts[0], clip.frame_pts[-1]
    return replace(clip, frame_pts=tuple(first + last - pts for pts in reversed(clip.frame_pts)))


def drifted(image: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """The picture moved by ``shift`` pixels (x, y); the uncovered border repeats the edge."""
    if not shift.any():
        return image
    matrix = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
    height, width = image.shape[:2]
    return cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def shrunk(image: np.ndarray, scale: float) -> np.ndarray:
    """The picture ``scale`` times smaller, centred on a mid-grey frame of the same size."""
    if scale == 1:
        return image
    height, width = image.shape[:2]
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    framed = np.full_like(image, 128)
    top, left = (height - small.shape[0]) // 2, (width - small.shape[1]) // 2
    framed[top : top + small.shape[0], left : left + small.shape[1]] = small
    return framed


def _backwards(clip: FrameIndex, first: int, last: int) -> Iterator[tuple[int, np.ndarray]]:
    # A whole clip in memory would take gigabytes at 1620x720; a chunk at a time does not.
    for end in range(last, first - 1, -REVERSE_CHUNK_FRAMES):
        start = max(end - REVERSE_CHUNK_FRAMES + 1, first)
        yield from reversed(list(read_frames(clip, start, end)))
