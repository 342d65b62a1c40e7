"""Stream a clip's frames at an analysis rate, never holding the clip in memory.

Every frame must be decoded anyway (H.264 frames depend on their neighbours), so frames that are
not analysed are only ``grab()``-ed, which skips the colour conversion. Time is each frame's own
presentation time counted from the clip's first frame (CCTV exports often have a variable frame
rate, where index / fps drifts by a tenth of a second within a minute); wall-clock time is the
clip's start plus that.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from detectors.config.errors import InputError


class ClipError(InputError):
    """A clip that cannot be analysed; the message names the clip and what to do."""

    def __init__(self, path: Path, problem: str):
        self.path = path
        super().__init__(f"clip {path}: {problem}")


@dataclass(frozen=True)
class ClipInfo:
    path: Path
    width: int
    height: int
    fps: float
    frame_count: int  # as declared by the container; a truncated file decodes fewer

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps


@dataclass(frozen=True)
class Frame:
    index: int  # decoded frame number, 0-based
    t_s: float  # seconds from the clip's first frame
    image: np.ndarray  # BGR
    wall_time: datetime | None = None


def probe_clip(path: str | Path) -> ClipInfo:
    """Open a clip and read its geometry and rate; raise ClipError if it cannot be decoded."""
    path = Path(path)
    if not path.is_file():
        raise ClipError(path, "file not found; check the path")
    if path.stat().st_size == 0:
        raise ClipError(path, "file is empty (0 bytes); re-export or re-upload the clip")
    capture = cv2.VideoCapture(str(path))
    try:
        if not capture.isOpened():
            raise ClipError(
                path,
                "not a readable video (unknown container or codec, or an MP4 cut short before its "
                "index was written); re-copy the complete file or re-export it as MP4/H.264",
            )
        fps = capture.get(cv2.CAP_PROP_FPS)
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        frame_count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        ok, _ = capture.read()
        if not ok:
            raise ClipError(
                path,
                "no frame could be decoded (corrupt or truncated at the start); re-export the clip",
            )
    finally:
        capture.release()
    if not fps or fps <= 0 or fps > 1000:
        raise ClipError(
            path, f"frame rate {fps!r} is not usable; re-mux the clip with a valid frame rate"
        )
    return ClipInfo(
        path=path, width=width, height=height, fps=float(fps), frame_count=max(frame_count, 1)
    )


def analysis_period_s(analysis_fps: float) -> float:
    if analysis_fps <= 0:
        raise InputError(f"analysis rate {analysis_fps} fps must be positive; pass e.g. --fps 8")
    return 1.0 / analysis_fps


@dataclass
class DecodeReport:
    """Filled in while streaming: how much of the clip decoded."""

    frames_decoded: int = 0
    frames_analysed: int = 0
    duration_s: float = 0.0  # of the decoded part
    is_partial: bool = False  # decoding stopped before the declared end
    count_timestamp_faults: int = 0  # frames stamped no later than the frame before them
    longest_gap_s: float = 0.0  # between two consecutive frames' timestamps


def iter_frames(
    info: ClipInfo,
    analysis_fps: float,
    clip_start: datetime | None = None,
    report: DecodeReport | None = None,
) -> Iterator[Frame]:
    """Yield frames at about ``analysis_fps``; a truncated clip yields its decodable part.

    At or above the clip's declared rate every frame is yielded: CCTV frames come at uneven
    intervals around that rate, and sampling by time would drop the early ones.
    """
    report = report if report is not None else DecodeReport()
    period_s = analysis_period_s(analysis_fps)
    every_frame = analysis_fps >= info.fps
    half_frame_s = 0.5 / info.fps
    capture = cv2.VideoCapture(str(info.path))
    next_analysed_s = 0.0
    index = 0
    first_ms: float | None = None
    previous_t_s = -1.0
    try:
        while True:
            if not capture.grab():
                break
            report.frames_decoded += 1
            position_ms = capture.get(cv2.CAP_PROP_POS_MSEC)
            first_ms = position_ms if first_ms is None else first_ms
            t_s = (position_ms - first_ms) / 1000
            if index > 0:
                report.longest_gap_s = max(report.longest_gap_s, t_s - previous_t_s)
            if t_s <= previous_t_s:  # no usable timestamps in this container: fall back to the rate
                report.count_timestamp_faults += index > 0
                t_s = index / info.fps
            previous_t_s = t_s
            report.duration_s = t_s + 1 / info.fps
            if every_frame or t_s + half_frame_s >= next_analysed_s:
                ok, image = capture.retrieve()
                if not ok:
                    break
                while next_analysed_s <= t_s + half_frame_s:
                    next_analysed_s += period_s
                report.frames_analysed += 1
                wall = clip_start + timedelta(seconds=t_s) if clip_start else None
                yield Frame(index=index, t_s=t_s, image=image, wall_time=wall)
            index += 1
    finally:
        capture.release()
    # Containers often over-declare by a frame or two; more than that is a truncated file.
    report.is_partial = report.frames_decoded < info.frame_count - max(2, 0.01 * info.frame_count)


def prefetched(frames: Iterator[Frame], depth: int = 4) -> Iterator[Frame]:
    """Decode in a background thread so decoding overlaps inference (both release the GIL)."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    finished = object()
    failure: list[BaseException] = []
    stop = threading.Event()

    def produce() -> None:
        try:
            for frame in frames:
                while not stop.is_set():
                    try:
                        buffer.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # re-raised in the consumer, where it belongs
            failure.append(exc)
        finally:
            buffer.put(finished)

    worker = threading.Thread(target=produce, name="frame-decoder", daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not finished:
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
        while worker.is_alive():
            try:
                buffer.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)
