"""daily_summary after the pipeline's runs: the day's figures reach the operators' webhook and
are kept in the operations folder."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from analytics.board.weeks import last_complete_week

pytestmark = pytest.mark.slow


def test_the_summary_is_sent_and_kept(pipeline, webhook_receiver):
    run = pipeline.runs["daily_summary"]
    [kept] = (pipeline.data / "operations" / "summaries").glob("*.json")
    summary = json.loads(kept.read_text(encoding="utf-8"))
    sent = [
        body
        for body in webhook_receiver.bodies()
        if body["details"].get("kind") == "daily_summary"
        and body["details"]["until"] == summary["until"]
    ]

    assert run.state == "success"
    assert summary["count_clips_in"] == len(pipeline.clip_ids)
    assert summary["count_clips_analysed"] == len(pipeline.clip_ids)
    assert summary["count_events"] == 3
    assert summary["quarantined"] == {"unreadable": 1, "partial": 1, "too_short": 1, "duplicate": 1}
    until = datetime.fromisoformat(summary["until"])
    assert summary["board"]["week"] == last_complete_week("Asia/Shanghai", until)
    assert len(sent) == 1
    assert "完成分析 analysed: 2（事件 events: 3）" in sent[0]["text"]
