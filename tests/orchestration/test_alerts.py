"""Alerts: settings from the environment (the password never shown), delivery to a webhook and
by email on loopback, a dead channel logged without stopping the others, the failure alerts of a
task and of a clip."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from orchestration.alerts import (
    Alert,
    AlertSettings,
    clip_failure_alert,
    send,
    task_failure_alert,
    webhook_body,
)

ALERT = Alert("任务失败 example.task", "原因 error: 2 of 5 clip(s) failed", {"kind": "x"})


def settings_for(webhook_receiver=None, smtp_receiver=None, **env) -> AlertSettings:
    if webhook_receiver:
        env["CIVILITY_ALERT_WEBHOOK"] = webhook_receiver.address
    if smtp_receiver:
        host, port = smtp_receiver.address.split(":")
        env.update(
            CIVILITY_ALERT_EMAIL="ops@example.org, duty@example.org",
            CIVILITY_SMTP_HOST=host,
            CIVILITY_SMTP_PORT=port,
        )
    return AlertSettings.from_env(env)


def test_settings_come_from_the_environment_and_hide_the_password():
    settings = AlertSettings.from_env(
        {
            "CIVILITY_ALERT_EMAIL": "a@example.org,b@example.org",
            "CIVILITY_SMTP_PASSWORD": "s3cret",
            "CIVILITY_SMTP_PORT": "2525",
            "CIVILITY_ALERT_WEBHOOK_FORMAT": "wecom",
        }
    )

    assert settings.email_to == ["a@example.org", "b@example.org"]
    assert settings.smtp_port == 2525
    assert settings.webhook_format == "wecom"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.model_dump())


def test_an_alert_reaches_the_webhook_and_the_mailbox(webhook_receiver, smtp_receiver):
    delivered = send(ALERT, settings_for(webhook_receiver, smtp_receiver))

    assert delivered == ["webhook", "email"]
    assert webhook_receiver.bodies()[-1] == {
        "subject": ALERT.subject,
        "text": ALERT.text,
        "details": {"kind": "x"},
    }
    message = smtp_receiver.received[-1].body
    assert message["Subject"] == f"[traffic-civility] {ALERT.subject}"
    assert message["To"] == "ops@example.org, duty@example.org"
    assert message.get_content().strip() == ALERT.text


def test_a_group_robot_gets_its_own_text_message():
    assert webhook_body(ALERT, "wecom") == {
        "msgtype": "text",
        "text": {"content": f"{ALERT.subject}\n{ALERT.text}"},
    }


def test_a_dead_channel_is_logged_and_the_others_still_tried(smtp_receiver, caplog):
    settings = settings_for(
        smtp_receiver=smtp_receiver, CIVILITY_ALERT_WEBHOOK="http://127.0.0.1:9/"
    )
    before = len(smtp_receiver.received)

    with caplog.at_level(logging.ERROR):
        delivered = send(ALERT, settings)

    assert delivered == ["email"]
    assert len(smtp_receiver.received) == before + 1
    assert "webhook http://127.0.0.1:9/ failed" in caplog.text


def test_with_no_channel_the_alert_is_only_logged(caplog):
    with caplog.at_level(logging.WARNING):
        assert send(ALERT, AlertSettings()) == []
    assert "no channel configured" in caplog.text


def test_a_task_failure_names_the_task_its_error_and_its_log():
    ti = SimpleNamespace(
        dag_id="clip_analysis",
        task_id="analyse.detect",
        map_index=4,
        run_id="manual__1",
        try_number=1,
        log_url="http://127.0.0.1:8080/log",
    )

    alert = task_failure_alert({"ti": ti, "exception": ValueError("bad time zone")})

    assert alert.subject == "任务失败 clip_analysis.analyse.detect[4]"
    assert "原因 error: bad time zone" in alert.text
    assert alert.details["log_url"] == "http://127.0.0.1:8080/log"
    lost = task_failure_alert({"ti": ti})
    assert "worker killed or lost" in lost.details["error"]


def test_a_clip_failure_names_the_clip_its_camera_the_reason_and_the_fix():
    failed = {
        "clip_id": "e8ceb153136d5b8a",
        "camera_id": "sample-broken-02",
        "source": "sample-20261123120000.mp4",
        "stage": "detect",
        "error": "timezone: 'Mars/Olympus' is not an IANA time zone name",
        "fix": "改正原因中指出的输入 (fix the input the error names)",
    }

    alert = clip_failure_alert(failed, "clip_analysis", "manual__1")

    assert alert.subject == "片段分析失败 e8ceb153136d5b8a (sample-broken-02)"
    lines = alert.text.splitlines()
    assert "摄像头 camera: sample-broken-02" in lines
    assert f"原因 error: {failed['error']}" in lines
    assert f"处理 fix: {failed['fix']}" in lines
    assert (
        alert.details
        == {"kind": "clip_failed", "dag_id": "clip_analysis", "run_id": "manual__1"} | failed
    )
