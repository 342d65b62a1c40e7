"""The queue of events to review: search, filters, sort order, counts and pages."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from analytics.decisions.queue_filter import UNKNOWN_PLATFORM, QueueQuery
from analytics.decisions.queue_read import camera_names, filter_options, queue_counts, queue_page
from analytics.decisions.store import utc_now
from review.deps import CurrentSession, Store, current_session, settings_of
from review.figures import STORE_SOURCE
from review.pages import render
from review.schemas import QueuePageQuery

router = APIRouter(dependencies=[Depends(current_session)])


@router.get("/")
def queue(
    request: Request,
    params: Annotated[QueuePageQuery, Query()],
    conn: Store,
    session: CurrentSession,
) -> Response:
    settings = settings_of(request)
    districts = session.user.districts
    query = params.filters()
    counts = queue_counts(conn, query, settings.timezone, districts)
    unfiltered = QueueQuery(status=query.status, sort=query.sort)
    totals = (
        counts
        if query == unfiltered
        else queue_counts(conn, unfiltered, settings.timezone, districts)
    )
    page_count = max(1, math.ceil(counts.for_status(query.status) / settings.page_size))
    page = min(params.page, page_count)
    rows = queue_page(
        conn, query, settings.timezone, page, settings.page_size, utc_now(), districts
    )
    options = filter_options(conn, districts)
    options["platform"] = [UNKNOWN_PLATFORM, *options["platform"]]
    context = {
        "query": query,
        "rows": rows,
        "counts": counts,
        "page": page,
        "page_count": page_count,
        "options": options,
        "camera_names": camera_names(conn, options["camera"]),
        "figures": totals,
        "figures_source": STORE_SOURCE,
    }
    return render(request, "queue.html", context)
