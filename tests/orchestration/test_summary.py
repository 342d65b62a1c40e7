"""The daily summary: the day's figures from the store and quarantine, failures, the board's
last outcome and the disks, as an alert in Chinese with ids and English beside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orchestration.ingest import ingest_clip
from orchestration.store import ClipStore, write_json
from orchestration.summary import daily_summary, summary_alert

UNTIL = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
DAY = UNTIL - timedelta(hours=12)


def test_the_days_figures_and_the_state_at_its_end(drop_clip, camera_file, locations, landing):
    store = ClipStore(locations.store)
    ids = []
    for hour, when in ((8, DAY), (9, DAY), (10, UNTIL - timedelta(days=3))):
        name = f"test-cam-01_20261116T{hour:02d}0000.mp4"
        drop_clip(name, frames=20 + hour)
        ids.append(ingest_clip(landing, name, locations, now=when).clip_id)
    drop_clip("test-cam-01_20261116T110000.mp4", frames=5)  # too short
    ingest_clip(landing, "test-cam-01_20261116T110000.mp4", locations, now=DAY)
    store.mark_analysed(ids[0], {"count_events": 4, "analysed_at": DAY.isoformat()})
    store.record_failure(ids[1], {"stage": "detect", "error": "camera file broken"})
    write_json(
        locations.operations / "boards" / "2026-W47.json",
        {"week": "2026-W47", "status": "published", "revision": 2},
    )

    summary = daily_summary(locations, UNTIL - timedelta(days=1), UNTIL, "2026-W47")

    assert summary["count_clips_in"] == 2
    assert (summary["count_clips_analysed"], summary["count_events"]) == (1, 4)
    assert summary["quarantined"] == {"too_short": 1}
    assert summary["quarantined_files"][0]["file"] == "test-cam-01_20261116T110000.mp4"
    assert summary["count_clips_pending"] == 2
    assert summary["failed"] == [
        {"clip_id": ids[1], "stage": "detect", "error": "camera file broken"}
    ]
    assert summary["board"] == {"week": "2026-W47", "status": "published", "revision": 2}
    text = summary_alert(summary).text
    assert "隔离 quarantined: 1 — 过短 too_short 1" in text
    assert f"  - {ids[1]} (detect): camera file broken" in text
    assert "榜单 board 2026-W47: 已发布 published，第 2 版 (rev 002)" in text
    assert "磁盘 disk: 尚无整理报告 (no housekeeping report yet)" in text


def test_a_refused_board_and_the_disks_are_stated(locations):
    write_json(
        locations.operations / "boards" / "2026-W47.json",
        {
            "week": "2026-W47",
            "status": "refused",
            "reason": "below_coverage",
            "message": "覆盖不足",
        },
    )
    disk = {"warehouse": {"path": "/wh", "used_bytes": 2_500_000_000, "free_bytes": 10**11}}
    write_json(locations.operations / "housekeeping.json", {"disk": disk})

    text = summary_alert(daily_summary(locations, DAY, UNTIL, "2026-W47")).text

    assert "榜单 board 2026-W47: 未发布 refused（below_coverage: 覆盖不足）" in text
    assert "磁盘 disk warehouse: 占用 used 2.50 GB，剩余 free 100.00 GB" in text
