"""How long ``civility cases export`` takes for a week's confirmed cases (goal: 1,000 cases in
under 60 s), and that ``civility cases verify`` then finds one changed byte.

Two warehouses:

- the demo's (``civility demo`` writes it; ``--warehouse``): the week 2026-W47 holds ~1,150
  synthetic confirmed cases, which have no evidence files (so this measures the sheets, the
  index and the signing);
- one built here from the demo's real sample clip results (``--evidence-cases N``): the clip
  loaded N/4 times under new clip ids, so N cases each carry the real evidence (four pictures,
  an H.264 clip, event.json: ~1.1 MB), confirmed through the real decision store.

Prints wall and CPU seconds (the cores are shared: wall time swings with other work), per 1,000
cases, the export's size, and the verification.

    .venv/bin/python -m benchmarks.case_export [--warehouse out/demo/warehouse]
        [--results out/demo/results/intersection] [--evidence-cases 1000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.timing import CHILDREN, SELF, Clock
from cases.export import export_cases
from cases.signing import make_key
from cases.verify import verify

WEEK = "2026-W47"


def folder_size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def measure(root: Path, out: Path, key: Path, label: str) -> None:
    clock = Clock(SELF, CHILDREN)  # the export's worker processes too
    summary = export_cases(root, WEEK, out, key)
    spent = clock.stop()
    per_1000 = 1000 / max(summary.count_cases, 1)
    print(
        f"{label}: {summary.count_cases} cases in {spent['wall_s']:.1f} s wall, "
        f"{spent['cpu_s']:.1f} s CPU ({spent['wall_s'] * per_1000:.1f} s wall, "
        f"{spent['cpu_s'] * per_1000:.1f} s CPU per 1,000); evidence {summary.evidence_states}; "
        f"{folder_size_mb(out):.0f} MB"
    )
    clock = Clock(SELF, CHILDREN)  # the export's worker processes too
    result = verify(out)
    spent = clock.stop()
    print(f"  verify: {result.count_files} files, ok={result.ok}, {spent['wall_s']:.1f} s wall")
    pictures = sorted((out / "cases").rglob("*.jpg"))
    victim = pictures[0] if pictures else out / "index.csv"
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 1
    victim.write_bytes(bytes(data))
    changed = verify(out)
    print(f"  one byte changed in {victim.relative_to(out)}: ok={changed.ok}; {changed.problems}")


def build_evidence_warehouse(root: Path, results: Path, count_cases: int) -> None:
    """The sample clip's results loaded as many times as it takes, each under a new clip id,
    then every event confirmed (by two reviewers where the rule asks for it)."""
    from analytics.decisions.decisions import decide
    from analytics.decisions.models import DecisionChange
    from analytics.decisions.policy import load_policy
    from analytics.decisions.queue_sync import sync_from_warehouse
    from analytics.decisions.store import store_session
    from analytics.decisions.users import add_user
    from analytics.warehouse import connect, load_clip

    events = pq.read_table(results / "events.parquet")
    per_clip = events.num_rows
    original = events.column("clip_id")[0].as_py()
    staging = root.parent / "copies"
    for copy in range(-(-count_cases // per_clip)):
        clip_id = f"{copy + 1:016x}"
        folder = staging / clip_id
        shutil.copytree(results, folder)
        for name in ("clip", "events", "track_summaries", "zone_passages", "signal_timeline"):
            table = pq.read_table(folder / f"{name}.parquet")
            for column in ("clip_id", "event_id", "evidence_dir"):
                if column in table.column_names:
                    index = table.column_names.index(column)
                    renamed = pc.replace_substring(table.column(column), original, clip_id)
                    table = table.set_column(index, column, renamed)
            pq.write_table(table, folder / f"{name}.parquet")
        for evidence in (folder / "evidence").iterdir():
            evidence.rename(evidence.with_name(evidence.name.replace(original, clip_id)))
        load_clip(root, folder)
        shutil.rmtree(folder)
    sync_from_warehouse(root)
    rows = connect(root).sql("select event_id, rule, detected_platform from fct_violations")
    policy, now = load_policy(), datetime.now(UTC)
    with store_session(root) as conn:
        reviewers = [add_user(conn, name, "reviewer", "benchmark pass") for name in ("li", "zhou")]
        for event_id, rule, platform in rows.fetchall()[:count_cases]:
            change = DecisionChange(
                decision="confirmed",
                disposition="fine",
                fine_yuan=20,
                courier_platform=platform or "unknown",
                rider_code="MT-0042" if platform else None,
            )
            # The evidence was loaded a moment ago: as recorded.
            for version, reviewer in enumerate(reviewers[: 2 if rule == "wrong_way" else 1]):
                decide(conn, event_id, change, version, reviewer, now, policy, evidence="intact")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path("out/demo/warehouse"))
    parser.add_argument("--results", type=Path, default=Path("out/demo/results/intersection"))
    parser.add_argument("--evidence-cases", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="case-bench-") as folder:
        work = Path(folder)
        key, _ = make_key(work / "office.pem")
        if args.warehouse.is_dir():
            measure(args.warehouse, work / "demo-export", key, "demo warehouse, synthetic cases")
            shutil.rmtree(work / "demo-export")
        else:
            print(f"{args.warehouse}: no demo warehouse (run `civility demo`); skipped")
        if args.evidence_cases and args.results.is_dir():
            root = work / "warehouse"
            clock = Clock(SELF, CHILDREN)  # the export's worker processes too
            build_evidence_warehouse(root, args.results, args.evidence_cases)
            print(
                f"(built {args.evidence_cases} cases with real evidence in "
                f"{clock.stop()['wall_s']:.0f} s)"
            )
            measure(root, work / "evidence-export", key, "cases with real evidence")


if __name__ == "__main__":
    main()
