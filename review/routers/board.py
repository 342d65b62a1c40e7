"""The review figures: events by status, confirmed violations by rule, courier platform and
disposition, fines; within the reviewer's districts."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from review.deps import CurrentSession, current_session, settings_of
from review.pages import render

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/board")
def board(request: Request, session: CurrentSession) -> Response:
    figures = request.app.state.figures(settings_of(request).warehouse, session.user.districts)
    context = {"figures": figures, "figures_source": figures.source}
    return render(request, "board.html", context)
