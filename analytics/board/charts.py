"""The board's PNG charts, drawn with matplotlib in Noto Sans CJK so Chinese labels render.

No pyplot: each figure has its own Agg canvas, so charting keeps no global state and needs no
display.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analytics.board.accidents import SEGMENT_NAMES, AccidentSection
from analytics.board.data import ENTITY_KIND_NAMES, RULE_NAMES, BoardData

BLACK_COLOUR = "#3a3a3a"
RED_COLOUR = "#c8102e"
LINE_COLOURS = ["#c8102e", "#1f5fa8", "#e0a100", "#2e8b57", "#7a4fa3", "#666666"]
CITY = "全市"
CHARTED_KINDS = ("intersection", "platform")


@functools.cache
def cjk_font_family() -> str:
    """Register Noto Sans CJK, the collection the evidence annotator writes with
    (``detectors.evidence.annotate``), and name its Simplified Chinese face."""
    from noto_cjk_sans_otc import FONT_PATH

    font_manager.fontManager.addfont(str(FONT_PATH))
    return "Noto Sans CJK SC"


def draw_charts(data: BoardData, folder: Path) -> dict[str, str]:
    """Write every chart of the board into ``folder``; returns {chart name: relative path}.

    Drawing is single-threaded and the slowest part of publishing, so the charts are drawn by
    one process per core, forked once the font is registered so that they inherit it."""
    folder.mkdir(parents=True, exist_ok=True)
    figures = {**ranking_figures(data), **trend_figures(data)}
    if data.accidents:
        figures["accidents"] = functools.partial(accident_figure, data.accidents)
    cjk_font_family()
    workers = min(len(figures), os.cpu_count() or 1)
    # A daemonic process (a Celery prefork worker, say) may not start children: draw in-process.
    if workers > 1 and not multiprocessing.current_process().daemon:
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=fork) as pool:
            list(pool.map(draw_chart, figures.values(), [folder / f"{n}.png" for n in figures]))
    else:
        for name, draw in figures.items():
            draw_chart(draw, folder / f"{name}.png")
    return {name: f"{folder.name}/{name}.png" for name in figures}


def draw_chart(draw: Callable[[], Figure], path: Path) -> None:
    with rc_context({"font.family": cjk_font_family(), "axes.unicode_minus": False}):
        save(draw(), path)


def ranking_figures(data: BoardData) -> dict[str, Any]:
    """Bar charts of the intersection and platform lists. Districts have their tables only:
    every chart costs about 0.2 s to draw, and the board has a time budget."""
    figures = {}
    for rule, rule_name in RULE_NAMES.items():
        for kind, kind_name in ENTITY_KIND_NAMES.items():
            if kind not in CHARTED_KINDS:
                continue
            entries = [
                row
                for row in data.rankings
                if (row["rule"], row["entity_kind"]) == (rule, kind)
                and row["list_name"] in ("black", "red_best")
            ]
            title = f"{rule_name} · {kind_name} · 每千人次违法数（估计值）"
            if entries:
                figures[f"rank_{rule}_{kind}"] = functools.partial(ranking_figure, entries, title)
    return figures


def trend_figures(data: BoardData) -> dict[str, Any]:
    figures = {}
    for rule, rule_name in RULE_NAMES.items():
        rows = [row for row in data.trend if row["rule"] == rule]
        # The legend gives each line's exposure this week, beside the rate it divides.
        exposures = {r["entity_id"]: r["count_exposures"] for r in rows if r["week"] == data.week}
        series: dict[str, dict[str, float]] = {}
        for row in rows:
            label = f"{row['entity_label']}（本周 {exposures.get(row['entity_id'], 0):,} 人次）"
            series.setdefault(label, {})[row["week"]] = row["rate_per_1000"]
        title = f"{rule_name} · 每千人次违法数 · 近{data.config.trend_weeks}周"
        if series:
            figures[f"trend_{rule}"] = functools.partial(line_figure, series, title)
    return figures


def accident_figure(section: AccidentSection) -> Figure:
    series = {
        SEGMENT_NAMES[segment]: {
            row.week: row.count_accidents
            for row in section.trends.history
            if row.segment == segment
        }
        for segment in ("all", "courier")
    }
    weeks = len({row.week for row in section.trends.history})
    return line_figure(series, f"每周交通事故起数 · 近{weeks}周")


def ranking_figure(entries: list[dict[str, Any]], title: str) -> Figure:
    """Black-list bars on top (worst first), then the best. Each bar's label gives its rate and
    the exposure behind it; one text per bar, as laying out CJK text is what drawing costs."""
    black = sorted((e for e in entries if e["list_name"] == "black"), key=lambda e: e["rank"])
    best = sorted((e for e in entries if e["list_name"] == "red_best"), key=lambda e: -e["rank"])
    ordered = black + best
    figure, axes = new_figure(height_in=0.9 + 0.3 * len(ordered), left=0.42)
    positions = list(range(len(ordered)))[::-1]
    values = [entry["estimated_rate_per_1000"] for entry in ordered]
    colours = [BLACK_COLOUR if e["list_name"] == "black" else RED_COLOUR for e in ordered]
    axes.barh(positions, values, color=colours, height=0.7)
    labels = [
        f"{e['entity_label']}  {e['estimated_rate_per_1000']:.1f}‰（{e['count_exposures']:,} 人次）"
        for e in ordered
    ]
    axes.set_yticks(positions, labels, fontsize=9)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    finish(axes, title, legend=False)
    return figure


def line_figure(series: dict[str, dict[str, float]], title: str) -> Figure:
    """One line per label over weeks ('YYYY-Www'); the city-wide line, if any, drawn heavier."""
    figure, axes = new_figure(height_in=3.2, left=0.07)
    weeks = sorted({week for points in series.values() for week in points})
    for colour, (label, points) in zip(LINE_COLOURS * 4, series.items(), strict=False):
        axes.plot(
            [weeks.index(week) for week in points],
            list(points.values()),
            marker="o",
            color=colour,
            linewidth=2.5 if label.startswith(CITY) else 1.2,
            label=label,
        )
    axes.set_xticks(range(len(weeks)), [week[5:] for week in weeks])
    axes.set_ylim(bottom=0)
    finish(axes, title, legend=True)
    return figure


def new_figure(height_in: float, left: float) -> tuple[Figure, Axes]:
    # Fixed margins rather than a layout engine: laying out CJK text is the slow part of
    # drawing, and a layout engine draws every figure twice.
    figure = Figure(figsize=(8, height_in), dpi=100, facecolor="white")
    FigureCanvasAgg(figure)
    margin = 0.45 / height_in
    figure.subplots_adjust(left=left, right=0.97, top=1 - margin, bottom=margin)
    return figure, figure.add_subplot()


def finish(axes: Axes, title: str, legend: bool) -> None:
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if legend:
        axes.legend(fontsize=8, frameon=False)


def save(figure: Figure, path: Path) -> None:
    # No software stamp: the same figures make byte-identical files.
    figure.savefig(path, format="png", metadata={"Software": None})
