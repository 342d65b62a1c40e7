"""A board's files: Chinese HTML and Markdown pages (Jinja2), JSON, CSV, Parquet and PNG charts.

Only aggregates leave the warehouse here: rates, counts and exposures per intersection, district
and platform. No event, evidence path, face, plate, name or rider code is read or written.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from analytics.board.accidents import SEGMENT_NAMES
from analytics.board.charts import draw_charts
from analytics.board.data import ENTITY_KIND_NAMES, LIST_NAMES, RULE_NAMES, BoardData
from analytics.board.history import ENTRIES_SCHEMA
from analytics.board.revisions import MANIFEST

PAGES = {"index.html": "board.html.j2", "board.md": "board.md.j2"}
CORRELATIONS_SHOWN = 5


def write_board_files(data: BoardData, revision: int, published_at: datetime, folder: Path) -> None:
    charts = draw_charts(data, folder / "charts")
    stamp = {
        "week": data.week,
        "revision": revision,
        "published_at": published_at.isoformat(),
        "content_hash": data.content_hash,
    }
    local_time = published_at.astimezone(ZoneInfo(data.config.timezone))
    context = page_context(data, {**stamp, "published_at": f"{local_time:%Y-%m-%d %H:%M}"}, charts)
    environment = page_environment()
    for file_name, template in PAGES.items():
        text = environment.get_template(template).render(context)
        (folder / file_name).write_text(text, encoding="utf-8")
    board = {**stamp, **data.as_json(), "charts": charts}
    write_json(folder / "board.json", board)
    entries = entries_table(data, revision, published_at)
    pq.write_table(entries, folder / "entries.parquet")
    write_csv(entries, folder / "entries.csv")
    write_json(folder / MANIFEST, {**stamp, "files": sorted(files_in(folder))})


def page_context(data: BoardData, stamp: dict[str, Any], charts: dict[str, str]) -> dict:
    sections = []
    for rule, rule_name in RULE_NAMES.items():
        kinds = []
        for kind, kind_name in ENTITY_KIND_NAMES.items():
            lists = {
                list_name: [
                    row
                    for row in data.rankings
                    if (row["rule"], row["entity_kind"], row["list_name"])
                    == (rule, kind, list_name)
                ]
                for list_name in LIST_NAMES
            }
            if any(lists.values()):
                kinds.append({"kind": kind, "name": kind_name, "lists": lists})
        sections.append({"rule": rule, "name": rule_name, "kinds": kinds})
    return {
        **stamp,
        "data": data,
        "config": data.config,
        "week_end_date": data.week_start_date + timedelta(days=6),
        "sections": sections,
        "list_names": LIST_NAMES,
        "charts": charts,
        "coverage": data.coverage,
        "accidents": data.accidents,
        "campaign": data.campaign,
        "segment_names": SEGMENT_NAMES,
        "rule_names": RULE_NAMES,
        "correlations_shown": CORRELATIONS_SHOWN,
    }


def page_environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("analytics.board", "templates"),
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["rate"] = lambda value: "—" if value is None else f"{value:.2f}"
    environment.filters["signed"] = lambda value: "—" if value is None else f"{value:+.2f}"
    environment.filters["count"] = lambda value: f"{int(value or 0):,}"
    environment.filters["percent"] = lambda value: f"{100 * value:.0f}%"
    environment.filters["pct"] = lambda value: "—" if value is None else f"{value:+.0f}%"
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
