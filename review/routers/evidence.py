"""Evidence pictures and clips, for logged-in users only, from the evidence store only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse

from review.deps import current_session, settings_of
from review.evidence import MEDIA_TYPES, resolve_evidence_file

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/evidence/{requested:path}")
def evidence_file(request: Request, requested: str) -> FileResponse:
    path = resolve_evidence_file(settings_of(request).warehouse, requested)
    if path is None:
        raise HTTPException(404, "证据文件不存在。")
    # FileResponse answers byte-range requests, which the video player needs to seek and replay.
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix.lower()],
        headers={"Cache-Control": "private, max-age=3600"},
    )
