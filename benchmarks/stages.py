"""Where the engine's time goes: each stage of ``analyse_clip`` timed alone on the 1080p clip.

    python -m benchmarks.stages [--clip PATH --camera YAML] [--fps F] [--json FILE]

The library functions are called directly, in the order ``detectors.pipeline`` calls them, one
whole pass over the clip per stage; the library itself is not touched. The whole engine runs last
for comparison: it decodes in a background thread while the model runs, so it takes less than
the sum of the stages. Decoding every frame fully, as the baseline does, is shown for context.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks.clips import MODEL, full_hd_clip
from benchmarks.timing import Clock
from detectors.config.camera import CameraConfig, load_camera
from detectors.defaults import DEFAULT_ANALYSIS_FPS, DEFAULT_IMAGE_SIZE
from detectors.detections.detector import Detector, DetectorSettings
from detectors.detections.focus import ZoneFocus
from detectors.frames.source import ClipInfo, iter_frames, probe_clip
from detectors.frames.view import ViewRegistrar, load_reference
from detectors.pipeline import ClipResult, TrackJudge, analyse_clip
from detectors.signals.monitor import SignalMonitor
from detectors.tracks.history import TrackBook, mark_riders
from detectors.tracks.tracker import TRACK_CLOSED_AFTER_S, Tracker


@dataclass
class Stage:
    name: str
    calls: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0  # all threads; less swayed than wall time by other users of the cores

    @contextmanager
    def timing(self) -> Iterator[None]:
        clock = Clock()
        yield
        spent = clock.stop()
        self.wall_s += spent["wall_s"]
        self.cpu_s += spent["cpu_s"]
        self.calls += 1


def time_decode(info: ClipInfo, rate: float, name: str) -> Stage:
    stage = Stage(name)
    with stage.timing():
        for _ in iter_frames(info, rate):
            pass
    return stage


def time_view_signals_and_detect(
    info: ClipInfo, rate: float, camera: CameraConfig, detector: Detector
) -> tuple[Stage, Stage, Stage, list, SignalMonitor]:
    """One pass: decoding is not timed; the frames are dropped, only the small detections kept."""
    view, signals = Stage("view (ViewRegistrar.update)"), Stage("signals (SignalMonitor.update)")
    detect = Stage("detect (ZoneFocus.detect)")
    registrar = ViewRegistrar((info.width, info.height), load_reference(camera))
    focus = ZoneFocus(detector, camera, (info.width, info.height))
    monitor = SignalMonitor(camera.signals, rate, None)
    found = []
    for frame in iter_frames(info, rate):
        with view.timing():
            transform = registrar.update(frame.t_s, frame.image)
        with signals.timing():
            monitor.update(frame.t_s, frame.image, transform)
        with detect.timing():
            detections = focus.detect(frame.image)
        found.append((frame.index, frame.t_s, detections))
    return view, signals, detect, found, monitor


def time_track(found: list, rate: float) -> tuple[Stage, list]:
    stage = Stage("track (mark_riders + Tracker.update)")
    tracker = Tracker(rate)
    tracked = []
    for index, t_s, detections in found:
        with stage.timing():
            tracked.append((index, t_s, tracker.update(mark_riders(detections))))
    return stage, tracked


def time_rules(
    tracked: Iterable, monitor: SignalMonitor, info: ClipInfo, camera: CameraConfig
) -> Stage:
    """Track histories and the rules; signal states are final here, so none has to wait."""
    stage = Stage("rules (TrackBook + judge)")
    result = ClipResult(
        clip=info,
        camera=camera,
        clip_start=None,
        analysis_fps=0.0,
        model_version="",
        config_hash="",
    )
    judge = TrackJudge(camera, result, couriers=None)
    book = TrackBook(forget_after_s=TRACK_CLOSED_AFTER_S)
    monitor.finish(info.duration_s)
    for index, t_s, detections in tracked:
        with stage.timing():
            book.add(index, t_s, detections, monitor.states_at(t_s))
            judge(book.pop_finished(t_s))
    with stage.timing():
        judge(book.pop_all())
    return stage


def time_engine(clip: Path, camera: CameraConfig, detector: Detector, rate: float) -> Stage:
    stage = Stage("whole engine (analyse_clip)")
    with stage.timing():
        analyse_clip(clip, camera, detector, rate)
    return stage


def run_stages(clip: Path, camera_path: Path, analysis_fps: float) -> tuple[int, list[Stage]]:
    """The number of analysed frames, and the stages in the order they ran."""
    info = probe_clip(clip)
    camera = load_camera(camera_path).scaled_to(info.width, info.height)
    rate = min(analysis_fps, info.fps)
    detector = Detector(DetectorSettings(model=str(MODEL), image_size=DEFAULT_IMAGE_SIZE))
    detector.detect(np.zeros((info.height, info.width, 3), np.uint8))  # compile before timing

    every_frame = time_decode(info, info.fps, "decode, every frame retrieved (baseline)")
    at_rate = time_decode(info, rate, f"decode at {rate:g} fps (grab all, retrieve analysed)")
    view, signals, detect, found, monitor = time_view_signals_and_detect(
        info, rate, camera, detector
    )
    track, tracked = time_track(found, rate)
    rules = time_rules(tracked, monitor, info, camera)
    engine = time_engine(clip, load_camera(camera_path), detector, analysis_fps)
    return len(found), [every_frame, at_rate, view, signals, detect, track, rules, engine]


def stage_table(
    info: ClipInfo, analysed: int, stages: list[Stage], analysis_fps: float, load: str
) -> Table:
    table = Table(
        title=f"Engine stages on {info.path.name} ({info.width}x{info.height} @ {info.fps:g} fps, "
        f"{info.duration_s:.1f} s, analysed at {analysis_fps:g} fps)",
        caption=f"1-min load {load}; 'x-RT alone' = video seconds per wall second of the stage; "
        "'share' is of the sum of the engine's own stages",
    )
    for column in ("stage", "wall s", "CPU s", "ms per analysed frame", "x-RT alone", "share"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    own = sum(s.wall_s for s in stages[1:-1])  # decode at rate .. rules: what the engine does
    for index, stage in enumerate(stages):
        share = f"{stage.wall_s / own:.0%}" if 1 <= index < len(stages) - 1 else ""
        table.add_row(
            stage.name,
            f"{stage.wall_s:.2f}",
            f"{stage.cpu_s:.2f}",
            f"{1000 * stage.wall_s / analysed:.1f}",
            f"{info.duration_s / stage.wall_s:.1f}x",
            share,
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, help="default: the 1080p 25 fps benchmark clip")
    parser.add_argument("--camera", type=Path, help="camera YAML of --clip")
    parser.add_argument(
        "--fps",
        type=float,
        default=DEFAULT_ANALYSIS_FPS,
        help=f"analysis rate (default {DEFAULT_ANALYSIS_FPS:g})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the timings here")
    args = parser.parse_args()
    if (args.clip is None) != (args.camera is None):
        parser.error("give --clip and --camera together")
    if args.clip is None:
        bench = full_hd_clip()
        args.clip, args.camera = bench.path, bench.camera

    load_before = os.getloadavg()[0]
    analysed, stages = run_stages(args.clip, args.camera, args.fps)
    load = f"{load_before:.1f} -> {os.getloadavg()[0]:.1f}"
    info = probe_clip(args.clip)
    Console(width=150).print(stage_table(info, analysed, stages, args.fps, load))
    if args.json:
        document = {
            "clip": str(args.clip),
            "analysis_fps": args.fps,
            "load_1m": load,
            "video_s": info.duration_s,
            "frames_analysed": analysed,
            "stages": [asdict(s) for s in stages],
        }
        args.json.write_text(json.dumps(document, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
