"""Telling someone: task failures and the daily summary, to a webhook and by email.

Configured from the environment of the workers and of the DAG processor (which runs the
callbacks of tasks whose worker died):

- ``CIVILITY_ALERT_WEBHOOK``: URL that receives a JSON POST per alert; with
  ``CIVILITY_ALERT_WEBHOOK_FORMAT=wecom`` the body is a 企业微信/钉钉 group robot's text message
  (``{"msgtype": "text", "text": {"content": ...}}``), else ``{"subject", "text", "details"}``;
- ``CIVILITY_ALERT_EMAIL``: comma-separated recipients, sent through ``CIVILITY_SMTP_HOST``
  (default 127.0.0.1) : ``CIVILITY_SMTP_PORT`` (25), from ``CIVILITY_ALERT_EMAIL_FROM``, with
  ``CIVILITY_SMTP_USER`` / ``CIVILITY_SMTP_PASSWORD`` and ``CIVILITY_SMTP_STARTTLS=1`` if the
  server wants them. The password is never logged.

A channel that cannot be reached is logged as an error and the others are still tried: telling
someone must never be the reason a pipeline task fails.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr

log = logging.getLogger(__name__)
SUBJECT_PREFIX = "[traffic-civility]"


class AlertSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    webhook_url: str | None = None
    webhook_format: Literal["json", "wecom"] = "json"
    email_to: list[str] = []
    email_from: str = "traffic-civility@localhost"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    timeout_s: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AlertSettings:
        import os

        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "webhook_url": env.get("CIVILITY_ALERT_WEBHOOK") or None,
            "webhook_format": env.get("CIVILITY_ALERT_WEBHOOK_FORMAT") or "json",
            "email_to": [a.strip() for a in env.get("CIVILITY_ALERT_EMAIL", "").split(",") if a],
            "smtp_user": env.get("CIVILITY_SMTP_USER") or None,
            "smtp_password": env.get("CIVILITY_SMTP_PASSWORD") or None,
            "smtp_starttls": env.get("CIVILITY_SMTP_STARTTLS", "") in {"1", "true", "yes"},
        }
        for field_name, variable in (
            ("email_from", "CIVILITY_ALERT_EMAIL_FROM"),
            ("smtp_host", "CIVILITY_SMTP_HOST"),
            ("smtp_port", "CIVILITY_SMTP_PORT"),
        ):
            if env.get(variable):
                values[field_name] = env[variable]
        return cls.model_validate(values)


@dataclass(frozen=True)
class Alert:
    subject: str  # without the prefix
    text: str  # for people: Chinese first, ids and English details after
    details: dict[str, Any] = field(default_factory=dict)  # for machines


def send(alert: Alert, settings: AlertSettings) -> list[str]:
    """Deliver ``alert`` on every configured channel; the channels that took it."""
    delivered = []
    if settings.webhook_url:
        try:
            response = httpx.post(
                settings.webhook_url,
                json=webhook_body(alert, settings.webhook_format),
                timeout=settings.timeout_s,
            )
            response.raise_for_status()
            delivered.append("webhook")
        except httpx.HTTPError as error:
            log.error("alert %r: webhook %s failed: %s", alert.subject, settings.webhook_url, error)
    if settings.email_to:
        try:
            _send_email(email_message(alert, settings), settings)
            delivered.append("email")
        except (OSError, smtplib.SMTPException) as error:
            log.error(
                "alert %r: email through %s:%d failed: %s",
                alert.subject,
                settings.smtp_host,
                settings.smtp_port,
                error,
            )
    if not settings.webhook_url and not settings.email_to:
        log.warning(
            "alert %r: no channel configured (CIVILITY_ALERT_*): %s", alert.subject, alert.text
        )
    return delivered


def webhook_body(alert: Alert, webhook_format: str) -> dict[str, Any]:
    if webhook_format == "wecom":
        return {"msgtype": "text", "text": {"content": f"{alert.subject}\n{alert.text}"}}
    return {"subject": alert.subject, "text": alert.text, "details": alert.details}


def email_message(alert: Alert, settings: AlertSettings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{SUBJECT_PREFIX} {alert.subject}"
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message.set_content(alert.text)
    return message


def _send_email(message: EmailMessage, settings: AlertSettings) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


def task_failure_alert(context: Mapping[str, Any]) -> Alert:
    """The alert for a task that failed for good (its retries used up), from Airflow's context."""
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1)
    task = f"{ti.dag_id}.{ti.task_id}" + (f"[{map_index}]" if map_index >= 0 else "")
    error = context.get("exception")
    reason = (
        str(error)
        if error
        else "任务进程中止 (the task's process ended without an error: worker killed or lost)"
    )
    log_url = getattr(ti, "log_url", None)
    details = {
        "kind": "task_failed",
        "dag_id": ti.dag_id,
        "task_id": ti.task_id,
        "map_index": map_index,
        "run_id": ti.run_id,
        "try_number": getattr(ti, "try_number", None),
        "error": reason,
        "log_url": log_url,
    }
    text = "\n".join(
        [
            f"任务失败: {task}",
            f"运行 run: {ti.run_id}, 第 {details['try_number']} 次尝试 (attempt)",
            f"原因 error: {reason}",
            f"日志 log: {log_url or '-'}",
        ]
    )
    return Alert(f"任务失败 {task}", text, details)


def clip_failure_alert(failed: Mapping[str, Any], dag_id: str, run_id: str) -> Alert:
    """The alert for one clip a run could not analyse, from its entry in the run's report
    (``orchestration.analysis.analysis_report``): the clip, its camera, the reason, the fix."""
    clip = f"{failed['clip_id']} ({failed['camera_id']})"
    details = {"kind": "clip_failed", "dag_id": dag_id, "run_id": run_id, **failed}
    text = "\n".join(
        [
            f"片段分析失败 clip failed: {failed['clip_id']}",
            f"摄像头 camera: {failed['camera_id']}",
            f"文件 file: {failed['source']}",
            f"环节 stage: {failed['stage']}",
            f"原因 error: {failed['error']}",
            f"处理 fix: {failed['fix']}",
            f"运行 run: {dag_id} {run_id}",
        ]
    )
    return Alert(f"片段分析失败 {clip}", text, details)
