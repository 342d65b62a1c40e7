"""Rendering pages: the Jinja2 environment (autoescaped, strict), its filters and the links
that carry a reviewer's queue filters from page to page."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from analytics.decisions.queue_filter import QueueQuery
from review import labels
from review.settings import ReviewSettings

TEMPLATES_DIR = Path(__file__).with_name("templates")


def make_templates(settings: ReviewSettings) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every page, whatever its file name: event data is never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local_time"] = partial(local_time, timezone=settings.timezone)
    env.globals.update(
        labels=labels,
        queue_url=queue_url,
        event_url=event_url,
        evidence_url=evidence_url,
        timezone=settings.timezone,
    )
    return Jinja2Templates(env=env)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    session = getattr(request.state, "session", None)
    base = {
        "user": session.user if session else None,
        "csrf_token": session.csrf_token if session else "",
    }
    return request.app.state.templates.TemplateResponse(
        request, template, {**base, **(context or {})}, status_code=status_code, headers=headers
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_time(value: str | datetime | None, timezone: str) -> str:
    """A stored UTC instant as wall-clock time in the workbench's zone; '未知' when unknown."""
    if not value:
        return "未知"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S")


def query_params(query: QueueQuery) -> dict[str, str]:
    """The filters that differ from the defaults, as URL parameters."""
    return {key: str(value) for key, value in query.model_dump(exclude_defaults=True).items()}


def queue_url(query: QueueQuery, page: int = 1) -> str:
    params = query_params(query) | ({"page": str(page)} if page > 1 else {})
    return "/" + (f"?{urlencode(params)}" if params else "")


def event_url(event_id: str, query: QueueQuery, suffix: str = "") -> str:
    params = query_params(query)
    path = f"/events/{quote(event_id, safe='')}{suffix}"
    return path + (f"?{urlencode(params)}" if params else "")


def evidence_url(relative_path: str) -> str:
    return "/evidence/" + "/".join(quote(part, safe="=") for part in relative_path.split("/"))


def safe_next(target: str | None) -> str:
    """Where to go after login: a path of this site only, never another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target
