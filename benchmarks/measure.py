"""One measurement on one clip, written as JSON: the engine (``engine``), the whole
``civility detect`` process with start-up and evidence (``detect``), decoding alone as the engine
decodes (``decode``), or the plain-ultralytics baseline (``baseline``).

``benchmarks.throughput`` runs this module in a fresh subprocess per (clip, method), so that each
peak RSS belongs to that measurement alone and no model or allocator state carries over.

Model loading and compilation are timed apart (``load_s``) and a first inference on a blank frame
is made before the clock starts: both are paid once per worker, not per clip, so x real time is
the steady rate of analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.clips import MODEL
from benchmarks.timing import CHILDREN, Clock, peak_rss_mb
from detectors.defaults import DEFAULT_IMAGE_SIZE

IMAGE_SIZE = DEFAULT_IMAGE_SIZE


def measure_engine(clip: Path, camera: Path, analysis_fps: float) -> dict:
    from detectors.config.camera import load_camera
    from detectors.detections.detector import Detector, DetectorSettings
    from detectors.frames.source import probe_clip
    from detectors.pipeline import analyse_clip

    started = time.perf_counter()
    detector = Detector(DetectorSettings(model=str(MODEL), image_size=IMAGE_SIZE))
    info = probe_clip(clip)
    detector.detect(np.zeros((info.height, info.width, 3), np.uint8))
    loaded = _loaded(started)

    clock = Clock()
    result = analyse_clip(clip, load_camera(camera), detector, analysis_fps)
    return (
        loaded
        | _ran(
            clock.stop(),
            video_s=result.analysed_duration_s,
            frames_decoded=result.decode.frames_decoded,
            frames_analysed=result.decode.frames_analysed,
            size=(info.width, info.height),
            fps=info.fps,
        )
        | {
            "analysis_fps": result.analysis_fps,
            "engine_runtime_s": result.runtime_s,
            "tracks": len(result.tracks),
            "violations": len(result.violations),
        }
    )


def measure_decode(clip: Path, analysis_fps: float) -> dict:
    """Decoding alone, as the engine decodes: every frame grabbed, the analysed ones converted."""
    from detectors.frames.source import DecodeReport, iter_frames, probe_clip

    started = time.perf_counter()
    info = probe_clip(clip)
    loaded = _loaded(started)
    clock = Clock()
    report = DecodeReport()
    for _ in iter_frames(info, min(analysis_fps, info.fps), None, report):
        pass
    return loaded | _ran(
        clock.stop(),
        video_s=report.duration_s,
        frames_decoded=report.frames_decoded,
        frames_analysed=report.frames_analysed,
        size=(info.width, info.height),
        fps=info.fps,
    )


def measure_detect(clip: Path, camera: Path, analysis_fps: float) -> dict:
    """``civility detect`` as a worker runs it, in a child process: start-up, model load,
    analysis, evidence and tables all counted."""
    import subprocess
    import sys
    import tempfile

    from detectors.frames.source import probe_clip

    info = probe_clip(clip)
    clock = Clock(CHILDREN)
    with tempfile.TemporaryDirectory(prefix="civility-bench-detect-") as out:
        command = [sys.executable, "-c", "from civility.cli import app; app()", "detect"]
        command += [str(clip), "--camera", str(camera), "--out", out, "--fps", str(analysis_fps)]
        command += ["--model", str(MODEL), "--imgsz", str(IMAGE_SIZE)]
        subprocess.run(command, check=True, capture_output=True)
        events = len(list(Path(out).glob("evidence/*/event.json")))
    result = _ran(
        clock.stop(),
        video_s=info.duration_s,
        frames_decoded=info.frame_count,
        frames_analysed=round(info.duration_s * min(analysis_fps, info.fps)),
        size=(info.width, info.height),
        fps=info.fps,
    )
    return result | {"load_s": 0.0, "peak_rss_mb": peak_rss_mb(CHILDREN), "violations": events}


def measure_baseline(clip: Path) -> dict:
    from ultralytics import YOLO

    started = time.perf_counter()
    model = YOLO(str(MODEL), task="detect")
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS)
    size = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    model.predict(np.zeros((size[1], size[0], 3), np.uint8), verbose=False)
    loaded = _loaded(started)

    clock = Clock()
    frames = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        model.track(frame, persist=True, verbose=False)
        frames += 1
    capture.release()
    return loaded | _ran(
        clock.stop(),
        video_s=frames / fps,
        frames_decoded=frames,
        frames_analysed=frames,
        size=size,
        fps=fps,
    )


def _loaded(started: float) -> dict:
    return {"load_s": time.perf_counter() - started, "ready_rss_mb": peak_rss_mb()}


def _ran(
    times: dict,
    video_s: float,
    frames_decoded: int,
    frames_analysed: int,
    size: tuple[int, int],
    fps: float,
) -> dict:
    return times | {
        "video_s": video_s,
        "x_realtime": video_s / times["wall_s"],
        "cpu_s_per_video_s": times["cpu_s"] / video_s,
        "frames_decoded": frames_decoded,
        "frames_analysed": frames_analysed,
        "width": size[0],
        "height": size[1],
        "fps": fps,
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("method", choices=["engine", "detect", "decode", "baseline"])
    parser.add_argument("clip", type=Path)
    parser.add_argument("--camera", type=Path, help="camera YAML (engine only)")
    parser.add_argument("--fps", type=float, help="analysis rate (engine only)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON result")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    if args.method == "engine":
        result = measure_engine(args.clip, args.camera, args.fps)
    elif args.method == "detect":
        result = measure_detect(args.clip, args.camera, args.fps)
    elif args.method == "decode":
        result = measure_decode(args.clip, args.fps)
    else:
        result = measure_baseline(args.clip)
    result |= {
        "method": args.method,
        "load_1m_before": load_before,
        "load_1m_after": os.getloadavg()[0],
    }
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
