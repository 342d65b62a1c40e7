from pathlib import Path

import cv2
import numpy as np
import pytest

from sample_video import SampleFiles, write_sample
from sample_video.cast import build_looks
from sample_video.sprites import Sprite
from sample_video.write import sprite_sizes


@pytest.fixture(scope="session")
def looks() -> dict[str, Sprite]:
    return build_looks()


@pytest.fixture(scope="session")
def sizes(looks: dict[str, Sprite]) -> dict[str, tuple[int, int]]:
    return sprite_sizes(looks)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleFiles:
    """The sample written once for the whole session: rendering takes several seconds."""
    return write_sample(Path(tmp_path_factory.mktemp("sample")))


def decoded_frames(video: Path, indices: set[int]) -> dict[int, np.ndarray]:
    """The clip's frames at ``indices``, read sequentially (the way the engine reads them)."""
    capture = cv2.VideoCapture(str(video))
    frames = {}
    try:
        for index in range(max(indices) + 1):
            ok, frame = capture.read()
            assert ok, f"frame {index} of {video} did not decode"
            if index in indices:
                frames[index] = frame
    finally:
        capture.release()
    return frames


@pytest.fixture(scope="session")
def decoded():
    return decoded_frames
