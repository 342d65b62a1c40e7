"""A synthetic police accident export for demos and tests: fixed seed, messy on purpose.

It has the shape of a Chinese police export (GBK or UTF-8 with BOM, a title line above Chinese
headers, mixed date formats, synonyms for severities, blank cells for zero counts, a total line at
the end) plus a handful of deliberately malformed rows, so that the importer's rejections show.
Every row says 数据来源=合成数据 and the file name says synthetic: these are not real accidents.

After ``campaign_start`` accidents involving couriers fall to ``CAMPAIGN_COURIER_FACTOR`` of their
former rate while other accidents carry on as before, so before/after and year-over-year figures
have something to show.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

import numpy as np
import yaml

EXAMPLE_MAPPING = Path(__file__).with_name("mapping.example.yaml")
HEADER = [
    "事故编号",
    "事故时间",
    "地点",
    "路口编号",
    "街乡",
    "事故形态",
    "死亡人数",
    "受伤人数",
    "当事方类型",
    "天气",
    "数据来源",
]
TITLE = "道路交通事故明细表（合成数据，仅供演示，非真实事故）"
SOURCE_WORD = "合成数据"
# The rendered sample camera's intersection first, so the demo's clip and accidents meet.
DEFAULT_SITES: list[tuple[str, str]] = [
    ("bj-cy-xingfu-gongtibei", "朝阳区"),
    ("bj-cy-sanlitun-gongtibei", "朝阳区"),
    ("bj-dc-dongsi-chaoyangmennei", "东城区"),
    ("bj-hd-zhongguancun-haidian", "海淀区"),
    ("bj-xc-xidan-xichangan", "西城区"),
]
# Whole ISO weeks, 2025-W01 (Monday 2024-12-30) to 2026-W48, so no week of the data is partial.
DEFAULT_START, DEFAULT_END = date(2024, 12, 30), date(2026, 11, 29)
DEFAULT_CAMPAIGN_START = date(2026, 6, 1)
CAMPAIGN_COURIER_FACTOR = 0.4
OTHER_PER_SITE_DAY, COURIER_PER_SITE_DAY = 0.28, 0.14

_HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 6, 9, 6, 4, 5, 8, 6, 4, 4, 5, 8, 10, 7, 5, 4, 3, 2], dtype=float
)
_SEVERITY_WORDS = {  # word choices per severity, as different clerks wrote them
    "property_damage": ["财产损失", "财损"],
    "minor_injury": ["轻伤", "轻微伤"],
    "serious_injury": ["重伤"],
    "fatal": ["死亡"],
}
_SEVERITY_P = {"property_damage": 0.56, "minor_injury": 0.3, "serious_injury": 0.11, "fatal": 0.03}
_OTHER_PARTIES = [
    (["小型汽车", "小型汽车"], 0.35),
    (["机动车", "非机动车"], 0.22),
    (["机动车", "电动自行车"], 0.08),
    (["机动车", "行人"], 0.15),
    (["非机动车", "行人"], 0.08),
    (["货车"], 0.07),
    (["机动车", "其他"], 0.05),
]
_COURIER_PARTIES = [
    (["外卖骑手", "小型汽车"], 0.55),
    (["外卖骑手", "货车"], 0.1),
    (["外卖骑手", "行人"], 0.15),
    (["外卖骑手", "非机动车"], 0.12),
    (["快递员", "机动车"], 0.08),
]
_DATE_FORMATS = [("%Y-%m-%d %H:%M", 0.7), ("%Y/%-m/%-d %H:%M", 0.2), ("%Y年%m月%d日 %H时%M分", 0.1)]
_CORNERS = ["东北角", "西北角", "东南角", "西南角", "中心", "北侧人行横道", "南进口"]
_WEATHER = ["晴", "晴", "晴", "多云", "阴", "雨", "雪"]


@dataclass(frozen=True)
class _Accident:
    when: datetime  # local time
    intersection_id: str
    district: str
    severity: str
    parties: list[str]
    count_deaths: int
    count_injuries: int


@dataclass(frozen=True)
class SyntheticExport:
    csv_path: Path
    mapping_path: Path
    count_rows: int  # data rows, malformed ones included
    count_malformed: int  # rows the importer must reject (the total line among them)


def synthetic_rows(
    sites: Sequence[tuple[str, str]], start: date, end: date, campaign_start: date, seed: int
) -> list[list[str]]:
    """Well-formed export rows, one per synthetic accident, in time order (pure)."""
    rng = np.random.default_rng(seed)
    rows = []
    day = start
    while day <= end:
        season = 1 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
        courier_factor = CAMPAIGN_COURIER_FACTOR if day >= campaign_start else 1.0
        accidents = []
        for intersection_id, district in sites:
            for is_courier, rate in (
                (False, OTHER_PER_SITE_DAY),
                (True, COURIER_PER_SITE_DAY * courier_factor),
            ):
                for _ in range(rng.poisson(rate * season)):
                    accidents.append(_accident(rng, day, intersection_id, district, is_courier))
        accidents.sort(key=lambda accident: accident.when)
        rows += [_cells(rng, accident, len(rows) + i) for i, accident in enumerate(accidents)]
        day += timedelta(days=1)
    return rows


def _accident(rng, day: date, intersection_id: str, district: str, is_courier: bool) -> _Accident:
    minute = int(rng.choice(24, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())) * 60 + int(rng.integers(60))
    when = datetime.combine(day, time()) + timedelta(minutes=minute)
    severity = str(rng.choice(list(_SEVERITY_P), p=list(_SEVERITY_P.values())))
    parties = _pick(rng, _COURIER_PARTIES if is_courier else _OTHER_PARTIES)
    deaths = {"fatal": 1 + int(rng.random() < 0.1)}.get(severity, 0)
    injuries = {"property_damage": 0, "fatal": int(rng.integers(0, 2))}.get(
        severity, 1 + int(rng.poisson(0.4))
    )
    return _Accident(when, intersection_id, district, severity, parties, deaths, injuries)


def _cells(rng, accident: _Accident, sequence: int) -> list[str]:
    """The accident as an export row, written the way different clerks write."""
    blank_zero = rng.random() < 0.5  # many clerks leave a zero count blank
    padding = " " if rng.random() < 0.1 else ""
    deaths, injuries = accident.count_deaths, accident.count_injuries
    return [
        f"SYN{accident.when:%Y%m%d}{sequence:05d}",
        accident.when.strftime(_pick(rng, _DATE_FORMATS)),
        f"{padding}{accident.district}{accident.intersection_id}路口{_pick_one(rng, _CORNERS)}",
        "" if rng.random() < 0.05 else accident.intersection_id,
        accident.district,
        _pick_one(rng, _SEVERITY_WORDS[accident.severity]),
        "" if deaths == 0 and blank_zero else str(deaths),
        "" if injuries == 0 and blank_zero else str(injuries),
        ("、" if rng.random() < 0.8 else "，").join(accident.parties),
        _pick_one(rng, _WEATHER),
        SOURCE_WORD,
    ]


def _pick(rng, weighted):
    choices, weights = zip(*weighted, strict=True)
    return choices[int(rng.choice(len(choices), p=np.array(weights) / sum(weights)))]


def _pick_one(rng, choices):
    return choices[int(rng.integers(len(choices)))]


def export_bytes(rows: list[list[str]], encoding: str) -> tuple[bytes, int]:
    """The export file's bytes with malformed rows spliced in, and how many rows are malformed."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding  # the BOM goes once, at the start
    lines = [_csv_line(row).encode(codec) for row in rows]
    damaged = _malformed_lines(rows[len(rows) // 2], codec)
    step = max(1, len(lines) // (len(damaged) + 1))
    for position, line in reversed(list(enumerate(damaged, start=1))):
        lines.insert(position * step, line)
    head = (TITLE + "\r\n" + _csv_line(HEADER)).encode(codec)
    total = _csv_line(["合计", f"{len(rows)}起"]).encode(codec)
    bom = b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b""
    return bom + head + b"".join(lines) + total, len(damaged) + 1


def _malformed_lines(sample: list[str], codec: str) -> list[bytes]:
    """One row per kind of damage the importer must catch, each made from a good row."""

    def changed(column: str, value: str) -> list[str]:
        row = list(sample)
        row[HEADER.index(column)] = value
        return row

    unquoted_comma = ",".join(changed("地点", "朝阳区幸福路,工体北路口")) + "\r\n"
    bad_bytes = _csv_line(changed("地点", "朝阳区@@路口")).encode(codec).replace(b"@@", b"\xff")
    lines = [
        _csv_line(changed("事故时间", "不详")),
        _csv_line(changed("事故形态", "待定")),
        _csv_line(changed("死亡人数", "-1")),
        _csv_line(changed("地点", "")),
        unquoted_comma,
    ]
    return [line.encode(codec) for line in lines] + [bad_bytes]


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def write_synthetic_export(
    out_dir: str | Path,
    sites: Sequence[tuple[str, str]] = DEFAULT_SITES,
    campaign_start: date = DEFAULT_CAMPAIGN_START,
    start: date = DEFAULT_START,
    end: date = DEFAULT_END,
    encoding: Literal["gbk", "utf-8-sig"] = "gbk",
    seed: int = 20250101,
) -> SyntheticExport:
    """Write the synthetic export CSV and its mapping YAML into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = synthetic_rows(sites, start, end, campaign_start, seed)
    data, count_malformed = export_bytes(rows, encoding)
    csv_path = out_dir / f"synthetic-accidents-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    csv_path.write_bytes(data)
    mapping = yaml.safe_load(EXAMPLE_MAPPING.read_text(encoding="utf-8")) | {"encoding": encoding}
    mapping_path = out_dir / "synthetic-accidents.mapping.yaml"
    mapping_path.write_text(
        yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return SyntheticExport(csv_path, mapping_path, len(rows) + count_malformed, count_malformed)
