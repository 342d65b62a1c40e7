"""A board's files: the public page and the analysts' page (Jinja2), Markdown, JSON, CSV and
Parquet, the long image for WeChat, and the manifest.

Only aggregates leave the warehouse here: rates, counts and exposures per intersection, district
and platform. No event, evidence path, face, plate, name or rider code is read or written.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from analytics.board.accidents import SEGMENT_NAMES
from analytics.board.charts import Series, line_chart
from analytics.board.data import ENTITY_KIND_NAMES, LIST_NAMES, BoardData
from analytics.board.history import ENTRIES_SCHEMA
from analytics.board.revisions import MANIFEST
from analytics.board.weeks import chinese_date_range, week_monday
from detectors.config.names import RULES as RULE_NAMES  # one vocabulary with evidence and desk

PAGES = {
    "index.html": "board.html.j2",
    "analysis.html": "analysis.html.j2",
    "board.md": "board.md.j2",
}
WECHAT_IMAGE = "wechat.png"
CORRELATIONS_SHOWN = 5
UNITS = {"pedestrian_red_light": "人次", "wrong_way": "车次"}
EXPOSURE_WORDS = {"pedestrian_red_light": "过街", "wrong_way": "通行"}
# Order of the lists on the public page: the red lists first, then the black, then a ranking.
PUBLIC_LISTS = (
    ("red_best", "red", "守法最好的{kind}：违法率最低，且低于全市平均。"),
    ("red_improved", "red", "比此前{weeks}周进步最大的{kind}：降幅超过统计误差，且低于全市平均。"),
    ("black", "black", "违法率最高的{kind}：高于全市平均，请重点整改。"),
    ("ranked", "ranked", "所有{kind}按违法率由低到高排名。"),
)


def write_board_files(data: BoardData, revision: int, published_at: datetime, folder: Path) -> None:
    stamp = {
        "week": data.week,
        "revision": revision,
        "published_at": published_at.isoformat(),
        "content_hash": data.content_hash,
    }
    logo = copy_logo(data, folder)
    context = page_context(data, revision, published_at, logo)
    environment = page_environment()
    for file_name, template in PAGES.items():
        text = environment.get_template(template).render(context)
        (folder / file_name).write_text(text, encoding="utf-8")
    from analytics.board.wechat import draw_wechat_image

    draw_wechat_image(context, folder / WECHAT_IMAGE, folder / logo if logo else None)
    write_json(folder / "board.json", {**stamp, **data.as_json()})
    entries = entries_table(data, revision, published_at)
    pq.write_table(entries, folder / "entries.parquet")
    write_csv(entries, folder / "entries.csv")
    manifest = {**stamp, "config": data.config.model_dump(mode="json")}
    write_json(folder / MANIFEST, {**manifest, "files": sorted(files_in(folder))})


def copy_logo(data: BoardData, folder: Path) -> str | None:
    """The config's logo, copied into the revision (a page must not point outside it)."""
    if data.config.logo is None:
        return None
    name = f"logo{Path(data.config.logo).suffix.lower()}"
    shutil.copyfile(data.config.logo, folder / name)
    return name


def page_context(
    data: BoardData, revision: int, published_at: datetime, logo: str | None
) -> dict[str, Any]:
    local = published_at.astimezone(ZoneInfo(data.config.timezone))
    return {
        "data": data,
        "config": data.config,
        "week": data.week,
        "dates": chinese_date_range(data.week_start_date),
        "revision": revision,
        "published_local": f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}",
        "published_at": published_at.isoformat(),
        "content_hash": data.content_hash,
        "logo": logo,
        "synthetic": data.coverage.count_synthetic_clips,
        "pending": data.coverage.count_clips_pending,
        "coverage": data.coverage,
        "sections": [rule_section(data, rule) for rule in RULE_NAMES],
        "review": review_summary(data),
        "enforcement": data.enforcement,
        "campaign_line": campaign_line(data),
        "accidents": accident_summary(data),
        "rule_names": RULE_NAMES,
        "kind_names": ENTITY_KIND_NAMES,
        "list_names": LIST_NAMES,
        "segment_names": SEGMENT_NAMES,
        "correlations_shown": CORRELATIONS_SHOWN,
        "analyst_charts": analyst_charts(data),
    }


def rule_section(data: BoardData, rule: str) -> dict[str, Any]:
    previous_week = week_of_previous(data)
    lists = []
    for list_name, css, explain in PUBLIC_LISTS:
        for kind, kind_name in ENTITY_KIND_NAMES.items():
            entries = [
                row
                for row in data.rankings
                if (row["rule"], row["entity_kind"], row["list_name"]) == (rule, kind, list_name)
            ]
            if not entries:
                continue
            title = f"{LIST_NAMES[list_name].split('（')[0]} · {kind_name}"
            if list_name == "red_improved":
                title = f"红榜 · 进步最大的{kind_name}"
            lists.append(
                {
                    "css": css,
                    "kind": kind,
                    "kind_name": kind_name,
                    "title": title,
                    "explain": explain.format(kind=kind_name, weeks=data.config.baseline_weeks),
                    "entries": [public_entry(row, rule) for row in entries],
                }
            )
    city = data.city(rule)
    return {
        "rule": rule,
        "name": RULE_NAMES[rule],
        "unit": UNITS[rule],
        "city": city and {**city, "rate": city["rate_per_1000"]},
        "city_last": (last := data.city(rule, previous_week))
        and {**last, "rate": last["rate_per_1000"]},
        "lists": lists,
        "chart": trend_chart(data, rule, with_platforms=False),
    }


def public_entry(row: dict[str, Any], rule: str) -> dict[str, Any]:
    """One line of a public list: name, a detail line with the counts behind the rate, and the
    move against last week's list."""
    details = []
    if row["entity_kind"] == "intersection" and row["district"]:
        details.append(row["district"])
    if row["entity_kind"] == "district":
        details.append(f"依据 {row['count_intersections']} 个路口")
    details.append(
        f"违法 {row['count_violations']:,} 起 / {EXPOSURE_WORDS[rule]} "
        f"{row['count_exposures']:,} {UNITS[rule]}"
    )
    previous = row.get("previous_rank")
    if previous is None:
        move, css = "新上榜", "new"
    elif previous == row["rank"]:
        move, css = "持平", ""
    elif previous > row["rank"]:
        move, css = f"↑{previous - row['rank']}", "up"
    else:
        move, css = f"↓{row['rank'] - previous}", "down"
    return {
        "rank": row["rank"],
        "label": row["entity_label"],
        "detail": " · ".join(details),
        "rate": row["rate_per_1000"],
        "move": move,
        "move_class": css,
    }


def review_summary(data: BoardData) -> dict[str, Any]:
    """The week's violations by review status, both rules together."""
    counts = {"confirmed": 0, "pending": 0, "rejected": 0}
    for rule in RULE_NAMES:
        city = data.city(rule) or {}
        for status in counts:
            counts[status] += city.get(f"count_{status}_violations") or 0
    total = sum(counts.values())
    decided = counts["confirmed"] + counts["rejected"]
    return {
        "count_total": total,
        "count_decided": decided,
        "count_confirmed": counts["confirmed"],
        "count_rejected": counts["rejected"],
        "count_pending": counts["pending"],
        "share_decided": decided / total if total else 0.0,
    }


def campaign_line(data: BoardData) -> str | None:
    """The campaign's headline figure: couriers' wrong-way rate after against before."""
    row = next(
        (r for r in data.campaign if (r["rule"], r["segment"]) == ("wrong_way", "courier")), None
    )
    if row is None or row["change_rate_pct"] is None:
        return None
    start = row["campaign_start_date"]
    change = row["change_rate_pct"]
    direction = "下降" if change < 0 else "上升"
    return (
        f"自{start.year}年{start.month}月{start.day}日开展整治以来的 {row['window_days']} 天，"
        f"外卖/快递骑手逆行率为每千车次 {row['rate_per_1000_after']:.1f} 起，"
        f"较整治前同样天数（{row['rate_per_1000_before']:.1f} 起）{direction} {abs(change):.1f}%。"
    )


# How the accident section names its period: this one, the one before, an axis tick.
PERIOD_WORDS = {
    "week": {"this": "本周", "previous": "上周", "chart": "每周交通事故起数"},
    "month": {"this": "本月", "previous": "上月", "chart": "每月交通事故起数"},
}


def accident_summary(data: BoardData) -> dict[str, Any] | None:
    if data.accidents is None:
        return None
    trends = data.accidents.trends
    words = PERIOD_WORDS[trends.period]
    rows = []
    for row in trends.this_period:
        if row.segment in ("all", "courier"):
            change = None
            if row.change_prev_pct is not None:
                more_or_less = "增加" if row.change_prev_pct > 0 else "减少"
                change = f"{more_or_less} {abs(row.change_prev_pct):.1f}%"
            rows.append(
                {
                    "name": SEGMENT_NAMES[row.segment],
                    "count": row.count_accidents,
                    "change": change,
                    "is_partial": row.is_partial,
                }
            )
    return {
        "is_synthetic": trends.is_synthetic,
        "period_name": period_name(trends.period, trends.this_period),
        "words": words,
        "rows": rows,
        "chart": accident_chart(data),
    }


def period_name(period: str, rows: list[Any]) -> str:
    """本周, or the month in words (2026年10月): a month's figures are not this week's."""
    if period == "week" or not rows:
        return PERIOD_WORDS["week"]["this"]
    start = rows[0].period_start_date
    return f"{start.year}年{start.month}月"


def week_of_previous(data: BoardData) -> str:
    from analytics.board.weeks import weeks_up_to

    return weeks_up_to(data.week, 2)[0]


def trend_chart(data: BoardData, rule: str, with_platforms: bool) -> str | None:
    rows = [row for row in data.trend if row["rule"] == rule]
    weeks = sorted({row["week"] for row in rows})
    if not weeks:
        return None
    kinds = ("city", "platform") if with_platforms else ("city",)
    series: dict[str, dict[str, float]] = {}
    for row in rows:
        if row["entity_kind"] in kinds:
            series.setdefault(row["entity_label"], {})[row["week"]] = row["rate_per_1000"]
    lines = [
        Series(label, [points.get(week) for week in weeks], is_main=label == "全市")
        for label, points in series.items()
    ]
    title = f"{RULE_NAMES[rule]} · 每千{UNITS[rule]}违法起数"
    return line_chart(title, [month_day(week) for week in weeks], lines)


def accident_chart(data: BoardData) -> str | None:
    if data.accidents is None or not data.accidents.trends.periods:
        return None
    trends = data.accidents.trends
    starts = sorted({row.period_start_date for row in trends.periods})
    counts = {(row.period_start_date, row.segment): row.count_accidents for row in trends.periods}
    lines = [
        Series(
            SEGMENT_NAMES[segment],
            [counts.get((start, segment)) for start in starts],
            is_main=segment == "all",
        )
        for segment in ("all", "courier")
    ]
    ticks = [
        f"{start.month}/{start.day}" if trends.period == "week" else f"{start.month}月"
        for start in starts
    ]
    return line_chart(PERIOD_WORDS[trends.period]["chart"], ticks, lines)


def analyst_charts(data: BoardData) -> dict[str, str | None]:
    return {rule: trend_chart(data, rule, with_platforms=True) for rule in RULE_NAMES}


def month_day(week: str) -> str:
    """A week as the date of its Monday, 11/16: what a chart's axis shows."""
    monday = week_monday(week)
    return f"{monday.month}/{monday.day}"


def page_environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("analytics.board", "templates"),
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["one"] = lambda value: "—" if value is None else f"{value:.1f}"
    environment.filters["rate"] = lambda value: "—" if value is None else f"{value:.2f}"
    environment.filters["signed"] = lambda value: "—" if value is None else f"{value:+.2f}"
    environment.filters["count"] = lambda value: f"{round(value or 0):,}"
    environment.filters["percent"] = lambda value: f"{100 * value:.1f}%"
    environment.filters["pct"] = lambda value: "—" if value is None else f"{value:+.1f}%"
    return environment


def entries_table(data: BoardData, revision: int, published_at: datetime) -> pa.Table:
    """One row per list entry, stamped with its revision (the rows of ``published_boards``)."""
    stamp = {
        "board_week": data.week,
        "revision": revision,
        "published_at": published_at,
        "content_hash": data.content_hash,
        "timezone": data.config.timezone,
        "is_only_confirmed": data.config.count_only_confirmed,
        "min_exposures": data.config.min_exposures,
        "count_clips_pending": data.coverage.count_clips_pending,
    }
    rows = [
        {**stamp, **{name: row.get(name) for name in ENTRIES_SCHEMA.names if name in row}}
        for row in data.rankings
    ]
    return pa.Table.from_pylist(rows, schema=ENTRIES_SCHEMA)


def write_csv(table: pa.Table, path: Path) -> None:
    # A byte-order mark, so that spreadsheet programs read the Chinese labels as UTF-8.
    with open(path, "wb") as handle:
        handle.write("\ufeff".encode())
        pa_csv.write_csv(table, handle)


def write_json(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    path.write_text(text + "\n", encoding="utf-8")


def files_in(folder: Path) -> list[str]:
    return [str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()]
