"""Request dependencies: the store connection, the session, role checks and the CSRF guard."""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request

from analytics.decisions.sessions import Session, live_session
from analytics.decisions.store import open_store, utc_now
from analytics.decisions.users import Role, has_role
from review.settings import ReviewSettings

SESSION_COOKIE = "review_session"
LOGIN_CSRF_COOKIE = "review_login_csrf"
LOGIN_ROUTE = "login_submit"  # the one POST made before a session exists
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Exception):
    """No live session: the browser is sent to the login page."""


class Forbidden(Exception):
    """A live session whose role may not do this; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def settings_of(request: Request) -> ReviewSettings:
    return request.app.state.settings


def client_address(request: Request) -> str:
    """The client's address: the TCP peer's, or the one a trusted proxy forwarded (the app's
    proxy middleware rewrote it then; an untrusted peer's X-Forwarded-For is never read)."""
    return request.client.host if request.client else "unknown"


def store(request: Request) -> Iterator[sqlite3.Connection]:
    conn = open_store(settings_of(request).warehouse)
    try:
        yield conn
    finally:
        conn.close()


Store = Annotated[sqlite3.Connection, Depends(store)]


def optional_session(request: Request, conn: Store) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    settings = settings_of(request)
    session = live_session(conn, token, utc_now(), settings.idle_timeout) if token else None
    request.state.session = session  # for the page templates (user name, CSRF token)
    return session


OptionalSession = Annotated[Session | None, Depends(optional_session)]


def current_session(session: OptionalSession) -> Session:
    if session is None:
        raise LoginRequired()
    return session


CurrentSession = Annotated[Session, Depends(current_session)]


def require_role(least: Role) -> Callable[[Session], Session]:
    def check(session: CurrentSession) -> Session:
        if not has_role(session.user, least):
            raise Forbidden("您的账号没有权限访问此页面。")
        return session

    return check


async def csrf_guard(request: Request, session: OptionalSession) -> None:
    """Every state-changing request must carry the form field ``csrf_token``: the session's
    token, or before login the token of the login page's cookie (double submit)."""
    if request.method in _SAFE_METHODS:
        return
    route = request.scope.get("route")
    if getattr(route, "name", None) == LOGIN_ROUTE:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    else:
        expected = session.csrf_token if session else None
    sent = (await request.form()).get("csrf_token")
    if not expected or not isinstance(sent, str) or not _same(sent, expected):
        raise Forbidden("表单已失效（安全校验未通过），请刷新页面后重试。")


def _same(sent: str, expected: str) -> bool:
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))
