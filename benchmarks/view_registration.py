"""The view stage alone over evaluation sets: view changes found, shift followed, and its cost.

    python -m benchmarks.view_registration [SET ...] [--fps F] [--json FILE]

Each distinct (video, reference image) of the sets (default: ``eval/dev/tune``,
``eval/dev/check`` and the shared starter set ``../shared/eval/dev``; derived clips must be made
first, ``civility derive-clips eval/dev/derived``) is registered as ``detectors.pipeline`` does,
at the analysis rate, and nothing else is run. On the dev set every change found is a false one:
its clips keep their view. Cost is the CPU time (all threads) spent in ``ViewRegistrar.update``:
per registration, and per second of video.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.timing import cpu_s as process_cpu_s
from detectors.config.camera import load_camera
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.evaluation.eval_set import read_index
from detectors.frames.source import iter_frames, probe_clip
from detectors.frames.view import ViewRegistrar, load_reference

CHECKOUT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [
    CHECKOUT / "eval" / "dev" / "tune",
    CHECKOUT / "eval" / "dev" / "check",
    CHECKOUT.parent / "shared" / "eval" / "dev",
]


@dataclass
class ViewRun:
    clip: str
    size: str
    video_s: float
    registrations: int
    changes: list[tuple[float, float | None]]
    max_shift_px: float
    cpu_s: float

    @property
    def ms_per_registration(self) -> float:
        return 1000 * self.cpu_s / max(self.registrations, 1)

    @property
    def cpu_s_per_video_s(self) -> float:
        return self.cpu_s / self.video_s


def register(video: Path, camera_path: Path, analysis_fps: float) -> ViewRun:
    info = probe_clip(video)
    camera = load_camera(camera_path)
    registrar = ViewRegistrar((info.width, info.height), load_reference(camera))
    cpu_s = 0.0
    for frame in iter_frames(info, min(analysis_fps, info.fps)):
        started = process_cpu_s()
        registrar.update(frame.t_s, frame.image)
        cpu_s += process_cpu_s() - started
    report = registrar.report
    return ViewRun(
        clip=video.name,
        size=f"{info.width}x{info.height}",
        video_s=info.duration_s,
        registrations=report.registrations,
        changes=[(round(c.start_s, 2), c.end_s and round(c.end_s, 2)) for c in report.changes],
        max_shift_px=round(report.max_shift_px, 1),
        cpu_s=cpu_s,
    )


def distinct_clips(sets: list[Path]) -> list[tuple[Path, Path]]:
    """(video, camera) of every clip entry, once per video and reference image."""
    clips: dict[tuple[Path, str | None], tuple[Path, Path]] = {}
    for set_dir in sets:
        index_path, index = read_index(set_dir)
        for entry in index.clips:
            video = (index_path.parent / entry.video).resolve()
            camera = (index_path.parent / entry.camera).resolve()
            clips.setdefault((video, load_camera(camera).reference_image), (video, camera))
    return sorted(clips.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="evaluation set folders")
    parser.add_argument("--fps", type=float, default=DEFAULT_ANALYSIS_FPS)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the runs here")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    runs = [
        register(video, camera, args.fps)
        for video, camera in distinct_clips(args.sets or DEFAULT_SETS)
    ]
    table = Table(
        title=f"View stage at {args.fps:g} fps analysed (1-min load {load_before:.1f} -> "
        f"{os.getloadavg()[0]:.1f})"
    )
    for column in (
        "clip",
        "size",
        "changes",
        "largest shift followed, px",
        "ms per registration",
        "CPU s per video s",
    ):
        table.add_column(column, justify="left" if column in ("clip", "changes") else "right")
    for run in runs:
        table.add_row(
            run.clip,
            run.size,
            ", ".join(f"{a}-{b or 'end'} s" for a, b in run.changes) or "none",
            f"{run.max_shift_px:g}",
            f"{run.ms_per_registration:.1f}",
            f"{run.cpu_s_per_video_s:.3f}",
        )
    Console(width=150).print(table)
    if args.json:
        document = [{**asdict(run), "ms_per_registration": run.ms_per_registration} for run in runs]
        args.json.write_text(json.dumps(document, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
