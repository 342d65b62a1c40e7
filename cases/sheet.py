"""The case sheet (案件单): what one confirmed violation is, where and when, who the rider is,
the disposition and its legal basis, who decided it and how the evidence checks out. Built
once as plain Chinese text (``CaseSheet``) and written as HTML and as PDF from that."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from analytics.decisions.decisions import HistoryStep
from analytics.decisions.policy import RulePolicy
from cases.paper import ALERT, INK, Paper
from review import labels
from review.explain import explain, parse_details

TEMPLATES = Path(__file__).with_name("templates")
TITLE = "文明交通违法案件单"
PICTURES = ("frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg", "closeup.jpg")


def case_number(event_id: str, week: str) -> str:
    """Stable for an event: the same case keeps its number in every export."""
    return f"WM{week.replace('-', '')}-{hashlib.sha256(event_id.encode()).hexdigest()[:10].upper()}"


@dataclass(frozen=True)
class EvidenceLine:
    name: str  # shown
    file: str  # relative to the case folder
    sha256: str
    state: str


@dataclass(frozen=True)
class CaseSheet:
    case_no: str
    rule_name: str
    fields: list[tuple[str, str]]
    reasons: list[str]
    history: list[tuple[str, str, str, str]]  # when, who, what act, what was said
    evidence: list[EvidenceLine]
    evidence_note: str
    evidence_intact: bool
    pictures: list[tuple[str, str]] = field(default_factory=list)  # caption, relative path


def case_sheet(
    case: dict[str, Any],
    case_no: str,
    history: list[HistoryStep],
    evidence: list[EvidenceLine],
    evidence_state: str,
    names: dict[str, str | None],
    rule: RulePolicy,
    timezone: str,
) -> CaseSheet:
    platform = case["courier_platform"]
    disposition = labels.DISPOSITIONS.get(case["disposition"] or "", "—")
    if case["disposition"] == "fine":
        disposition += f" {case['fine_yuan']} 元"
    place = labels.place(case, names)
    fields = [
        ("案件编号", case_no),
        ("违法类型", labels.RULES.get(case["rule"], case["rule"])),
        ("违法时间", f"{case['occurred_local']}（{timezone}）"),
        ("违法地点", place.camera),
        ("辖区", case["district"] or "—"),
        (place.zone_kind, place.zone),
        ("信号灯", place.signal or "—"),
        ("对象", labels.CLASSES.get(case["class_name"] or "", "未知")),
        ("外卖平台", labels.platform(platform) if platform else "非外卖骑手或未识别"),
        ("骑手编码（一人一码）", case["rider_code"] or "—"),
        ("处理方式", disposition),
        ("法律依据", rule.legal_basis or "—"),
    ]
    intact = evidence_state == "intact"
    ordered = sorted(evidence, key=evidence_order)
    return CaseSheet(
        case_no=case_no,
        rule_name=labels.RULES.get(case["rule"], case["rule"]),
        fields=fields,
        reasons=explain(case, names),
        history=[_history_line(step, timezone) for step in history],
        evidence=ordered,
        evidence_note=_evidence_note(evidence_state, case),
        evidence_intact=intact,
        pictures=[
            (line.name, line.file)
            for line in ordered
            if line.file.rsplit("/", 1)[-1] in PICTURES and line.state == "intact"
        ],
    )


def evidence_order(line: EvidenceLine) -> tuple[int, str]:
    """The stills in time order, the close-up, the clip, then the record and anything else."""
    name = line.file.rsplit("/", 1)[-1]
    order = (*PICTURES, "clip.mp4", "event.json")
    return (order.index(name) if name in order else len(order), name)


def _history_line(step: HistoryStep, timezone: str) -> tuple[str, str, str, str]:
    values = step.values
    if values["decision"] == "confirmed":
        said = "确认违法；处理：" + labels.DISPOSITIONS.get(values["disposition"] or "", "—")
        if values["fine_yuan"]:
            said += f" {values['fine_yuan']} 元"
    else:
        said = "驳回：" + labels.REASONS.get(values["reason_code"] or "", "—")
    if values["courier_platform"]:
        said += "；平台：" + labels.platform(values["courier_platform"])
    if values["rider_code"]:
        said += "；骑手编码：" + values["rider_code"]
    if values["comment"]:
        said += "；备注：" + values["comment"]
    said += "（" + labels.STAGES.get(values["stage"] or "", "") + "）"
    return (
        local_time(step.changed_at, timezone),
        step.changed_by,
        f"{labels.AUDIT_ACTIONS[step.action]}（第 {step.version} 版）",
        said,
    )


def _evidence_note(state: str, case: dict[str, Any]) -> str:
    if state == "intact":
        return "✓ 证据文件与入库时记录的 SHA-256 校验值一致。"
    if (parse_details(case["details_json"]) or {}).get("synthetic"):
        return "本案为合成演示数据，没有证据文件。"
    return "✗ " + labels.EVIDENCE_REFUSALS[state]


def local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S")


def write_html(sheet: CaseSheet, path: Path) -> None:
    path.write_text(environment().get_template("case.html.j2").render(sheet=sheet), "utf-8")


def write_pdf(sheet: CaseSheet, folder: Path, path: Path) -> None:
    paper = Paper(footer=f"案件编号 {sheet.case_no}")
    paper.title(TITLE)
    paper.fields(sheet.fields)
    paper.heading("违法事实")
    for line in sheet.reasons:
        paper.paragraph(line)
    paper.heading("审核经过")
    paper.table(("时间", "人员", "操作", "意见"), sheet.history, (0.2, 0.16, 0.16, 0.48))
    paper.heading("证据")
    paper.paragraph(sheet.evidence_note, color=INK if sheet.evidence_intact else ALERT)
    if sheet.pictures:
        paper.pictures([(caption, folder / file) for caption, file in sheet.pictures])
    # The digests' first 16 digits identify each file on paper; all 64 are in the HTML sheet
    # and in manifest.json.
    rows = [
        (line.name, f"{line.sha256[:16]}…", labels.EVIDENCE_STATES[line.state])
        for line in sheet.evidence
    ]
    if rows:
        paper.table(("文件", "SHA-256（前 16 位）", "核验"), rows, (0.2, 0.45, 0.35))
    paper.paragraph(
        "本案件单由系统根据审核结论生成。案件文件的 SHA-256 校验值见 manifest.json，"
        "并以办公室密钥签名（manifest.sig），可用 civility cases verify 核验。",
        size=18,
    )
    paper.pdf(path)


@functools.cache
def environment() -> Environment:
    """The templates of case sheets and notices: autoescaped, strict."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(labels=labels, title=TITLE)
    return env
