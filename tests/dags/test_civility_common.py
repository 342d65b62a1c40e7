"""What every DAG shares, seen in the broken-camera runs: a task failing for good is reported to
the webhook and by email within seconds, with its error; Airflow's metrics and the pipeline's own
counters reach StatsD."""

from __future__ import annotations

from datetime import datetime

import pytest

pytestmark = pytest.mark.slow


def alerts_about(receiver, task: str) -> list:
    return [item for item in receiver.received if task in subject_of(item.body)]


def subject_of(body) -> str:
    return body["subject"] if isinstance(body, dict) else body["Subject"]


def test_a_failed_detect_reaches_the_webhook_within_a_minute(broken_camera, webhook_receiver):
    [alert] = alerts_about(webhook_receiver, "clip_analysis.analyse.detect[4]")
    failed_at = datetime.fromisoformat(broken_camera.failure["failed_at"])

    assert 0 <= (alert.at - failed_at).total_seconds() < 60
    assert alert.body["details"]["error"] == broken_camera.failure["error"]
    assert "Mars/Olympus" in alert.body["text"]


def test_the_run_report_names_the_failed_clip_by_email(broken_camera, smtp_receiver):
    [detect] = alerts_about(smtp_receiver, "clip_analysis.analyse.detect[4]")
    [report] = alerts_about(smtp_receiver, "clip_analysis.report")

    assert detect.body["To"] == "ops@example.org"
    assert subject_of(report.body).startswith("[traffic-civility] 任务失败")
    assert f"{broken_camera.clip_ids[4]} (sample-" in report.body.get_content()


def test_airflow_metrics_and_pipeline_counters_reach_statsd(broken_camera, statsd_lines):
    names = {line.split(":")[0] for line in statsd_lines}

    assert "airflow.ti.finish.clip_analysis.analyse__detect.failed" in names
    assert "airflow.civility.clips.failed" in names
    assert "airflow.civility.clips.analysed" in names
