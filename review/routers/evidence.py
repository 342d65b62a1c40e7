"""Evidence pictures and clips, for logged-in users only, from the evidence store only, never
kept in the browser's cache; fetching a whole file is written to the security log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse

from analytics.decisions.queue_read import evidence_district
from analytics.decisions.security_log import log_security
from analytics.decisions.store import utc_now
from analytics.decisions.users import may_see_district
from review.deps import CurrentSession, Store, client_address, current_session, settings_of
from review.evidence import MEDIA_TYPES, resolve_evidence_file

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/evidence/{requested:path}")
def evidence_file(
    request: Request, requested: str, conn: Store, session: CurrentSession
) -> FileResponse:
    path = resolve_evidence_file(settings_of(request).warehouse, requested)
    if path is None:
        raise HTTPException(404, "证据文件不存在。")
    limited = session.user.districts is not None
    folder = requested.rsplit("/", 1)[0]
    if limited and not may_see_district(session.user, evidence_district(conn, folder)):
        raise HTTPException(404, "证据文件不存在。")
    if "range" not in request.headers:  # a player's later byte ranges are the same viewing
        log_security(
            conn,
            "evidence_viewed",
            utc_now(),
            session.user.username,
            client_address(request),
            requested,
        )
    # FileResponse answers byte-range requests, which the video player needs to seek and replay.
    return FileResponse(
        path, media_type=MEDIA_TYPES[path.suffix.lower()], headers={"Cache-Control": "no-store"}
    )
