"""A landing area filled from the rendered sample, for the Airflow demos and DAG tests.

The 24 s sample clip is cut into shorter clips of different footage (so their SHA-256 differ)
with different wall-clock starts, bound to the sample camera alternately by sidecar and by file
name, plus three that ingest must quarantine: an MP4 cut short before its index (unreadable),
one cut short after it (partial: its header still counts every frame) and a half-second stub
(too short). The camera YAML goes into the cameras folder as ``<camera_id>.yaml``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import av
import cv2

from sample_video import write_sample
from sample_video.scene import CAMERA_ID, DURATION_S


@dataclass(frozen=True)
class DemoClip:
    first_s: float  # window of the sample clip this one holds
    last_s: float
    start: datetime  # its wall-clock start
    is_sidecar_bound: bool  # else bound by its file name


def demo_specs(count: int, length_s: float = 8.0) -> list[DemoClip]:
    """``count`` clips of ``length_s`` cut 2 s apart from the sample, starting an hour apart
    from Monday 2026-11-16 08:00 in Shanghai (all in 2026-W47), bound by sidecar and by name in
    turn."""
    first_start = datetime.fromisoformat("2026-11-16T08:00:00+08:00")
    room = int((DURATION_S - length_s) // 2) + 1
    if not 1 <= count <= room:
        raise ValueError(f"the sample holds 1 to {room} distinct {length_s:g} s clips, not {count}")
    return [
        DemoClip(2.0 * i, 2.0 * i + length_s, first_start + timedelta(hours=i), i % 2 == 0)
        for i in range(count)
    ]


@dataclass(frozen=True)
class LandingDemo:
    clips: list[Path]  # the good ones, in the order of the specs
    refused: dict[str, Path]  # by the refusal ingest must give: unreadable, partial, too_short


def clip_name(start: datetime) -> str:
    return f"{CAMERA_ID}_{start:%Y%m%dT%H%M%S}.mp4"


def write_landing_demo(
    landing: Path, cameras: Path, specs: list[DemoClip], work: Path
) -> LandingDemo:
    """Render the sample into ``work`` once, then drop the clips of ``specs`` into ``landing``."""
    sample_dir = work / "sample"
    if not (sample_dir / "camera.yaml").is_file():
        write_sample(sample_dir)
    cameras.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample_dir / "camera.yaml", cameras / f"{CAMERA_ID}.yaml")
    landing.mkdir(parents=True, exist_ok=True)
    clips = [_write_clip(sample_dir / "intersection.mp4", spec, landing) for spec in specs]
    refused = {
        kind: landing / clip_name(specs[0].start + timedelta(days=days))
        for days, kind in enumerate(("unreadable", "partial", "too_short"), start=1)
    }
    footage = clips[0].read_bytes()
    # Cut short: cv2 writes the MP4 index at the end, so nothing of this can be read.
    refused["unreadable"].write_bytes(footage[: len(footage) // 2])
    indexed_first = work / "index-first.mp4"
    _index_first(clips[0], indexed_first)
    indexed = indexed_first.read_bytes()
    refused["partial"].write_bytes(indexed[: len(indexed) // 2])
    _cut(sample_dir / "intersection.mp4", 0.0, 0.5, refused["too_short"])
    return LandingDemo(clips, refused)


def _index_first(clip: Path, out: Path) -> None:
    """Re-mux ``clip`` with its index before the frames (``faststart``), as cameras write them."""
    with (
        av.open(str(clip)) as source,
        av.open(str(out), "w", options={"movflags": "faststart"}) as target,
    ):
        video = source.streams.video[0]
        stream = target.add_stream_from_template(video)
        for packet in source.demux(video):
            if packet.dts is not None:
                packet.stream = stream
                target.mux(packet)


def _write_clip(sample: Path, spec: DemoClip, landing: Path) -> Path:
    # Written under a hidden name and renamed, as an uploader should: ingest skips dot-files.
    name = (
        f"sample-{spec.start:%Y%m%d%H%M%S}.mp4" if spec.is_sidecar_bound else clip_name(spec.start)
    )
    path = landing / name
    partial = landing / f".{name}"
    _cut(sample, spec.first_s, spec.last_s, partial)
    if spec.is_sidecar_bound:
        sidecar = {"camera_id": CAMERA_ID, "start_time": spec.start.isoformat()}
        path.with_suffix(".json").write_text(json.dumps(sidecar) + "\n", encoding="utf-8")
    partial.rename(path)
    return path


def _cut(sample: Path, first_s: float, last_s: float, out: Path) -> None:
    capture = cv2.VideoCapture(str(sample))
    fps = capture.get(cv2.CAP_PROP_FPS)
    size = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size, isColor=True)
    first, last = round(first_s * fps), round(last_s * fps)
    try:
        for index in range(last):
            ok, frame = capture.read()
            if not ok:
                break
            if index >= first:
                writer.write(frame)
    finally:
        capture.release()
        writer.release()
