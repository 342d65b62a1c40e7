"""The H.264 writer for evidence clips: browser-playable, with the source's frame timing.

PyAV's FFmpeg carries libx264, which OpenCV's headless build lacks.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from detectors.frames.exact import FrameIndex


class EncodingError(RuntimeError):
    """The evidence clip could not be encoded (a problem of this machine, not of the input)."""


class H264Writer:
    """Browser-playable MP4 (H.264, yuv420p, moov first) that keeps the source's frame timing.

    The stream takes its size from the first frame; odd sides get one black row/column, since
    yuv420p needs even ones.
    """

    def __init__(self, path: Path, clip: FrameIndex):
        self._path, self._clip = path, clip
        self._stream: av.video.stream.VideoStream | None = None
        self._origin_pts = 0
        try:
            self._container = av.open(
                str(path), "w", format="mp4", options={"movflags": "+faststart"}
            )
        except av.FFmpegError as exc:
            raise EncodingError(f"cannot create {path}: {exc}") from exc

    def __enter__(self) -> H264Writer:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        try:
            if exc_type is None and self._stream is not None:
                self._mux(None)  # flush the frames the encoder still holds
        finally:
            self._container.close()

    def write(self, index: int, image: np.ndarray) -> None:
        height, width = image.shape[:2]
        image = np.pad(image, ((0, height % 2), (0, width % 2), (0, 0)))
        if self._stream is None:
            self._stream = self._start(image.shape[1], image.shape[0])
            self._origin_pts = self._clip.frame_pts[index]
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = self._clip.frame_pts[index] - self._origin_pts
        frame.time_base = self._clip.time_base
        self._mux(frame)

    def _start(self, width: int, height: int) -> av.video.stream.VideoStream:
        try:
            stream = self._container.add_stream("libx264", rate=_rate(self._clip))
        except av.FFmpegError as exc:
            raise EncodingError(f"this FFmpeg build has no H.264 encoder (libx264): {exc}") from exc
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        # The encoder must count in the source's units too: in units of the (average) frame rate
        # two frames of a variable-rate clip can round to one timestamp.
        stream.time_base = stream.codec_context.time_base = self._clip.time_base
        # superfast: half the encoding time of veryfast for a quarter more bytes (measured).
        stream.options = {"crf": "23", "preset": "superfast"}
        return stream

    def _mux(self, frame: av.VideoFrame | None) -> None:
        try:
            self._container.mux(self._stream.encode(frame))
        except av.FFmpegError as exc:
            raise EncodingError(f"H.264 encoding of {self._path} failed: {exc}") from exc


def _rate(clip: FrameIndex) -> Fraction:
    # Only the nominal rate written into the header; each frame keeps its own timestamp.
    return Fraction(clip.fps).limit_denominator(1001) if clip.fps > 0 else Fraction(25)
