"""The daily summary for the operators: what came in, what was analysed, what was refused and
why, what failed, the board, the disks. Sent through the alert channels (orchestration.alerts)
and kept as ``OPERATIONS/summaries/<date>.json``.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from orchestration.alerts import Alert
from orchestration.boards import last_outcome
from orchestration.ingest import clip_quarantine
from orchestration.quarantine import quarantined
from orchestration.settings import Locations
from orchestration.store import ClipStore, read_json

# Refusal kinds (orchestration.validate, ingest) as the operators read them.
REFUSALS_ZH = {
    "unreadable": "无法解码",
    "partial": "文件不完整",
    "too_short": "过短",
    "too_long": "过长",
    "frame_rate": "帧率异常",
    "broken_timestamps": "时间戳错误",
    "no_camera": "未指明摄像头",
    "unknown_camera": "未登记的摄像头",
    "camera_config": "摄像头配置错误",
    "camera_mismatch": "摄像头配置不符",
    "no_start": "缺少开始时间",
    "duplicate": "重复",
    "invalid": "其他",
}
BOARD_STATUS_ZH = {"published": "已发布", "unchanged": "无变化，未出新版", "refused": "未发布"}


def daily_summary(
    locations: Locations, since: datetime, until: datetime, board_week: str
) -> dict[str, Any]:
    """Figures of [since, until) and the state of things at ``until``."""
    store = ClipStore(locations.store)
    records = store.records()

    def within(moment: str | datetime | None) -> bool:
        if moment is None:
            return False
        at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        return since <= at < until

    loads = [load for r in records if (load := store.analysed(r.clip_id)) is not None]
    analysed = [load for load in loads if within(load.get("analysed_at"))]
    refused = [e for e in quarantined(clip_quarantine(locations)) if within(e.quarantined_at)]
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "count_clips_in": sum(within(r.registered_at) for r in records),
        "count_clips_analysed": len(analysed),
        "count_events": sum(load.get("count_events", 0) for load in analysed),
        "quarantined": dict(Counter(e.reason.get("refusal", "invalid") for e in refused)),
        "quarantined_files": [
            {"file": e.reason.get("landing_key", e.path.name), "reason": e.reason["reason"]}
            for e in refused
        ],
        "count_clips_pending": len(records) - len(loads),  # registered, not yet loaded
        "failed": [
            {"clip_id": clip_id, "stage": f.get("stage"), "error": f.get("error")}
            for clip_id, f in store.failures().items()
        ],
        "board": {"week": board_week, **(last_outcome(locations, board_week) or {})},
        "disk": (read_json(locations.operations / "housekeeping.json") or {}).get("disk"),
    }


def summary_alert(summary: dict[str, Any]) -> Alert:
    day = summary["until"][:10]
    refusals = ", ".join(
        f"{REFUSALS_ZH.get(kind, kind)} {kind} {count}"
        for kind, count in sorted(summary["quarantined"].items())
    )
    lines = [
        f"流水线日报 {day}（过去 24 小时 / last 24 h）",
        f"新登记视频 clips in: {summary['count_clips_in']}",
        f"完成分析 analysed: {summary['count_clips_analysed']}（事件 events: "
        f"{summary['count_events']}）",
        f"隔离 quarantined: {sum(summary['quarantined'].values())}"
        + (f" — {refusals}" if refusals else ""),
        *(f"  - {q['file']}: {q['reason']}" for q in summary["quarantined_files"]),
        f"待分析 pending: {summary['count_clips_pending']}",
        f"分析失败 failed: {len(summary['failed'])}",
        *(f"  - {f['clip_id']} ({f['stage']}): {f['error']}" for f in summary["failed"]),
        board_line(summary["board"]),
        *disk_lines(summary["disk"]),
    ]
    return Alert(f"流水线日报 {day}", "\n".join(lines), {"kind": "daily_summary", **summary})


def board_line(board: dict[str, Any]) -> str:
    week, status = board["week"], board.get("status")
    if status is None:
        return f"榜单 board {week}: 尚未发布 (not published yet)"
    line = f"榜单 board {week}: {BOARD_STATUS_ZH[status]} {status}"
    if status == "refused":
        return f"{line}（{board['reason']}: {board['message']}）"
    return f"{line}，第 {board['revision']} 版 (rev {board['revision']:03d})"


def disk_lines(disk: dict[str, Any] | None) -> list[str]:
    if not disk:
        return ["磁盘 disk: 尚无整理报告 (no housekeeping report yet)"]
    return [
        f"磁盘 disk {name}: 占用 used {gigabytes(usage['used_bytes'])}，"
        f"剩余 free {gigabytes(usage['free_bytes'])}"
        for name, usage in disk.items()
    ]


def gigabytes(count: int | None) -> str:
    return "-" if count is None else f"{count / 1e9:.2f} GB"
