"""Evidence pictures and clips, for logged-in users only, from the evidence store only, never
kept in the browser's cache. Fetching a whole file is written to the security log, unless it is
part of a page view of its event already logged: the stills and the clip an event page shows."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse

from analytics.decisions.queue_read import evidence_event
from analytics.decisions.security_log import log_security, viewed_since
from analytics.decisions.store import utc_now
from analytics.decisions.users import may_see_district
from review.deps import CurrentSession, Store, client_address, current_session, settings_of
from review.evidence import MEDIA_TYPES, resolve_evidence_file

router = APIRouter(dependencies=[Depends(current_session)])
# How long after a user's page view of an event the files of its evidence they fetch are part of
# that view (the page's stills come at once; a reviewer may reload them while deciding).
PAGE_VIEW_COVERS = timedelta(minutes=15)


@router.get("/evidence/{requested:path}")
def evidence_file(
    request: Request, requested: str, conn: Store, session: CurrentSession
) -> FileResponse:
    path = resolve_evidence_file(settings_of(request).warehouse, requested)
    if path is None:
        raise HTTPException(404, "证据文件不存在。")
    user, now = session.user, utc_now()
    event = evidence_event(conn, requested.rsplit("/", 1)[0])
    district = event["district"] if event else None
    if user.districts is not None and not may_see_district(user, district):
        raise HTTPException(404, "证据文件不存在。")
    # A player's later byte ranges are the same viewing, and what an event's page shows is part
    # of the page view logged already.
    logged = "range" in request.headers or (
        event is not None
        and viewed_since(conn, user.username, event["event_id"], now - PAGE_VIEW_COVERS)
    )
    if not logged:
        log_security(
            conn, "evidence_viewed", now, user.username, client_address(request), requested
        )
    # FileResponse answers byte-range requests, which the video player needs to seek and replay.
    return FileResponse(
        path, media_type=MEDIA_TYPES[path.suffix.lower()], headers={"Cache-Control": "no-store"}
    )
