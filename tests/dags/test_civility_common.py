"""What every DAG shares, seen in the broken-camera runs: a clip that fails is told to the webhook
and by email once, by the run's report, with its camera, error and fix (neither its detect task
nor the failed report alerts again); Airflow's metrics and the pipeline's own counters reach
StatsD."""

from __future__ import annotations

from datetime import datetime

import pytest

pytestmark = pytest.mark.slow


def alerts_about(receiver, text: str) -> list:
    return [item for item in receiver.received if text in subject_of(item.body)]


def subject_of(body) -> str:
    return body["subject"] if isinstance(body, dict) else body["Subject"]


def test_a_failed_clip_reaches_the_webhook_once_with_camera_reason_and_fix(
    broken_camera, webhook_receiver
):
    [failed] = broken_camera.report["failed"]
    [alert] = alerts_about(webhook_receiver, failed["clip_id"])
    failed_at = datetime.fromisoformat(broken_camera.failure["failed_at"])

    assert alert.at >= failed_at
    assert alert.body["details"]["error"] == broken_camera.failure["error"]
    assert alert.body["details"]["camera_id"] == failed["camera_id"] == "sample-broken-02"
    assert "Mars/Olympus" in alert.body["text"]
    assert "处理 fix: 改正原因中指出的输入" in alert.body["text"]
    assert alerts_about(webhook_receiver, "clip_analysis.") == []  # no task alert on top


def test_the_failed_clip_is_told_once_by_email(broken_camera, smtp_receiver):
    [failed] = broken_camera.report["failed"]
    [mail] = alerts_about(smtp_receiver, failed["clip_id"])

    assert mail.body["To"] == "ops@example.org"
    assert subject_of(mail.body).startswith("[traffic-civility] 片段分析失败")
    assert "摄像头 camera: sample-broken-02" in mail.body.get_content()
    assert alerts_about(smtp_receiver, "clip_analysis.") == []


def test_airflow_metrics_and_pipeline_counters_reach_statsd(broken_camera, statsd_lines):
    names = {line.split(":")[0] for line in statsd_lines}

    assert "airflow.ti.finish.clip_analysis.analyse__detect.failed" in names
    assert "airflow.civility.clips.failed" in names
    assert "airflow.civility.clips.analysed" in names
