"""Throughput and peak memory of the engine against plain ultralytics, clip by clip.

    python -m benchmarks.throughput [--clips NAME ...] [--quick] [--fps F] [--json FILE]

Each (clip, method) runs in its own fresh subprocess (``benchmarks.measure``), one after another,
so that measurements never share a core or a peak RSS. ``--quick`` measures the 1080p 25 fps clip
only. See benchmarks/README.md for what is measured and the latest figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rich.console import Console

from benchmarks.clips import (
    FULL_HD_NAME,
    LENGTH_LOOPS,
    BenchClip,
    all_clips,
    full_hd_clip,
    select,
)
from benchmarks.report import print_report, write_json
from detectors.defaults import DEFAULT_ANALYSIS_FPS

REPO = Path(__file__).resolve().parents[1]
# A measurement that takes longer than this is stuck, not slow.
MEASUREMENT_TIMEOUT_S = 900
VERSIONED = (
    "ultralytics-opencv-headless",
    "ultralytics",
    "openvino",
    "opencv-python-headless",
    "torch",
    "av",
)

# Wide enough for the table when the output is a file or a pipe (rich assumes 80 columns then).
console = Console() if sys.stdout.isatty() else Console(width=200)


def measure(clip: BenchClip, method: str, analysis_fps: float) -> dict:
    """One measurement in a fresh interpreter; a failure becomes a result with an ``error``."""
    with tempfile.TemporaryDirectory(prefix="civility-bench-") as scratch:
        out = Path(scratch) / "result.json"
        command = [
            sys.executable,
            "-m",
            "benchmarks.measure",
            method,
            str(clip.path),
            "--camera",
            str(clip.camera),
            "--fps",
            str(analysis_fps),
            "--out",
            str(out),
        ]
        try:
            done = subprocess.run(
                command, cwd=REPO, capture_output=True, text=True, timeout=MEASUREMENT_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return {
                "clip": clip.name,
                "method": method,
                "error": f"no result within {MEASUREMENT_TIMEOUT_S} s",
            }
        if done.returncode != 0 or not out.exists():
            last_lines = " | ".join(done.stderr.strip().splitlines()[-3:])
            return {
                "clip": clip.name,
                "method": method,
                "error": f"exit status {done.returncode}: {last_lines}",
            }
        return {"clip": clip.name} | json.loads(out.read_text(encoding="utf-8"))


def measurements(clips: list[BenchClip]) -> list[tuple[BenchClip, str]]:
    """Per clip one method after another, so all see about the same background load: on the
    1080p clips also decoding alone and the whole ``civility detect`` process."""
    return [
        (clip, method)
        for clip in clips
        for method in (
            *(
                ("decode", "engine", "detect")
                if clip.name.startswith(FULL_HD_NAME)
                else ("engine",)
            ),
            *(("baseline",) if clip.with_baseline else ()),
        )
    ]


def machine() -> dict:
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in VERSIONED if _version(name)},
        "load_1m_5m_15m_at_start": os.getloadavg(),
    }


def _version(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown"


def _progress_line(result: dict) -> str:
    if "error" in result:
        return f"[red]{result['method']:8} {result['clip']}: {result['error']}[/]"
    return (
        f"{result['method']:8} {result['clip']:48} {result['x_realtime']:6.2f}x RT  "
        f"{result['wall_s']:6.1f} s  cpu {result['cpu_s']:6.1f} s  "
        f"peak {result['peak_rss_mb']:5.0f} MB  "
        f"frames {result['frames_analysed']}/{result['frames_decoded']}  "
        f"load {result['load_1m_before']:.1f}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clips",
        nargs="+",
        metavar="NAME",
        help="clips whose name contains any NAME (default: all)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"the {LENGTH_LOOPS}x long 1080p 25 fps clip only: decoding, engine, civility detect "
        "and baseline",
    )
    parser.add_argument(
        "--fps",
        type=float,
        default=DEFAULT_ANALYSIS_FPS,
        help=f"engine analysis rate (default {DEFAULT_ANALYSIS_FPS:g})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with console.status("preparing clips (the 1080p copies are made once, then cached)"):
        clips = (
            [replace(full_hd_clip(LENGTH_LOOPS), with_baseline=True)]
            if args.quick
            else select(all_clips(), args.clips)
        )
    about = machine() | {"analysis_fps": args.fps}
    results = []
    for clip, method in measurements(clips):
        with console.status(f"{method} on {clip.name}"):
            results.append(measure(clip, method, args.fps))
        console.print(_progress_line(results[-1]), highlight=False)
    about["load_1m_5m_15m_at_end"] = os.getloadavg()
    print_report(console, results, about)
    if args.json:
        write_json(args.json, results, about)
        console.print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
