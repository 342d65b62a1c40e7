"""Streaming clips at an analysis rate, on small synthetic clips whose frames are told apart by
their grey level (``frame_level(index)``, see tests/conftest.py)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from detectors.config.errors import InputError
from detectors.frames.source import (
    ClipError,
    DecodeReport,
    analysis_period_s,
    iter_frames,
    prefetched,
    probe_clip,
)

# Frames are flat grey; lossy MPEG-4 keeps the level within a few grey values.
LEVEL_TOLERANCE = 8
TRACEBACK_MARKS = ("Traceback", 'File "', "cv2.error", "OpenCV(")


def assert_is_frame(frame, frame_level) -> None:
    assert abs(float(frame.image.mean()) - frame_level(frame.index)) <= LEVEL_TOLERANCE


def test_probe_reads_size_rate_and_declared_length(make_clip):
    path = make_clip(frames=30, fps=10.0, size=(64, 48))

    info = probe_clip(path)

    assert (info.path, info.width, info.height) == (path, 64, 48)
    assert (info.fps, info.frame_count) == (10.0, 30)
    assert info.duration_s == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("clip_fps", "frames", "analysis_fps", "indices"),
    [
        (10.0, 30, 5.0, list(range(0, 30, 2))),
        (10.0, 30, 2.0, list(range(0, 30, 5))),
        (10.0, 30, 10.0, list(range(30))),
        (10.0, 30, 30.0, list(range(30))),  # faster than the clip: every frame, once
        (25.0, 50, 10.0, None),  # 2.5 source frames per analysed one
        (30.0, 60, 8.0, None),
    ],
)
def test_frames_are_streamed_at_the_analysis_rate(
    make_clip, frame_level, clip_fps, frames, analysis_fps, indices
):
    info = probe_clip(make_clip(frames=frames, fps=clip_fps))
    report = DecodeReport()

    streamed = list(iter_frames(info, analysis_fps, report=report))

    if indices is not None:
        assert [f.index for f in streamed] == indices
    rate = min(analysis_fps, clip_fps)
    assert len(streamed) == round(frames / clip_fps * rate)
    for k, frame in enumerate(streamed):  # the frame nearest each analysis instant
        assert abs(frame.t_s - k / rate) <= 0.5 / clip_fps + 1e-6
    assert [f.t_s for f in streamed] == pytest.approx([f.index / clip_fps for f in streamed])
    for frame in streamed:
        assert_is_frame(frame, frame_level)
        assert frame.wall_time is None
    assert (report.frames_decoded, report.frames_analysed) == (frames, len(streamed))
    assert report.duration_s == pytest.approx(frames / clip_fps)
    assert not report.is_partial


def test_wall_time_is_the_clip_start_plus_the_frame_time(make_clip):
    start = datetime(2026, 11, 16, 8, 0, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    info = probe_clip(make_clip(frames=20, fps=10.0))

    streamed = list(iter_frames(info, 5.0, clip_start=start))

    assert [f.wall_time for f in streamed] == [start + timedelta(seconds=f.t_s) for f in streamed]
    last = streamed[-1].wall_time - start
    assert abs(last - timedelta(seconds=1.8)) < timedelta(milliseconds=1)
    assert all(f.wall_time.tzinfo is start.tzinfo for f in streamed)


def test_variable_rate_clip_is_timed_by_its_presentation_times(make_clip, frame_level):
    gaps_ms = [100, 100, 300, 100, 50, 50, 400, 100]
    info = probe_clip(make_clip(name="vfr.mp4", gaps_ms=gaps_ms))

    streamed = list(iter_frames(info, 100.0))

    assert [f.index for f in streamed] == list(range(len(gaps_ms) + 1))
    expected = [sum(gaps_ms[:i]) / 1000 for i in range(len(gaps_ms) + 1)]
    assert [f.t_s for f in streamed] == pytest.approx(expected, abs=0.002)
    for frame in streamed:
        assert_is_frame(frame, frame_level)


def test_the_decode_report_measures_the_longest_gap_between_frames(make_clip):
    gaps_ms = [100, 100, 300, 100, 50, 50, 400, 100]
    info = probe_clip(make_clip(name="vfr.mp4", gaps_ms=gaps_ms))
    report = DecodeReport()

    list(iter_frames(info, 1.0, report=report))

    assert report.longest_gap_s == pytest.approx(0.4, abs=0.002)
    assert (report.count_timestamp_faults, report.frames_decoded) == (0, 9)


def test_frames_stamped_before_their_predecessor_are_counted_as_faults(make_clip, tmp_path):
    # Two MPEG-TS recordings joined byte for byte: the second one's clock starts again at 0.
    parts = [make_clip(name=f"part{i}.ts", gaps_ms=[100] * 9) for i in range(2)]
    joined = tmp_path / "joined.ts"
    joined.write_bytes(b"".join(part.read_bytes() for part in parts))
    report = DecodeReport()

    streamed = list(iter_frames(probe_clip(joined), 100.0, report=report))

    assert (report.count_timestamp_faults, report.frames_decoded) == (10, 20)
    assert [f.t_s for f in streamed] == sorted(f.t_s for f in streamed)  # still in order


def test_variable_rate_clip_is_sampled_by_time_not_by_count(make_clip):
    # 0.0, 0.1, 0.2, then a burst of frames 20 ms apart up to 0.4, then 0.5 ... 1.0 s.
    gaps_ms = [100, 100] + [20] * 10 + [100] * 6
    info = probe_clip(make_clip(name="burst.mp4", gaps_ms=gaps_ms))

    streamed = list(iter_frames(info, 5.0))  # one frame per 0.2 s

    times = [round(f.t_s, 2) for f in streamed]
    assert times == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], abs=0.03)


@pytest.mark.parametrize("analysis_fps", [0.0, -5.0])
def test_analysis_rate_must_be_positive(make_clip, analysis_fps):
    info = probe_clip(make_clip(frames=5))

    with pytest.raises(InputError, match="must be positive"):
        list(iter_frames(info, analysis_fps))
    with pytest.raises(InputError, match="must be positive"):
        analysis_period_s(analysis_fps)


# Clips that cannot be analysed: a ClipError that names the clip.


def _garbage(path):
    path.write_bytes(bytes(range(256)) * 64)


def _empty(path):
    path.write_bytes(b"")


def _text(path):
    path.write_text("not a video, just some notes\n" * 20)


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (_empty, "file is empty"),
        (_garbage, "not a readable video"),
        (_text, "not a readable video"),
    ],
    ids=["empty", "garbage_bytes", "text"],
)
def test_unreadable_clips_are_clip_errors_naming_the_clip(tmp_path, spoil, problem):
    path = tmp_path / "cam-01_20261116T080000.mp4"
    spoil(path)

    with pytest.raises(ClipError) as caught:
        probe_clip(path)

    message = str(caught.value)
    assert "cam-01_20261116T080000.mp4" in message
    assert problem in message
    assert "re-export" in message or "re-upload" in message
    assert not [mark for mark in TRACEBACK_MARKS if mark in message]
    assert caught.value.path == path
    assert isinstance(caught.value, InputError)


def test_missing_clip_is_a_clip_error(tmp_path):
    with pytest.raises(ClipError, match="nowhere.mp4: file not found"):
        probe_clip(tmp_path / "nowhere.mp4")


def test_a_directory_is_not_a_clip(tmp_path):
    with pytest.raises(ClipError, match="file not found"):
        probe_clip(tmp_path)


def _cut_in_half(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_mp4_cut_in_half_is_a_clip_error(make_clip):
    # cv2 writes the MP4 index at the end: without it nothing decodes.
    path = _cut_in_half(make_clip(name="cut.mp4", frames=40))

    with pytest.raises(ClipError) as caught:
        probe_clip(path)

    assert "cut.mp4" in str(caught.value)
    assert "re-export" in str(caught.value)


@pytest.mark.parametrize(("name", "fourcc"), [("cut.avi", "MJPG"), ("cut.mkv", "mp4v")])
def test_clip_cut_in_half_yields_its_decodable_part(make_clip, frame_level, name, fourcc):
    path = _cut_in_half(make_clip(name=name, fourcc=fourcc, frames=40))
    info = probe_clip(path)
    report = DecodeReport()

    streamed = list(iter_frames(info, 100.0, report=report))

    assert info.frame_count == 40  # as declared
    assert 0 < len(streamed) < 40
    assert [f.index for f in streamed] == list(range(len(streamed)))
    for frame in streamed:
        assert_is_frame(frame, frame_level)
    assert report.frames_decoded == len(streamed)
    assert report.is_partial
    assert report.duration_s < info.duration_s


# prefetched: decoding in a background thread.


def test_prefetched_yields_the_same_frames_in_order(make_clip):
    info = probe_clip(make_clip(frames=30, fps=10.0))

    direct = list(iter_frames(info, 5.0))
    ahead = list(prefetched(iter_frames(info, 5.0), depth=2))

    assert [f.index for f in ahead] == [f.index for f in direct]
    assert [f.t_s for f in ahead] == [f.t_s for f in direct]
    assert all((a.image == d.image).all() for a, d in zip(ahead, direct, strict=True))


def _failing_after(items: int, error: Exception):
    yield from range(items)
    raise error


@pytest.mark.parametrize("items", [0, 3, 10])
def test_prefetched_passes_on_the_producer_error_after_the_items_before_it(items):
    error = ClipError(Path("x.mp4"), "decoder failed")
    received = []

    with pytest.raises(ClipError) as caught:
        for item in prefetched(_failing_after(items, error), depth=2):
            received.append(item)

    assert caught.value is error
    assert received == list(range(items))


def test_prefetched_of_nothing_is_nothing():
    assert list(prefetched(iter([]))) == []


def _decoder_threads() -> int:
    return sum(t.name == "frame-decoder" and t.is_alive() for t in threading.enumerate())


def test_prefetched_stops_its_thread_when_the_consumer_stops_early():
    before = _decoder_threads()
    frames = prefetched(iter(range(1000)), depth=2)

    assert next(frames) == 0
    frames.close()

    assert _decoder_threads() == before


def test_at_the_clips_own_rate_every_frame_is_analysed_despite_jitter(make_clip):
    # Like CCTV exports: frames 160 ms apart with a dropped frame now and then, so the declared
    # rate (total frames / duration) is a little below the spacing of most frames.
    gaps_ms = ([160] * 8 + [320]) * 4
    info = probe_clip(make_clip(name="jitter.mp4", gaps_ms=gaps_ms))
    assert info.fps < 1000 / 160  # most frames come faster than the declared rate

    streamed = list(iter_frames(info, info.fps))

    assert [f.index for f in streamed] == list(range(len(gaps_ms) + 1))
