"""Throughput results as a side-by-side table, the goals they are held to, and a JSON file.

A result is one measurement's dict from ``benchmarks.measure`` plus its ``clip`` name, or a dict
with an ``error`` when the measurement failed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.clips import FULL_HD_NAME, LENGTH_LOOPS

# The goals of the engine; the 1080p 25 fps clip stands for a typical intersection camera.
MIN_X_REALTIME_1080P = 4.0
MIN_SPEEDUP_1080P = 3.0
MAX_PEAK_RSS_MB = 1536.0
# "Flat in clip length": a clip 4x as long may cost at most this much more peak memory.
MAX_LENGTH_GROWTH = 0.10
CORES = os.cpu_count() or 1


def by_clip(results: list[dict]) -> dict[str, dict[str, dict]]:
    """{clip: {method: result}}, clips in the order they were measured."""
    table: dict[str, dict[str, dict]] = {}
    for result in results:
        table.setdefault(result["clip"], {})[result["method"]] = result
    return table


def comparison_table(results: list[dict], caption: str) -> Table:
    table = Table(
        title="Engine vs plain ultralytics (model.track, BoT-SORT, every frame)", caption=caption
    )
    table.add_column("clip", no_wrap=True)
    for column in (
        "resolution",
        "fps",
        "engine x-RT",
        "baseline x-RT",
        "speed-up",
        "engine peak RSS",
        "baseline peak RSS",
        "engine CPU s/video s",
        "baseline CPU s/video s",
    ):
        table.add_column(column, justify="right")
    for clip, methods in by_clip(results).items():
        engine, baseline = methods.get("engine"), methods.get("baseline")
        known = next((r for r in (engine, baseline) if r and "error" not in r), {})
        table.add_row(
            clip,
            f"{known['width']}x{known['height']}" if known else "-",
            f"{known['fps']:.4g}" if known else "-",
            _x_realtime(engine),
            _x_realtime(baseline),
            _speedup(engine, baseline),
            _rss(engine),
            _rss(baseline),
            _cpu(engine),
            _cpu(baseline),
        )
    return table


def process_table(results: list[dict]) -> Table:
    """CPU seconds per video second of each way of running a clip, side by side."""
    table = Table(title="CPU s per video s: decoding alone, the engine, the whole civility detect")
    table.add_column("clip", no_wrap=True)
    methods = ("decode", "engine", "detect", "baseline")
    for column in (*methods, "detect peak RSS", "detect events"):
        table.add_column(column, justify="right")
    for clip, by_method in by_clip(results).items():
        if "detect" not in by_method:
            continue
        detect = _ok(by_method["detect"])
        table.add_row(
            clip,
            *(_cpu(by_method.get(m)) for m in methods),
            _rss(detect),
            str(detect["violations"]) if detect else "-",
        )
    return table


def goals(results: list[dict]) -> list[tuple[str, str, bool | None]]:
    """(goal, what was measured, met?) with None where the run had nothing to judge it by."""
    clips = by_clip(results)
    full_hd = clips.get(FULL_HD_NAME, {})
    engine, baseline = _ok(full_hd.get("engine")), _ok(full_hd.get("baseline"))
    longer = _ok(clips.get(f"{FULL_HD_NAME}_x{LENGTH_LOOPS}", {}).get("engine"))
    peaks = [r["peak_rss_mb"] for r in results if r["method"] == "engine" and _ok(r)]
    rows: list[tuple[str, str, bool | None]] = [
        (
            f">= {MIN_X_REALTIME_1080P:g}x real time on 1080p 25 fps",
            _realtime_and_bound(engine) if engine else "not measured",
            engine["x_realtime"] >= MIN_X_REALTIME_1080P if engine else None,
        ),
        (
            f">= {MIN_SPEEDUP_1080P:g}x faster than the baseline on 1080p 25 fps",
            _speedup_and_cpu_ratio(engine, baseline) if engine and baseline else "not measured",
            _ratio(engine, baseline) >= MIN_SPEEDUP_1080P if engine and baseline else None,
        ),
        (
            f"engine peak RSS < {MAX_PEAK_RSS_MB:g} MB on every clip",
            f"max {max(peaks):.0f} MB" if peaks else "not measured",
            max(peaks) < MAX_PEAK_RSS_MB if peaks else None,
        ),
    ]
    return [*rows, _length_goal(engine, longer)]


def _speedup_and_cpu_ratio(engine: dict, baseline: dict) -> str:
    cpu_ratio = baseline["cpu_s_per_video_s"] / engine["cpu_s_per_video_s"]
    return f"{_speedup(engine, baseline)} (by CPU time: {cpu_ratio:.1f}x)"


def _realtime_and_bound(engine: dict) -> str:
    """Wall-clock x-RT, and the most the CPU time spent allows on otherwise idle cores."""
    bound = CORES / engine["cpu_s_per_video_s"]
    return f"{engine['x_realtime']:.2f}x (CPU time allows <= {bound:.1f}x on {CORES} idle cores)"


def _length_goal(once: dict | None, longer: dict | None) -> tuple[str, str, bool | None]:
    goal = f"peak RSS flat in clip length (1x vs {LENGTH_LOOPS}x: < +{MAX_LENGTH_GROWTH:.0%})"
    if not (once and longer):
        return goal, "not measured", None
    growth = longer["peak_rss_mb"] / once["peak_rss_mb"] - 1
    measured = f"{once['peak_rss_mb']:.0f} -> {longer['peak_rss_mb']:.0f} MB ({growth:+.1%})"
    return goal, measured, growth < MAX_LENGTH_GROWTH


def goal_table(results: list[dict]) -> Table:
    table = Table(title="Goals")
    for column in ("goal", "measured", "met"):
        table.add_column(column)
    verdicts = {True: "[green]yes[/]", False: "[red]no[/]", None: "-"}
    for goal, measured, met in goals(results):
        table.add_row(goal, measured, verdicts[met])
    return table


def print_report(console: Console, results: list[dict], machine: dict) -> None:
    loads = [r[key] for r in results if _ok(r) for key in ("load_1m_before", "load_1m_after")]
    load = f"{min(loads):.1f}-{max(loads):.1f}" if loads else "?"
    caption = (
        f"{machine['date']}, {machine['cores']} cores ({machine['cpu']}), 1-min load "
        f"{load} during the runs. x-RT = video seconds per wall second, model load "
        "excluded. CPU s/video s counts all threads and depends less on others' load."
    )
    console.print(comparison_table(results, caption))
    if any(r["method"] == "detect" for r in results):
        console.print(process_table(results))
    console.print(goal_table(results))
    for failed in (r for r in results if not _ok(r)):
        console.print(f"[red]{failed['method']} on {failed['clip']} failed:[/] {failed['error']}")


def write_json(path: Path, results: list[dict], machine: dict) -> None:
    document = {
        "machine": machine,
        "results": results,
        "goals": [{"goal": g, "measured": m, "met": ok} for g, m, ok in goals(results)],
    }
    path.write_text(json.dumps(document, indent=2, default=str), encoding="utf-8")


def _ok(result: dict | None) -> dict | None:
    return result if result and "error" not in result else None


def _ratio(engine: dict, baseline: dict) -> float:
    return engine["x_realtime"] / baseline["x_realtime"]


def _x_realtime(result: dict | None) -> str:
    if result is None:
        return "-"
    return f"{result['x_realtime']:.2f}x" if _ok(result) else "[red]failed[/]"


def _speedup(engine: dict | None, baseline: dict | None) -> str:
    return f"{_ratio(engine, baseline):.1f}x" if _ok(engine) and _ok(baseline) else "-"


def _cpu(result: dict | None) -> str:
    return f"{result['cpu_s_per_video_s']:.2f}" if _ok(result) else "-"


def _rss(result: dict | None) -> str:
    return f"{result['peak_rss_mb']:.0f} MB" if _ok(result) else "-"
