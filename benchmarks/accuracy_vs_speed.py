"""Accuracy against speed for analysis rate x detector image size: the measurement behind the
engine's defaults (docs/accuracy-vs-speed.md).

For each setting: the evaluation report on an evaluation set (default: the shared dev set), and
the engine's x real time and CPU seconds per video second on the 1080p 25 fps benchmark clip.

    .venv/bin/python -m benchmarks.accuracy_vs_speed [--set DIR] [--grid 8x640 5x640 ...]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.clips import MODEL, SHARED, full_hd_clip
from benchmarks.timing import Clock

DEFAULT_GRID = ("5x640", "6x640", "8x640", "10x640", "12x640", "8x512", "8x800")


def evaluate(set_dir: Path, detector, fps: float) -> dict:
    from detectors.evaluation import evaluate_set
    from detectors.evaluation.engine import engine_detect

    return evaluate_set(set_dir, engine_detect(detector, fps))


def throughput(detector, fps: float) -> dict:
    from detectors.config.camera import load_camera
    from detectors.pipeline import analyse_clip

    clip = full_hd_clip()
    clock = Clock()
    result = analyse_clip(clip.path, load_camera(clip.camera), detector, fps)
    spent = clock.stop()
    video_s = result.analysed_duration_s
    return {"x_real_time": video_s / spent["wall_s"], "cpu_s_per_video_s": spent["cpu_s"] / video_s}


def run(setting: str, set_dir: Path) -> dict:
    from detectors.detections.detector import Detector, DetectorSettings

    fps, image_size = (float(part) for part in setting.split("x"))
    detector = Detector(DetectorSettings(model=str(MODEL), image_size=int(image_size)))
    report = evaluate(set_dir, detector, fps)
    return {
        "fps": fps,
        "image_size": int(image_size),
        **throughput(detector, fps),
        "report": report,
    }


def render(rows: list[dict]) -> Table:
    table = Table(title="Accuracy (evaluation set) against speed (1080p 25 fps clip)")
    for column in (
        "fps",
        "imgsz",
        "red-light P / R",
        "wrong-way P / R",
        "signal",
        "courier",
        "x real time",
        "CPU s / video s",
    ):
        table.add_column(column, justify="right")
    for row in rows:
        rules = row["report"]["rules"]
        table.add_row(
            f"{row['fps']:g}",
            str(row["image_size"]),
            _precision_recall(rules["pedestrian_red_light"]),
            _precision_recall(rules["wrong_way"]),
            _score(row["report"]["signals"]["accuracy"]),
            _score(row["report"]["courier"]["accuracy"]),
            f"{row['x_real_time']:.2f}x",
            f"{row['cpu_s_per_video_s']:.2f}",
        )
    return table


def _precision_recall(rule: dict) -> str:
    counts = f"({rule['tp']}/{rule['fp']}/{rule['fn']})"
    return f"{_score(rule['precision'])} / {_score(rule['recall'])} {counts}"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SHARED / "eval" / "dev", help="evaluation set")
    parser.add_argument("--grid", nargs="+", default=DEFAULT_GRID, metavar="FPSxIMGSZ")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args(argv)
    os.environ.setdefault("YOLO_OFFLINE", "1")
    console = Console(width=160)
    rows = []
    for setting in args.grid:
        rows.append(run(setting, args.set))
        console.print(f"done {setting}: {rows[-1]['x_real_time']:.2f}x real time")
    console.print(render(rows))
    console.print(f"load average {os.getloadavg()[0]:.1f}; TP/FP/FN in brackets")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str))


if __name__ == "__main__":
    main()
