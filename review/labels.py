"""Chinese names of everything the workbench shows: roles, rules, statuses, reasons, platforms."""

from __future__ import annotations

import functools

from analytics.decisions.decisions import NO_PLATFORM
from analytics.decisions.queue_filter import UNKNOWN_PLATFORM
from detectors.config.platforms import load_platform_profiles

ROLES = {"reviewer": "审核员", "supervisor": "督导", "admin": "管理员"}
RULES = {"pedestrian_red_light": "行人闯红灯", "wrong_way": "非机动车逆行"}
STATUSES = {"pending": "待审核", "confirmed": "已确认", "rejected": "已驳回", "all": "全部"}
DECISIONS = {"confirmed": "确认违法", "rejected": "驳回"}
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
SIGNALS = {
    "red": "红灯",
    "green": "绿灯",
    "flashing_green": "绿灯闪烁",
    "amber": "黄灯",
    "off": "熄灭",
    "unknown": "未知",
}
CLASSES = {"person": "行人", "bicycle": "自行车", "motorcycle": "摩托车/电动车"}
ZONE_KINDS = {"pedestrian_red_light": "人行横道", "wrong_way": "车道"}
AUDIT_FIELDS = {
    "decision": "结论",
    "reason_code": "驳回理由",
    "comment": "备注",
    "courier_platform": "外卖平台",
    "rider_code": "骑手编码",
}
AUDIT_ACTIONS = {"decide": "审核", "overturn": "改判"}
EVIDENCE_FILES = {
    "frame_1_before.jpg": "违法前",
    "frame_2_at.jpg": "违法时",
    "frame_3_after.jpg": "违法后",
    "closeup.jpg": "特写",
}
# Why a decision was not accepted: pydantic error types and DecisionRefused codes.
PROBLEMS = {
    "reason_required": "驳回须选择驳回理由。",
    "reason_not_allowed": "确认违法时不应选择驳回理由。",
    "comment_required": "驳回理由为“其他”时须填写说明。",
    "overturn_not_permitted": "该事件已有审核结论，只有督导可以改判。",
    "overturn_needs_comment": "改判须在备注中说明理由。",
    "nothing_changed": "改判内容与现有结论相同，未作修改。",
    "unknown_platform": "外卖平台不在可选列表中。",
    "string_pattern_mismatch": "格式不正确（骑手编码只能包含字母、数字和连字符，最多 32 位）。",
    "string_too_long": "内容过长。",
    "literal_error": "选项无效。",
}
PROBLEM_FALLBACK = "提交的内容无效，请检查后重试。"


@functools.cache
def platforms() -> dict[str, str]:
    """Platform code -> name shown: each livery profile, the brands of a shared livery, and the
    two special values (no courier; nothing detected)."""
    names: dict[str, str] = {}
    for profile in load_platform_profiles().profiles:
        names[profile.name] = profile.display_name
        if len(profile.platforms) > 1:
            names.update({brand: brand for brand in profile.platforms})
    names[NO_PLATFORM] = "非外卖骑手"
    return names


def platform(code: str | None) -> str:
    if code is None or code == UNKNOWN_PLATFORM:
        return "未识别"
    return platforms().get(code, code)


def problem(code: str) -> str:
    return PROBLEMS.get(code, PROBLEM_FALLBACK)


def audit_value(field: str, value: str | None) -> str:
    """A value of the audit trail as a reviewer reads it."""
    if value is None:
        return "（空）"
    if field == "decision":
        return DECISIONS.get(value, value)
    if field == "reason_code":
        return REASONS.get(value, value)
    if field == "courier_platform":
        return platform(value)
    return value
