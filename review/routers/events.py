"""One event's page: the evidence, why the rule fired, the decision form and its history."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from analytics.decisions.decisions import REASON_CODES, audit_trail, current_decision
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_read import neighbour, queue_event
from analytics.decisions.sessions import Session
from analytics.decisions.users import has_role
from review import labels
from review.deps import CurrentSession, Store, current_session, settings_of
from review.evidence import read_evidence_folder
from review.explain import explain
from review.pages import render

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/events/{event_id}")
def event_page(
    request: Request,
    event_id: str,
    query: Annotated[QueueQuery, Query()],
    conn: Store,
    session: CurrentSession,
) -> Response:
    return render_event(request, conn, session, event_id, query)


def render_event(
    request: Request,
    conn: sqlite3.Connection,
    session: Session,
    event_id: str,
    query: QueueQuery,
    status_code: int = 200,
    **notices: Any,
) -> Response:
    """The event page; ``notices`` (``problems``, ``conflict``, ``attempted``) explain why a
    submitted decision was not stored."""
    row = queue_event(conn, event_id)
    if row is None:
        raise HTTPException(404, "该事件不存在，或已不在审核队列中。")
    event = dict(row)
    settings = settings_of(request)
    decision = current_decision(conn, event_id)
    context = {
        "event": event,
        "query": query,
        "decision": decision,
        "audit": audit_trail(conn, event_id),
        "evidence": read_evidence_folder(settings.warehouse, event["evidence_path"]),
        "why": explain(event),
        "next_id": neighbour(conn, query, settings.timezone, event_id),
        "previous_id": neighbour(conn, query, settings.timezone, event_id, reverse=True),
        "may_decide": decision is None or has_role(session.user, "supervisor"),
        "platform_choices": platform_choices(event["detected_platform"]),
        "reason_codes": REASON_CODES,
        "problems": [],
        "conflict": None,
        "attempted": None,
        **notices,
    }
    return render(request, "event.html", context, status_code=status_code)


def platform_choices(detected: str | None) -> dict[str, str]:
    """The platforms a reviewer may pick ('' keeps it unknown); the detected one is always
    offered, even if the livery profiles no longer list it."""
    choices = {"": labels.platform(None), **labels.platforms()}
    if detected and detected not in choices:
        choices[detected] = detected
    return choices
