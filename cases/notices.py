"""Weekly notices to courier platforms (一人一码): each platform's confirmed cases of the week,
with rider codes, times, places and links to each case's evidence, as Chinese HTML and PDF and
as CSV; riders confirmed more than once that week, or also in the weeks before, are flagged.

    OUT/<platform>/notice.html, notice.pdf, notice.csv
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from analytics.board.weeks import week_monday, weeks_up_to
from cases.paper import Paper
from cases.records import query_rows
from cases.sheet import case_number, environment
from detectors.atomic import staged_folder
from review import labels

EARLIER_WEEKS = 4  # how far back a rider's earlier cases count towards "repeat"
CSV_COLUMNS = (
    "rider_code",
    "repeat",
    "rule_name",
    "occurred_at_local",
    "district",
    "place",
    "disposition_name",
    "fine_yuan",
    "case_no",
    "evidence_link",
)


@dataclass(frozen=True)
class Notice:
    platform: str
    platform_name: str
    count_cases: int
    count_riders: int
    count_repeat_riders: int
    folder: Path


def write_notices(
    root: Path, week: str, out: Path, cases_link: str = "../cases", timezone: str = "Asia/Shanghai"
) -> list[Notice]:
    """One notice per platform with confirmed cases in ``week``; ``cases_link`` is where each
    case's folder is found from a notice (a URL, or a path relative to the notice's folder)."""
    monday = week_monday(week)
    params = {"week": week, "timezone": timezone, "monday": monday, "earlier_weeks": EARLIER_WEEKS}
    rows = query_rows(root, weeks_up_to(week, EARLIER_WEEKS + 1), "platform_cases", params)
    by_platform: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        row["case_no"] = case_number(row["event_id"], week)
        row["evidence_link"] = f"{cases_link.rstrip('/')}/{row['case_no']}/case.html"
        row["repeat"] = _repeat(row)
        by_platform.setdefault(row["courier_platform"], []).append(row)
    period = f"{monday:%Y-%m-%d} 至 {monday + timedelta(days=6):%Y-%m-%d}"
    notices = []
    for platform, cases in sorted(by_platform.items()):
        with staged_folder(Path(out) / platform) as staging:
            notice = _notice(platform, cases, Path(out) / platform)
            context = {"notice": notice, "cases": cases, "week": week, "period": period}
            html = environment().get_template("notice.html.j2").render(**context)
            (staging / "notice.html").write_text(html, encoding="utf-8")
            _write_pdf(notice, cases, week, period, staging / "notice.pdf")
            _write_csv(cases, staging / "notice.csv")
        notices.append(notice)
    return notices


def _notice(platform: str, cases: list[dict[str, Any]], folder: Path) -> Notice:
    riders = {(row["rider_code"] or row["event_id"]) for row in cases}
    repeat = {row["rider_code"] for row in cases if row["repeat"]}
    return Notice(platform, labels.platform(platform), len(cases), len(riders), len(repeat), folder)


def _repeat(row: dict[str, Any]) -> str:
    """Why a rider is flagged: more than one case this week, or cases in the weeks before."""
    if row["rider_code"] is None:
        return ""
    reasons = []
    if row["count_rider_this_week"] > 1:
        reasons.append(f"本周 {row['count_rider_this_week']} 次")
    if row["count_rider_earlier"]:
        reasons.append(f"此前 {EARLIER_WEEKS} 周 {row['count_rider_earlier']} 次")
    return "，".join(reasons)


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    disposition = labels.DISPOSITIONS.get(row["disposition"] or "", "")
    return {
        "rider_code": row["rider_code"] or "（未登记编码）",
        "repeat": row["repeat"],
        "rule_name": labels.RULES.get(row["rule"], row["rule"]),
        "occurred_at_local": row["occurred_local"],
        "district": row["district"] or "",
        "place": row["camera_name"] or "",
        "disposition_name": disposition,
        "fine_yuan": row["fine_yuan"] or "",
        "case_no": row["case_no"],
        "evidence_link": row["evidence_link"],
    }


def _write_csv(cases: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(_cells(row) for row in cases)


def _write_pdf(
    notice: Notice, cases: list[dict[str, Any]], week: str, period: str, path: Path
) -> None:
    paper = Paper(footer=f"{notice.platform_name} · {week}")
    paper.title(f"外卖骑手交通违法情况通报（{notice.platform_name}）")
    paper.fields(
        [
            ("通报周期", f"{week}（{period}）"),
            ("已确认违法", f"{notice.count_cases} 起，涉及骑手 {notice.count_riders} 人"),
            ("重复违法骑手", f"{notice.count_repeat_riders} 人（标注于下表）"),
        ]
    )
    paper.paragraph(
        "请贵平台依据骑手编码（一人一码）核实当事骑手，开展交通安全教育并督促整改；"
        "每起违法的证据见案件编号对应的案件单。"
    )
    rows = []
    for row in cases:
        cells = _cells(row)
        rider = cells["rider_code"] + (f"\n⚠ {cells['repeat']}" if cells["repeat"] else "")
        rows.append(
            (
                rider,
                cells["rule_name"],
                cells["occurred_at_local"],
                cells["place"],
                cells["case_no"],
            )
        )
    paper.table(
        ("骑手编码", "违法类型", "时间", "地点", "案件编号"), rows, (0.19, 0.13, 0.19, 0.27, 0.22)
    )
    paper.pdf(path)
