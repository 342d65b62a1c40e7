"""Deciding an event: confirm with a disposition, or reject with a reason; a second reviewer
agrees or disputes; a supervisor rules on disputes and may overturn.

A decision carries the version the reviewer saw. When someone else decided in between, the
event page comes back with status 409 showing that decision, and nothing is overwritten. No
confirmation is stored while the event's evidence is missing or differs from what was loaded
(``decide`` refuses it; the page says why, status 422).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from pydantic import ValidationError

from analytics.decisions.decisions import decide
from analytics.decisions.models import DecisionConflict, DecisionRefused
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_read import neighbour
from analytics.decisions.store import utc_now
from review import labels
from review.deps import CurrentSession, Store, current_session, settings_of
from review.pages import event_url, queue_url, redirect
from review.routers.events import evidence_check, platform_choices, render_event, visible_event
from review.schemas import DecisionForm

router = APIRouter(dependencies=[Depends(current_session)])
# Refusals that are about who asks, not what they sent.
FORBIDDEN_CODES = {
    "overturn_not_permitted",
    "outside_districts",
    "second_review_same_user",
    "dispute_needs_supervisor",
    "dispute_needs_third_person",
}


@router.post("/events/{event_id}/decision")
def submit_decision(
    request: Request,
    event_id: str,
    form: Annotated[DecisionForm, Form()],
    query: Annotated[QueueQuery, Query()],
    conn: Store,
    session: CurrentSession,
) -> Response:
    settings = settings_of(request)
    event = visible_event(conn, event_id, session)
    check = evidence_check(request, event)

    def again(status: int, *problems: str, **notices) -> Response:
        """The event page again, with why nothing was stored and the form as it was sent."""
        sent = form.model_dump()
        return render_event(
            request,
            conn,
            session,
            event,
            check,
            query,
            status,
            problems=list(problems),
            sent=sent,
            **notices,
        )

    try:
        change = form.change()
    except ValidationError as exc:
        codes = sorted({error["type"] for error in exc.errors()})
        return again(422, *(labels.problem(code) for code in codes))
    if form.courier_platform not in platform_choices(event["detected_platform"], True):
        return again(422, labels.problem("unknown_platform"))
    if change.decision == "confirmed" and not form.courier_platform:
        return again(422, labels.problem("platform_unconfirmed"))
    try:
        decide(
            conn,
            event_id,
            change,
            form.version,
            session.user,
            utc_now(),
            request.app.state.policy,
            evidence=check.state,
        )
    except DecisionConflict as exc:
        return again(409, conflict=exc.current, attempted=change)
    except DecisionRefused as exc:
        status = (
            403 if exc.code in FORBIDDEN_CODES else 409 if exc.code == "claimed_by_other" else 422
        )
        return again(status, labels.problem(exc.code))
    next_id = neighbour(conn, query, settings.timezone, event_id, session.user, utc_now())
    return redirect(event_url(next_id, query) if next_id else queue_url(query))
