"""The review workbench: ``create_app(settings)`` builds the FastAPI application."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from analytics.decisions.queue_sync import sync_from_warehouse
from analytics.decisions.store import StoreUnavailable, open_store
from review.deps import Forbidden, LoginRequired, csrf_guard
from review.figures import store_figures
from review.guards import BodyLimit
from review.pages import make_templates, redirect, render
from review.routers import auth, board, decisions, events, evidence, queue, users
from review.schemas import FiguresSource
from review.settings import ReviewSettings
from review.syncer import QueueSyncer

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
# Scripts, styles and media from this site only, no inline script: an event's text that slipped
# past escaping still could not run. The pages are never framed.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(
    settings: ReviewSettings,
    *,
    figures: FiguresSource | None = None,
    sync: Callable[[], object] | None = None,
) -> FastAPI:
    """The workbench over ``settings.warehouse``.

    ``figures`` supplies the figures of /board (default: counted from the review store; the
    board's published figures can be passed instead); ``sync`` refreshes the queue (default:
    from the warehouse's ``fct_violations``), run in the background when
    ``settings.sync_enabled``.
    """
    app = FastAPI(
        title="文明交通违法审核工作台",
        docs_url=None,  # no page but the login page is open to visitors
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.settings = settings
    app.state.policy = settings.policy()
    app.state.templates = make_templates(settings)
    app.state.figures = figures or store_figures
    app.state.sync = sync or partial(sync_from_warehouse, settings.warehouse)
    app.state.hash_slots = threading.BoundedSemaphore(settings.max_concurrent_hashes)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, queue, events, decisions, evidence, board, users):
        app.include_router(module.router)
    # The last added runs first: the client's address is settled before anything else, and
    # the body cap's refusals pass through the security headers like every other answer.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.middleware("http")(_security_headers)
    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(StoreUnavailable, _store_unavailable)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: ReviewSettings = app.state.settings
    try:
        open_store(settings.warehouse).close()  # creates the store before the first request
    except StoreUnavailable as error:
        log.error("review store unavailable; every page will say so: %s", error)
    syncer = QueueSyncer(app.state.sync, settings.sync_interval_s)
    if settings.sync_enabled:
        syncer.start()
    try:
        yield
    finally:
        if settings.sync_enabled:
            syncer.stop()


async def _security_headers(request: Request, call_next) -> Response:
    response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    if response.headers.get("content-type", "").startswith("text/html"):
        # Pages show evidence: nothing stays in the browser's cache after logging out.
        response.headers["Cache-Control"] = "no-store"
    return response


async def _store_unavailable(request: Request, exc: Exception) -> Response:
    context = {
        "title": "审核库不可用",
        "text": "审核工作台无法打开审核库，请联系管理员。",
        "detail": str(exc),
    }
    return render(request, "message.html", context, status_code=503)


async def _to_login(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/"
    return redirect(f"/login?{urlencode({'next': target})}")


async def _forbidden(request: Request, exc: Exception) -> Response:
    return _message(request, 403, "无权操作", str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    # Our own errors carry a Chinese message; Starlette's carry the English status phrase.
    is_own = exc.detail != HTTPStatus(exc.status_code).phrase
    text = exc.detail if is_own else "页面不存在或请求无效。"
    return _message(request, exc.status_code, "出错了", text)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    return _message(request, 422, "请求无效", "提交或筛选的内容格式不正确，请检查后重试。")


def _message(request: Request, status_code: int, title: str, text: str) -> Response:
    context = {"title": title, "text": text, "detail": None}
    return render(request, "message.html", context, status_code=status_code)
