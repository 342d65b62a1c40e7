"""Exact frame access to a short window of a clip, by decoded frame index.

Frames are addressed by their decoded index (what ``Violation.frame_index`` holds). OpenCV's
``CAP_PROP_POS_FRAMES`` seeks by timestamp and lands one frame early on variable-frame-rate
clips (measured: frame 250 of the Hanoi sample came back as 249), so this module uses PyAV,
which supervision already depends on: the packet timestamps, read without decoding, give every
index its exact time; a seek goes to the keyframe before the window and only the window is
decoded.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from detectors.frames.source import ClipError

_REMUX_FIX = "re-copy the complete file, or remux it: ffmpeg -i IN -c copy OUT.mp4"


@dataclass(frozen=True)
class FrameIndex:
    path: Path
    width: int
    height: int
    frame_pts: tuple[int, ...]  # presentation timestamp of each decoded index, ascending
    time_base: Fraction

    @property
    def frame_count(self) -> int:
        return len(self.frame_pts)

    @property
    def fps(self) -> float:
        """The average rate; each frame's exact time is ``time_s(index)``."""
        span_s = self.time_s(self.frame_count - 1)
        return (self.frame_count - 1) / span_s if span_s > 0 else 0.0

    def time_s(self, index: int) -> float:
        """Seconds from the first frame."""
        return float((self.frame_pts[index] - self.frame_pts[0]) * self.time_base)

    def index_at(self, time_s: float) -> int:
        """The frame on screen at ``time_s`` (the last to start by then), clamped to the clip."""
        pts = self.frame_pts[0] + round(time_s / self.time_base)  # ticks are whole numbers
        return min(max(bisect.bisect_right(self.frame_pts, pts) - 1, 0), self.frame_count - 1)


def index_frames(path: Path) -> FrameIndex:
    """Read the clip's frame timestamps from its packets (no decoding)."""
    with _open(path) as container:
        stream = container.streams.video[0]
        try:
            pts = sorted(packet.pts for packet in container.demux(stream) if packet.size)
        except TypeError:
            raise ClipError(path, f"some frames carry no timestamp; {_REMUX_FIX}") from None
        except av.FFmpegError as exc:
            raise ClipError(path, f"is damaged ({exc}); {_REMUX_FIX}") from None
        if not pts:
            raise ClipError(path, "holds no video frames; pass the recorded camera clip")
        # A truncated file keeps the frames it has: the analysis flagged it partial already.
        return FrameIndex(
            path=path,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            frame_pts=tuple(pts),
            time_base=stream.time_base,
        )


def read_frames(clip: FrameIndex, first: int, last: int) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(index, BGR frame)`` for every index in ``first..last``, decoding only that span."""
    if not 0 <= first <= last < clip.frame_count:
        raise ClipError(
            clip.path,
            f"has frames 0..{clip.frame_count - 1}, not {first}..{last}; "
            "check that the violation was detected on this clip",
        )
    index_of = {clip.frame_pts[i]: i for i in range(first, last + 1)}
    expected = first
    with _open(clip.path) as container:
        stream = container.streams.video[0]
        container.seek(clip.frame_pts[first], stream=stream, backward=True)
        try:
            for frame in container.decode(stream):
                if frame.pts is None or frame.pts < clip.frame_pts[first]:
                    continue
                if index_of.get(frame.pts) != expected:
                    break
                yield expected, frame.to_ndarray(format="bgr24")
                expected += 1
                if expected > last:
                    return
        except av.FFmpegError as exc:
            raise ClipError(
                clip.path, f"is damaged near frame {expected} ({exc}); {_REMUX_FIX}"
            ) from None
    raise ClipError(
        clip.path,
        f"is truncated or damaged: frame {expected} of {clip.frame_count} "
        f"could not be decoded; {_REMUX_FIX}",
    )


def _open(path: Path) -> av.container.InputContainer:
    if not path.is_file():
        raise ClipError(path, "not found; pass the path of the recorded clip")
    try:
        container = av.open(str(path))
    except av.FFmpegError as exc:
        raise ClipError(path, f"cannot be opened as a video ({exc}); {_REMUX_FIX}") from None
    if not container.streams.video:
        container.close()
        raise ClipError(path, "has no video stream; pass the camera video file")
    return container
