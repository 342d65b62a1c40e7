from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from detectors.config.errors import InputError
from detectors.evidence.video import H264Writer
from detectors.frames.exact import index_frames, read_frames
from detectors.frames.source import ClipError


def test_probe_reads_size_count_and_frame_times(synthetic, clip_path: Path) -> None:
    clip = index_frames(clip_path)

    assert (clip.width, clip.height) == (synthetic.width, synthetic.height)
    assert clip.frame_count == synthetic.frames
    assert clip.fps == pytest.approx(synthetic.fps)
    assert clip.time_s(30) == pytest.approx(3.0)
    assert clip.index_at(3.05) == 30
    assert clip.index_at(-5.0) == 0
    assert clip.index_at(99.0) == synthetic.frames - 1


@pytest.mark.parametrize(("first", "last"), [(0, 4), (27, 41), (55, 59)])
def test_read_frames_returns_exactly_the_sequentially_decoded_frames(
    synthetic, clip_path: Path, first: int, last: int
) -> None:
    reference = synthetic.decode_all(clip_path)

    frames = list(read_frames(index_frames(clip_path), first, last))

    assert [index for index, _ in frames] == list(range(first, last + 1))
    for index, frame in frames:
        assert np.array_equal(frame, reference[index]), index


def test_read_frames_is_exact_on_a_variable_frame_rate_clip(synthetic) -> None:
    # The rate drifts from 10 to 3.3 fps: seeking by index / average rate (what OpenCV's
    # CAP_PROP_POS_FRAMES does) lands 5 frames off here.
    path = synthetic.variable_rate("vfr.mp4", [100] * 20 + [300] * 20)
    reference = synthetic.decode_all(path)
    clip = index_frames(path)

    frames = dict(read_frames(clip, 25, 33))

    assert clip.time_s(25) == pytest.approx(2.0 + 5 * 0.3)
    assert sorted(frames) == list(range(25, 34))
    for index, frame in frames.items():
        assert np.array_equal(frame, reference[index]), index


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "not found"), (b"this is not a video", "cannot be opened as a video")],
)
def test_unreadable_clips_raise_input_errors_naming_the_file(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "broken.mp4"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(InputError, match=message) as error:
        index_frames(path)
    assert str(path) in str(error.value)


def test_a_truncated_clip_raises_an_input_error(clip_path: Path) -> None:
    data = clip_path.read_bytes()
    clip_path.write_bytes(data[: len(data) // 2])

    with pytest.raises(ClipError, match=str(clip_path)):
        clip = index_frames(clip_path)
        list(read_frames(clip, 0, clip.frame_count - 1))


def test_a_clip_cut_after_its_index_keeps_the_frames_it_has(clip_path, tmp_path) -> None:
    clip = index_frames(clip_path)
    indexed_first = tmp_path / "faststart.mp4"
    with H264Writer(indexed_first, clip) as writer:
        for index, frame in read_frames(clip, 0, clip.frame_count - 1):
            writer.write(index, frame)
    data = indexed_first.read_bytes()
    indexed_first.write_bytes(data[: len(data) // 2])

    assert 0 < index_frames(indexed_first).frame_count < 60


def test_frames_outside_the_clip_are_refused(clip_path: Path) -> None:
    with pytest.raises(ClipError, match=r"has frames 0\.\.59, not 50\.\.70"):
        list(read_frames(index_frames(clip_path), 50, 70))


def test_h264_writer_keeps_count_and_rate_and_puts_the_index_first(
    synthetic, clip_path: Path, tmp_path: Path
) -> None:
    clip = index_frames(clip_path)
    out = tmp_path / "evidence.mp4"
    with H264Writer(out, clip) as writer:
        for index, frame in read_frames(clip, 10, 34):
            writer.write(index, frame)

    capture = cv2.VideoCapture(str(out))
    assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(synthetic.fps)
    assert int(capture.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little") == b"h264"
    assert len(synthetic.decode_all(out)) == 25
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # faststart: playable while downloading


def test_h264_writer_pads_odd_sides_and_keeps_variable_timing(synthetic, tmp_path: Path) -> None:
    clip = index_frames(synthetic.variable_rate("vfr.mp4", [100, 250] * 3))
    out = tmp_path / "odd.mp4"
    with H264Writer(out, clip) as writer:
        for index, frame in read_frames(clip, 1, 6):
            writer.write(index, frame[:-1, :-1])

    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        times = [frame.pts * stream.time_base for frame in container.decode(stream)]
        size = (stream.codec_context.width, stream.codec_context.height)
        assert stream.codec_context.pix_fmt == "yuv420p"
    assert size == (synthetic.width, synthetic.height)
    gaps_ms = [
        round((later - earlier) * 1000) for earlier, later in zip(times, times[1:], strict=False)
    ]
    assert gaps_ms == [250, 100, 250, 100, 250]
    assert times[0] == Fraction(0)
