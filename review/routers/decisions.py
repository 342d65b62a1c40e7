"""Deciding an event: confirm, or reject with a reason; a supervisor may overturn.

A decision carries the version the reviewer saw. When someone else decided in between, the
event page comes back with status 409 showing that decision, and nothing is overwritten.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response
from pydantic import ValidationError

from analytics.decisions.decisions import DecisionConflict, DecisionRefused, decide
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_read import neighbour, queue_event
from analytics.decisions.store import utc_now
from review import labels
from review.deps import CurrentSession, Store, current_session, settings_of
from review.pages import event_url, queue_url, redirect
from review.routers.events import platform_choices, render_event
from review.schemas import DecisionForm

router = APIRouter(dependencies=[Depends(current_session)])


@router.post("/events/{event_id}/decision")
def submit_decision(
    request: Request,
    event_id: str,
    form: Annotated[DecisionForm, Form()],
    query: Annotated[QueueQuery, Query()],
    conn: Store,
    session: CurrentSession,
) -> Response:
    event = queue_event(conn, event_id)
    if event is None:
        raise HTTPException(404, "该事件不存在，或已不在审核队列中。")
    try:
        change = form.change()
    except ValidationError as exc:
        problems = sorted({labels.problem(error["type"]) for error in exc.errors()})
        return render_event(request, conn, session, event_id, query, 422, problems=problems)
    if (change.courier_platform or "") not in platform_choices(event["detected_platform"]):
        problems = [labels.problem("unknown_platform")]
        return render_event(request, conn, session, event_id, query, 422, problems=problems)
    try:
        decide(conn, event_id, change, form.version, session.user, utc_now())
    except DecisionConflict as exc:
        return render_event(
            request, conn, session, event_id, query, 409, conflict=exc.current, attempted=change
        )
    except DecisionRefused as exc:
        status = 403 if exc.code == "overturn_not_permitted" else 422
        problems = [labels.problem(exc.code)]
        return render_event(request, conn, session, event_id, query, status, problems=problems)
    next_id = neighbour(conn, query, settings_of(request).timezone, event_id)
    return redirect(event_url(next_id, query) if next_id else queue_url(query))
