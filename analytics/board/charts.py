"""The board's charts, drawn as SVG for the width they are shown at.

A chart is laid out on a ``WIDTH``-unit-wide canvas, the width of a phone's column: the page
shows it at least that wide (CSS), so one unit is at least one CSS pixel and no text is drawn
smaller than ``FONT`` px on a phone; on a wider screen it scales up. The browser sets the text
in the reader's fonts, so Chinese needs no font files here, and drawing costs microseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 340  # the narrowest column a chart is shown in (a 360-390 px phone less its margins)
FONT = 13
SMALL_FONT = 12
PLOT_HEIGHT = 150
LEFT, RIGHT, TOP = 36, 24, 12
COLOURS = ("#c8102e", "#1f5fa8", "#e0a100", "#2e8b57", "#7a4fa3", "#666666")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per x label; None: no value that week
    is_main: bool = False  # drawn heavier (the city-wide line)


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[Series]) -> str:
    """Lines over weeks, y from zero, a legend under the plot (one entry per line, so that a
    long label wraps nothing)."""
    values = [value for line in series for value in line.values if value is not None]
    top = nice_ceiling(max(values, default=1.0))
    plot_bottom = TOP + PLOT_HEIGHT
    legend_top = plot_bottom + 30
    height = legend_top + 20 * len(series) + 4
    step = (WIDTH - LEFT - RIGHT) / max(len(x_labels) - 1, 1)

    def x(index: int) -> float:
        return LEFT + step * index

    def y(value: float) -> float:
        return plot_bottom - PLOT_HEIGHT * value / top

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, top / 2, top):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="{SMALL_FONT}" fill="#666">{tick:g}</text>'
        )
    every = max(1, -(-len(x_labels) // 6))  # at most six week labels
    for index, label in enumerate(x_labels):
        if index % every == 0 or index == len(x_labels) - 1:
            anchor = "end" if index == len(x_labels) - 1 and index else "middle"
            shift = 8 if anchor == "end" else 0
            parts.append(
                f'<text x="{x(index) + shift:.1f}" y="{plot_bottom + 18}" text-anchor="{anchor}" '
                f'font-size="{SMALL_FONT}" fill="#666">{escape(label)}</text>'
            )
    for number, line in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        width = 3 if line.is_main else 1.6
        points = [(x(i), y(v)) for i, v in enumerate(line.values) if v is not None]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"/>'
        )
        parts += [
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{width + 0.8}" fill="{colour}"/>'
            for px, py in points
        ]
        legend_y = legend_top + 20 * number
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + 18}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="{width}"/>'
            f'<text x="{LEFT + 24}" y="{legend_y}" font-size="{FONT}" fill="#222">'
            f"{escape(line.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 4, 5 x 10^k at or above ``value``: round gridline values."""
    if value <= 0:
        return 1.0
    scale = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    while scale > value:
        scale /= 10
    for factor in (1, 2, 2.5, 4, 5, 10):
        if factor * scale >= value:
            return factor * scale
    return 10 * scale
