"""One event's page: the evidence and its check, why the rule fired, the decision form for the
step the event is at (first review, second review, a supervisor's ruling, an overturn), and the
decision's history. Opening the page claims the event for a reviewer who may act on it."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from analytics.decisions.claims import claim_event, live_claim
from analytics.decisions.decisions import audit_trail, current_decision, decision_history
from analytics.decisions.flow import next_action, refusal
from analytics.decisions.models import REASON_CODES, Decision
from analytics.decisions.policy import RulePolicy
from analytics.decisions.queue_filter import UNKNOWN_PLATFORM, QueueQuery
from analytics.decisions.queue_read import neighbour, queue_event
from analytics.decisions.security_log import log_security
from analytics.decisions.sessions import Session
from analytics.decisions.store import utc_now
from analytics.decisions.users import may_see_district
from analytics.warehouse.evidence import EvidenceCheck, check_evidence
from review import labels
from review.deps import CurrentSession, Store, client_address, current_session, settings_of
from review.evidence import evidence_view, view_names
from review.explain import explain
from review.pages import render

router = APIRouter(dependencies=[Depends(current_session)])
NOT_FOUND = "该事件不存在，或已不在审核队列中。"


@router.get("/events/{event_id}")
def event_page(
    request: Request,
    event_id: str,
    query: Annotated[QueueQuery, Query()],
    conn: Store,
    session: CurrentSession,
) -> Response:
    event = visible_event(conn, event_id, session)
    return render_event(
        request, conn, session, event, evidence_check(request, event), query, opened=True
    )


def visible_event(conn: sqlite3.Connection, event_id: str, session: Session) -> dict[str, Any]:
    """The queue row of an event the user may see (404 otherwise: outside their districts is
    as good as absent)."""
    row = queue_event(conn, event_id)
    if row is None or not may_see_district(session.user, row["district"]):
        raise HTTPException(404, NOT_FOUND)
    return dict(row)


def evidence_check(request: Request, event: dict[str, Any]) -> EvidenceCheck:
    """The event's evidence files against the digests loaded with it: every file is read, so
    a request checks them once and hands the check on."""
    warehouse = settings_of(request).warehouse
    return check_evidence(warehouse, event["evidence_path"], event["evidence_sha256_json"])


def render_event(
    request: Request,
    conn: sqlite3.Connection,
    session: Session,
    event: dict[str, Any],
    check: EvidenceCheck,
    query: QueueQuery,
    status_code: int = 200,
    opened: bool = False,
    **notices: Any,
) -> Response:
    """The page of ``event`` (a ``visible_event``), its evidence as ``check`` found it.
    ``opened``: a reviewer opening it (it is claimed and the view logged); ``notices``
    (``problems``, ``conflict``, ``attempted``, ``sent``) explain why a submitted decision was
    not stored, ``sent`` being the form to show again."""
    settings = settings_of(request)
    user, now = session.user, utc_now()
    event_id = event["event_id"]
    decision = current_decision(conn, event_id)
    history = decision_history(audit_trail(conn, event_id))
    view = evidence_view(check)
    refused = refusal(decision, user)
    acting = refused is None
    if acting and opened:
        held = claim_event(conn, event_id, user, now, settings.claim_lifetime)
    else:
        held = live_claim(conn, event_id, now)
    if opened:
        log_security(conn, "evidence_viewed", now, user.username, client_address(request), event_id)
    rule = request.app.state.policy.for_rule(event["rule"])
    names = view_names(settings.warehouse, view)
    context = {
        "event": event,
        "query": query,
        "decision": decision,
        "history": history,
        "first_proposal": history[-2].values if decision and decision.stage == "disputed" else None,
        "evidence": view,
        "place": labels.place(event, names),
        "why": explain(event, names),
        "next_id": neighbour(conn, query, settings.timezone, event_id, user, now),
        "previous_id": neighbour(conn, query, settings.timezone, event_id, user, now, True),
        "held_by": held.username if held and held.username != user.username else None,
        "held_until": held.expires_at if held else None,
        "mode": next_action(decision) if acting else None,
        "waiting_reason": labels.WAITING[refused.code] if refused else None,
        "rule_policy": rule,
        "form": notices.pop("sent", None) or form_values(decision, event, rule),
        "platform_choices": platform_choices(event["detected_platform"], decision is None),
        "reason_codes": REASON_CODES,
        "problems": [],
        "conflict": None,
        "attempted": None,
        **notices,
    }
    return render(request, "event.html", context, status_code=status_code)


def form_values(decision: Decision | None, event: dict[str, Any], rule: RulePolicy) -> dict:
    """What the form shows first: a new decision starts from the rule's usual disposition and
    an unconfirmed platform when one was detected; a second review, a ruling or an overturn
    starts from the current decision."""
    fine = rule.fine_yuan.default if rule.fine_yuan else ""
    if decision is None:
        platform = "" if event["detected_platform"] else UNKNOWN_PLATFORM
        return {
            "courier_platform": platform,
            "rider_code": "",
            "disposition": rule.default_disposition,
            "fine_yuan": fine,
            "reason_code": "",
            "comment": "",
        }
    return {
        "courier_platform": decision.courier_platform or UNKNOWN_PLATFORM,
        "rider_code": decision.rider_code or "",
        "disposition": decision.disposition or rule.default_disposition,
        "fine_yuan": decision.fine_yuan or fine,
        "reason_code": decision.reason_code or "",
        "comment": "",
    }


def platform_choices(detected: str | None, undecided: bool) -> dict[str, str]:
    """The platforms a reviewer may pick. While a detected platform awaits the reviewer's word
    there is a blank first choice, so that it is confirmed explicitly; the detected platform
    is always offered, even if the livery profiles no longer list it."""
    choices = {"": "— 请确认 —"} if detected and undecided else {}
    choices[UNKNOWN_PLATFORM] = "无法辨认"
    choices.update(labels.platforms())
    if detected and detected not in choices:
        choices[detected] = detected
    return choices
