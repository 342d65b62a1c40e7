"""The clips benchmarked: every shared clip with its camera, plus a 1080p 25 fps clip made from one.

Clips are never copied into the repository: generated clips and cameras live in a cache folder
(``CIVILITY_BENCH_CACHE``, default ``/tmp/civility-bench``) and are made once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import yaml

from detectors.frames.source import probe_clip

# The shared material sits beside the checkout, as in CI.
SHARED = Path(
    os.environ.get("CIVILITY_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)
VIDEOS = SHARED / "videos"
CAMERAS = SHARED / "eval" / "dev" / "cameras"
MODEL = SHARED / "models" / "yolo11n_openvino_model"
CACHE = Path(os.environ.get("CIVILITY_BENCH_CACHE", "/tmp/civility-bench"))

# File-name prefix of a shared clip -> its camera in the dev evaluation set.
CAMERA_FOR_PREFIX = {
    "hanoi_giangvo": "hanoi_giangvo.yaml",
    "pedestrian_street_cutl": "pedestrian_street_cutl.yaml",
    "thai_intersection_footbridge": "thai_footbridge.yaml",
    "vn_intersection_screenrec": "vn_screenrec.yaml",
}

FULL_HD_SOURCE = "thai_intersection_footbridge_Traffic2.mp4"  # 960x540 @ 25 fps: an exact 2x
FULL_HD_NAME = "footbridge_1080p25"
FULL_HD_SIZE = (1920, 1080)
# Typical of a 1080p25 H.264 CCTV stream. Decode cost grows with bitrate, and an upscaled clip
# encoded to a quality target would be far smoother, so far cheaper to decode, than real footage.
FULL_HD_BITRATE = 4_000_000
FULL_HD_GOP = 50  # cameras send a key frame every 1-2 s
LENGTH_LOOPS = 4  # the long clip for "peak memory is flat in clip length"


@dataclass(frozen=True)
class BenchClip:
    name: str
    path: Path
    camera: Path
    with_baseline: bool = True


def shared_clips() -> list[BenchClip]:
    return [
        BenchClip(name=path.stem, path=path, camera=camera_for(path))
        for path in sorted(VIDEOS.glob("*.mp4"))
    ]


def full_hd_clip(loops: int = 1) -> BenchClip:
    """The 1080p clip, looped ``loops`` times (the long copy probes the engine's memory only)."""
    source = VIDEOS / FULL_HD_SOURCE
    return BenchClip(
        name=FULL_HD_NAME if loops == 1 else f"{FULL_HD_NAME}_x{loops}",
        path=upscaled(source, loops),
        camera=camera_for(source),  # the engine scales geometry to the clip's resolution itself
        with_baseline=loops == 1,
    )


def all_clips() -> list[BenchClip]:
    return [*shared_clips(), full_hd_clip(), full_hd_clip(LENGTH_LOOPS)]


def select(clips: list[BenchClip], names: list[str] | None) -> list[BenchClip]:
    """Clips whose name contains any of ``names`` (all clips when none are given)."""
    if not names:
        return clips
    chosen = [clip for clip in clips if any(name in clip.name for name in names)]
    if not chosen:
        known = ", ".join(clip.name for clip in clips)
        raise SystemExit(f"no clip matches {names}; known clips: {known}")
    return chosen


def camera_for(clip: Path) -> Path:
    for prefix, camera in CAMERA_FOR_PREFIX.items():
        if clip.stem.startswith(prefix):
            return CAMERAS / camera
    return minimal_camera(clip)


def minimal_camera(clip: Path) -> Path:
    """A camera with no zones or signals (shared/spec/camera-config.md), for a clip that has none:
    the engine still detects and tracks everything, it only has no rule to apply."""
    info = probe_clip(clip)
    camera = {
        "camera_id": f"bench-{clip.stem}".replace(" ", "_"),
        "name": f"benchmark camera for {clip.name}, no zones",
        "intersection_id": f"bench-{clip.stem}".replace(" ", "_"),
        "district": "unknown",
        "timezone": "UTC",
        "frame_size": [info.width, info.height],
        "crosswalks": [],
        "lanes": [],
        "signals": [],
    }
    path = CACHE / "cameras" / f"{clip.stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(camera, sort_keys=False), encoding="utf-8")
    return path


def upscaled(source: Path, loops: int) -> Path:
    """``source`` scaled to 1920x1080 (H.264) and played ``loops`` times; made once, then cached."""
    width, height = FULL_HD_SIZE
    once = _made(
        CACHE / f"{source.stem}_{width}x{height}_{FULL_HD_BITRATE // 1000}k.mp4",
        lambda partial: _encode_upscaled(source, partial),
    )
    if loops == 1:
        return once
    return _made(
        once.with_name(f"{once.stem}_x{loops}.mp4"),
        lambda partial: _loop_packets(once, partial, loops),
    )


def _made(target: Path, make: Callable[[Path], None]) -> Path:
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        make(partial)
        partial.rename(target)  # an interrupted run never leaves a half clip that looks finished
    return target


def _encode_upscaled(source: Path, target: Path) -> None:
    width, height = FULL_HD_SIZE
    with av.open(str(source)) as clip, av.open(str(target), "w", format="mp4") as output:
        rate = Fraction(clip.streams.video[0].average_rate)
        stream = output.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.bit_rate = FULL_HD_BITRATE
        stream.codec_context.gop_size = FULL_HD_GOP
        stream.options = {"preset": "veryfast"}
        for index, frame in enumerate(clip.decode(video=0)):
            scaled = frame.reformat(width=width, height=height, format="yuv420p")
            scaled.pts, scaled.time_base = index, 1 / rate
            output.mux(stream.encode(scaled))
        output.mux(stream.encode())  # flush the frames the encoder still holds


def _loop_packets(clip: Path, target: Path, loops: int) -> None:
    """The clip's encoded frames repeated with shifted timestamps: the same pictures, the same
    decode cost per frame, and no minutes of re-encoding. Each copy starts on a key frame."""
    with av.open(str(target), "w", format="mp4") as output:
        stream = None
        for loop in range(loops):
            with av.open(str(clip)) as container:
                source = container.streams.video[0]
                stream = stream or output.add_stream_from_template(source)
                span = round(source.frames / source.average_rate / source.time_base)
                for packet in container.demux(source):
                    if packet.dts is None:  # the demuxer's end-of-stream marker
                        continue
                    packet.pts += loop * span
                    packet.dts += loop * span
                    packet.stream = stream
                    output.mux(packet)
