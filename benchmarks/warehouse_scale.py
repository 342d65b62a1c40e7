"""The warehouse at scale: 500 cameras x 52 weeks of synthetic results (~20 million events),
then the weekly board over it. Prints build time, size on disk, board publish time (the data
part and the rendering part apart) and peak memory. Goal: publish < 2 s on 2 cores.

    .venv/bin/python -m benchmarks.warehouse_scale                 # build (~2-4 min) + publish
    .venv/bin/python -m benchmarks.warehouse_scale --reuse         # publish over the last build
    .venv/bin/python -m benchmarks.warehouse_scale --cameras 50 --weeks 10   # a quick look

Each stage runs in a fresh subprocess so that its peak RSS is its own. The board is published
``--repeats`` times (each a new revision); every run is a new process, so its time includes
opening the warehouse and, reported apart, importing the libraries. CPU seconds (all threads) are
given beside wall seconds because the 2 cores are shared with other work.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

from benchmarks.timing import Clock, peak_rss_mb

DEFAULT_DIR = (
    Path(os.environ.get("CIVILITY_BENCH_CACHE", "/tmp/civility-bench")) / "warehouse-scale"
)
FIRST_MONDAY = date(2025, 11, 24)  # 52 weeks end on Sunday 2026-11-22: the board week 2026-W47
CAMPAIGN_START = date(2026, 6, 1)
CLIP_HOURS = (8, 12, 18)  # three hour-long clips per camera and day: ~21 M events in a year
GOAL_S = 2.0


def size_on_disk_mb(folder: Path) -> float:
    blocks = sum(path.stat().st_blocks for path in folder.rglob("*") if path.is_file())
    return round(blocks * 512 / 2**20, 1)


def build(folder: Path, cameras: int, weeks: int) -> dict:
    from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse

    shutil.rmtree(folder, ignore_errors=True)
    spec = SyntheticSpec(
        count_cameras=cameras,
        count_weeks=weeks,
        first_monday=FIRST_MONDAY,
        clip_hours=CLIP_HOURS,
        campaign_start=CAMPAIGN_START,
    )
    clock = Clock()
    summary = write_synthetic_warehouse(folder, spec)
    return {
        "build": clock.stop(3),
        "count_events": summary.count_events,
        "count_clips": summary.count_clips,
        "count_exposure_rows": summary.count_exposure_rows,
        "count_partitions": len(summary.weeks),
        "size_on_disk_mb": size_on_disk_mb(folder),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def publish(folder: Path, week: str, with_campaign: bool) -> dict:
    """One publication; ``with_campaign`` adds the campaign before/after section, which reads
    every week of the campaign window and the same dates a year earlier."""
    clock = Clock()
    from analytics.board.config import BoardConfig
    from analytics.board.publish import board_data, write_board

    imports = clock.stop(3)
    config = BoardConfig(campaign_start=CAMPAIGN_START.isoformat() if with_campaign else None)
    clock = Clock()
    data = board_data(folder, week, config)
    data_part = clock.stop(3)
    clock = Clock()
    revision = write_board(folder, data)
    render_part = clock.stop(3)
    return {
        "imports": imports,
        "data": data_part,
        "render": render_part,
        "count_entries": len(data.rankings),
        "revision": str(revision),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_stage(arguments: list[str]) -> dict:
    command = [sys.executable, "-m", "benchmarks.warehouse_scale", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def board_week(weeks: int) -> str:
    from analytics.board.weeks import week_of

    return week_of(date.fromordinal(FIRST_MONDAY.toordinal() + 7 * weeks - 1))


def report(built: dict | None, publishes: list[dict], campaign: dict) -> None:
    if built:
        print(
            f"build: {built['count_events']:,} events, {built['count_clips']:,} clips, "
            f"{built['count_exposure_rows']:,} exposure rows in {built['count_partitions']} "
            f"weekly partitions; {built['build']['wall_s']:.1f} s wall "
            f"({built['build']['cpu_s']:.1f} s CPU), {built['size_on_disk_mb']:,.0f} MB on disk, "
            f"peak RSS {built['peak_rss_mb']:,.0f} MB"
        )
    for part in ("imports", "data", "render"):
        walls = [run[part]["wall_s"] for run in publishes]
        cpus = [run[part]["cpu_s"] for run in publishes]
        print(
            f"publish {part:>7}: median {statistics.median(walls):.2f} s wall "
            f"(runs {', '.join(f'{w:.2f}' for w in walls)}), "
            f"median {statistics.median(cpus):.2f} s CPU"
        )
    totals = [run["data"]["wall_s"] + run["render"]["wall_s"] for run in publishes]
    verdict = "meets" if statistics.median(totals) < GOAL_S else "misses"
    print(
        f"publish data + render: median {statistics.median(totals):.2f} s wall, {verdict} the "
        f"{GOAL_S:.0f} s goal; peak RSS {max(run['peak_rss_mb'] for run in publishes):,.0f} MB; "
        f"{publishes[-1]['count_entries']} entries"
    )
    print(
        f"publish with the campaign section (since {CAMPAIGN_START}): data "
        f"{campaign['data']['wall_s']:.2f} s wall ({campaign['data']['cpu_s']:.2f} s CPU), render "
        f"{campaign['render']['wall_s']:.2f} s; peak RSS {campaign['peak_rss_mb']:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--cameras", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="Publish over the last build.")
    parser.add_argument("--json", type=Path, help="Also write every measurement here.")
    parser.add_argument("--stage", choices=("build", "publish"), help=argparse.SUPPRESS)
    parser.add_argument("--week", help=argparse.SUPPRESS)
    parser.add_argument("--campaign", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "build":
        print(json.dumps(build(args.dir, args.cameras, args.weeks)))
        return
    if args.stage == "publish":
        print(json.dumps(publish(args.dir, args.week, args.campaign)))
        return
    sizes = ["--dir", str(args.dir), "--cameras", str(args.cameras), "--weeks", str(args.weeks)]
    built = None if args.reuse else run_stage([*sizes, "--stage", "build"])
    week = board_week(args.weeks)
    publishes = [
        run_stage([*sizes, "--stage", "publish", "--week", week]) for _ in range(args.repeats)
    ]
    campaign = run_stage([*sizes, "--stage", "publish", "--week", week, "--campaign"])
    report(built, publishes, campaign)
    if args.json:
        measurements = {"build": built, "publishes": publishes, "campaign": campaign, "week": week}
        args.json.write_text(json.dumps(measurements, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
