"""Chinese names of everything the workbench shows: roles, rules, statuses, reasons, platforms,
dispositions, and the words for why something was refused."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analytics.decisions.models import NO_PLATFORM
from analytics.decisions.queue_filter import UNKNOWN_PLATFORM
from detectors.config.names import CLASSES as CLASSES  # one vocabulary with the evidence
from detectors.config.names import RULES as RULES
from detectors.config.names import SIGNAL_STATES
from detectors.config.platforms import load_platform_profiles

ROLES = {"reviewer": "审核员", "supervisor": "督导", "admin": "管理员"}
STATUSES = {
    "pending": "待审核",
    "awaiting_second": "待复核",
    "disputed": "待裁定",
    "confirmed": "已确认",
    "rejected": "已驳回",
    "all": "全部",
}
DECISIONS = {"confirmed": "确认违法", "rejected": "驳回"}
STAGES = {
    "awaiting_second": "待复核（双人复核）",
    "disputed": "复核意见不一致，待督导裁定",
    "final": "已生效",
}
DISPOSITIONS = {"fine": "罚款", "warning": "警告", "education": "教育", "exposure_only": "仅曝光"}
REASONS = {
    "not_a_violation": "非违法",
    "rider_not_pedestrian": "骑车人非行人",
    "signal_misread": "信号误判",
    "duplicate": "重复",
    "bad_footage": "画面不清",
    "other": "其他",
}
SORTS = {
    "newest": "时间（新→旧）",
    "oldest": "时间（旧→新）",
    "most_confident": "置信度（高→低）",
    "least_confident": "置信度（低→高）",
}
SIGNALS = SIGNAL_STATES
ZONE_KINDS = {"pedestrian_red_light": "人行横道", "wrong_way": "车道"}  # by rule
AUDIT_FIELDS = {
    "decision": "结论",
    "reason_code": "驳回理由",
    "comment": "备注",
    "courier_platform": "外卖平台",
    "rider_code": "骑手编码",
    "disposition": "处理方式",
    "fine_yuan": "罚款金额（元）",
    "stage": "审核阶段",
    "second_reviewed_by": "复核人",
}
AUDIT_ACTIONS = {
    "decide": "审核",
    "second_review": "复核",
    "resolve": "督导裁定",
    "overturn": "改判",
}
EVIDENCE_FILES = {
    "frame_1_before.jpg": "违法前",
    "frame_2_at.jpg": "违法时",
    "frame_3_after.jpg": "违法后",
    "closeup.jpg": "特写",
    "clip.mp4": "证据视频",
    "event.json": "事件记录",
}
EVIDENCE_STATES = {
    "intact": "✓ 与入库记录一致",
    "tampered": "✗ 与入库记录不符",
    "missing": "✗ 文件缺失",
    "unrecorded": "？ 无入库记录，无法核验",
}
# Why the whole evidence of an event cannot back a confirmation.
EVIDENCE_REFUSALS = {
    "tampered": "证据文件与入库时记录的校验值不符（可能被改动），不能确认违法。请联系管理员核查。",
    "missing": "证据文件缺失，不能确认违法。",
    "unrecorded": "仓库中没有该事件证据的入库校验值，无法核验证据，不能确认违法。",
}
# Why a user has no form for an event (flow.refusal codes), shown in place of the form.
WAITING = {
    "second_review_same_user": "您已完成初审，须由另一名审核员复核（双人复核）。",
    "dispute_needs_third_person": "您参与了该事件的审核，须由另一名督导裁定。",
    "dispute_needs_supervisor": "初审与复核意见不一致，等待督导裁定。",
    "overturn_not_permitted": "该事件已审核，只有督导可以改判。",
}
SECURITY_ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_locked": "登录锁定",
    "logout": "退出",
    "logout_everywhere": "全部设备退出",
    "user_added": "添加用户",
    "password_reset": "重设密码",
    "role_changed": "更改角色",
    "districts_changed": "更改辖区",
    "user_stopped": "停用账号",
    "user_allowed": "启用账号",
    "evidence_viewed": "查看证据",
}
# Why a decision or an account change was not accepted: pydantic error types, DecisionRefused
# and AccountRefused codes.
PROBLEMS = {
    **{f"evidence_{state}": refusal for state, refusal in EVIDENCE_REFUSALS.items()},
    "reason_required": "驳回须选择驳回理由。",
    "reason_not_allowed": "确认违法时不应选择驳回理由。",
    "comment_required": "驳回理由为“其他”时须填写说明。",
    "disposition_required": "确认违法须选择处理方式。",
    "disposition_on_rejection": "驳回时不应选择处理方式。",
    "disposition_not_allowed": "该违法类型的处罚裁量表中没有这种处理方式。",
    "fine_required": "罚款须填写金额（元）。",
    "fine_not_allowed": "只有罚款才填写金额。",
    "fine_out_of_range": "罚款金额超出该违法类型的裁量范围。",
    "overturn_not_permitted": "该事件已有审核结论，只有督导可以改判。",
    "overturn_needs_comment": "改判须在备注中说明理由。",
    "nothing_changed": "改判内容与现有结论相同，未作修改（仅修改备注不算改判）。",
    "second_review_same_user": "双人复核须由另一名审核员完成，不能复核自己的审核。",
    "dispute_needs_supervisor": "复核意见不一致的事件由督导裁定。",
    "dispute_needs_third_person": "参与初审或复核的人员不能裁定该事件。",
    "claimed_by_other": "该事件正由其他审核员处理，请跳到下一条。",
    "outside_districts": "该事件不在您的辖区内。",
    "unknown_event": "该事件不在审核队列中。",
    "unknown_platform": "外卖平台不在可选列表中。",
    "platform_unconfirmed": "系统识别出外卖平台：请确认或更正后再提交。",
    "string_pattern_mismatch": "格式不正确（骑手编码只能包含字母、数字和连字符，最多 32 位）。",
    "string_too_long": "内容过长。",
    "literal_error": "选项无效。",
    "int_parsing": "金额须为整数（元）。",
    "less_than_equal": "数值过大。",
    "greater_than_equal": "数值过小。",
    "bad_username": "用户名只能包含 2–32 个字母、数字、“.”、“_”或“-”。",
    "unknown_role": "角色无效。",
    "short_password": "密码太短，至少 8 位。",
    "last_admin": "这是最后一个启用的管理员账号：请先把另一位用户设为管理员。",
    "unknown_user": "没有这个用户。",
    "no_districts": "请至少填写一个辖区，或留空表示全部辖区。",
    "own_account": "不能停用自己的账号。",
}
PROBLEM_FALLBACK = "提交的内容无效，请检查后重试。"


@functools.cache
def platforms() -> dict[str, str]:
    """Platform code -> name shown: each livery profile, each brand (names from the platform
    configuration), and the special value for no courier."""
    return {**load_platform_profiles().display_names(), NO_PLATFORM: "非外卖骑手"}


def platform(code: str | None) -> str:
    if code is None or code == UNKNOWN_PLATFORM:
        return "未识别"
    return platforms().get(code, code)


@dataclass(frozen=True)
class Place:
    """Where an event happened as its page and its case sheet say it."""

    camera: str
    zone_kind: str  # what the rule's zone is: a crossing, a lane
    zone: str
    signal: str | None  # the signal's name and state; None when the event has no signal state


def place(event: Mapping[str, Any], names: Mapping[str, str | None]) -> Place:
    """The place of a queue event or case row (``camera_name``, ``rule``, ``signal_state``),
    by the display names of its evidence record (``names``) where it has them."""
    signal = None
    if event["signal_state"]:
        state = SIGNALS.get(event["signal_state"], event["signal_state"])
        signal = f"{names['signal'] or '行人信号灯'}：{state}"
    return Place(
        camera=names["camera"] or event["camera_name"] or "（未命名摄像头）",
        zone_kind=ZONE_KINDS.get(event["rule"], "区域"),
        zone=names["zone"] or "（未命名）",
        signal=signal,
    )


def problem(code: str) -> str:
    return PROBLEMS.get(code, PROBLEM_FALLBACK)


def audit_value(field: str, value: str | None) -> str:
    """A value of the audit trail as a reviewer reads it."""
    if value is None:
        return "（空）"
    names = {
        "decision": DECISIONS,
        "reason_code": REASONS,
        "disposition": DISPOSITIONS,
        "stage": STAGES,
    }
    if field in names:
        return names[field].get(value, value)
    if field == "courier_platform":
        return platform(value)
    return value


def districts(value: tuple[str, ...] | None) -> str:
    return "全部辖区" if value is None else "、".join(value)
