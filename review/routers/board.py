"""The review figures: events by status, confirmed violations by rule and courier platform."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from review.deps import current_session, settings_of
from review.pages import render

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/board")
def board(request: Request) -> Response:
    figures = request.app.state.figures(settings_of(request).warehouse)
    context = {"figures": figures, "figures_source": figures.source}
    return render(request, "board.html", context)
