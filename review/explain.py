"""Why a rule fired, in readable Chinese, from the numbers the rule left in ``details_json``."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from review import labels

# Image directions (y grows downwards), counter-clockwise from "right" in 45 degree steps.
_ARROWS = ("→ 向右", "↗ 向右上", "↑ 向上", "↖ 向左上", "← 向左", "↙ 向左下", "↓ 向下", "↘ 向右下")
# Keys a rule writes that the sentences below already say (why: the rule's English summary).
_EXPLAINED = {
    "why",
    "view_changed_at_s",
    "outside_before_s",
    "inside_after_s",
    "speed_heights_per_s",
    "against_px",
    "against_s",
    "straightness",
    "lane_direction",
    "merged_track_ids",
}


def parse_details(details_json: str | None) -> dict[str, Any] | None:
    """The details as a mapping; None when absent or not a JSON object."""
    if not details_json:
        return None
    try:
        details = json.loads(details_json)
    except json.JSONDecodeError:
        return None
    return details if isinstance(details, dict) else None


def explain(event: dict[str, Any]) -> list[str]:
    """Sentences for a queue event row (rule, zone_id, signal_id, class_name, details_json)."""
    details = parse_details(event.get("details_json"))
    if details is None:
        return ["（规则未留下可读的判定数据。）"]
    sentences = {"pedestrian_red_light": _red_light, "wrong_way": _wrong_way}.get(event["rule"])
    lines = sentences(event, details) if sentences else []
    lines += _sentence(
        details,
        ("view_changed_at_s",),
        lambda at_s: (
            f"注意：本段视频第 {at_s:.1f} 秒起摄像机视角发生变化（预置位切换或摄像机被碰动），"
            "此后不再判定；请核对本事件画面中的区域位置。"
        ),
    )
    lines += [f"{key}：{value}" for key, value in details.items() if key not in _EXPLAINED]
    return lines


def _red_light(event: dict[str, Any], details: dict[str, Any]) -> list[str]:
    signal = f"信号灯「{event['signal_id']}」" if event.get("signal_id") else "所属信号灯"
    lines = [f"行人双脚从人行横道「{event['zone_id']}」外进入时，{signal}为红灯。"]
    lines += _sentence(
        details,
        ("outside_before_s", "inside_after_s"),
        lambda outside, inside: (
            f"进入前在人行横道外停留 {outside:.1f} 秒，进入后在人行横道内持续 "
            f"{inside:.1f} 秒：确实是走进去的，不是脚部在路缘线上的抖动。"
        ),
    )
    lines += _sentence(
        details,
        ("speed_heights_per_s",),
        lambda speed: f"移动速度约为每秒 {speed:.2f} 个身高（步行约为 1，跑步约为 2）。",
    )
    return lines


def _wrong_way(event: dict[str, Any], details: dict[str, Any]) -> list[str]:
    who = labels.CLASSES.get(event.get("class_name") or "", "非机动车")
    lines = _sentence(
        details,
        ("against_px", "against_s"),
        lambda pixels, seconds: (
            f"{who}在车道「{event['zone_id']}」内逆向行驶 {pixels:.0f} 像素，"
            f"历时 {seconds:.1f} 秒。"
        ),
    )
    lines += _sentence(
        details,
        ("straightness",),
        lambda share: f"行驶路程中 {share:.0%} 与车道规定方向相反（不是原地晃动或避让）。",
    )
    lines += _sentence(
        details,
        ("lane_direction",),
        lambda direction: f"车道规定方向：{arrow(direction)}（画面方向）。",
    )
    lines += _sentence(
        details,
        ("merged_track_ids",),
        lambda ids: f"跟踪编号中途切换，已合并编号 {'、'.join(map(str, ids))} 的轨迹。",
    )
    return lines


def _sentence(details: dict[str, Any], keys: tuple[str, ...], say: Callable[..., str]) -> list[str]:
    """``say(*values)`` when every key is present and well-formed, else nothing."""
    if not all(details.get(key) is not None for key in keys):
        return []
    try:
        return [say(*(details[key] for key in keys))]
    except (TypeError, ValueError):
        return []


def arrow(direction: list[float]) -> str:
    """An image direction ``[dx, dy]`` (y down) as an arrow and words."""
    dx, dy = (float(v) for v in direction)
    if dx == 0 and dy == 0:
        raise ValueError("a direction of length zero")
    angle = math.degrees(math.atan2(-dy, dx)) % 360
    return _ARROWS[round(angle / 45) % 8]
