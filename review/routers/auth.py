"""Logging in and out: the only pages a visitor without a session may see.

A login is admitted by the rate limit before its password is hashed (atomically, so parallel
guesses cannot slip through together), and at most ``max_concurrent_hashes`` passwords are
hashed at once, which bounds the memory a burst of logins can take.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from analytics.decisions.claims import release_all
from analytics.decisions.login_limit import admit_attempt, settle_attempt
from analytics.decisions.security_log import log_security
from analytics.decisions.sessions import end_session, end_user_sessions, new_token, start_session
from analytics.decisions.store import utc_now
from analytics.decisions.users import authenticate
from review.deps import (
    LOGIN_CSRF_COOKIE,
    LOGIN_ROUTE,
    SESSION_COOKIE,
    CurrentSession,
    OptionalSession,
    Store,
    client_address,
    settings_of,
)
from review.pages import redirect, render, safe_next
from review.schemas import LoginForm

router = APIRouter()
HASH_WAIT_S = 30.0  # a login waiting longer than this for a free hashing slot is told to retry


@router.get("/login")
def login_page(request: Request, session: OptionalSession, next: str = "") -> Response:
    if session is not None:
        return redirect(safe_next(next))
    token = new_token()
    response = _login_form(request, token, safe_next(next))
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=settings_of(request).secure_cookies,
    )
    return response


@router.post("/login", name=LOGIN_ROUTE)
def login(request: Request, form: Annotated[LoginForm, Form()], conn: Store) -> Response:
    settings = settings_of(request)
    client_ip = client_address(request)
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    admission = admit_attempt(conn, form.username, client_ip, settings.login_limit, utc_now())
    if admission.attempt_id is None:
        wait_s = admission.retry_after_s
        error = f"登录失败次数过多，请 {math.ceil(wait_s / 60)} 分钟后再试。"
        headers = {"Retry-After": str(wait_s)}
        return _login_form(request, token, form.next, error, status_code=429, headers=headers)
    slots = request.app.state.hash_slots
    if not slots.acquire(timeout=HASH_WAIT_S):
        settle_attempt(
            conn,
            admission.attempt_id,
            form.username,
            client_ip,
            False,
            settings.login_limit,
            utc_now(),
        )
        error = "服务器繁忙，请稍后再试。"
        return _login_form(request, token, form.next, error, 503, {"Retry-After": "30"})
    try:
        user = authenticate(conn, form.username, form.password)
    finally:
        slots.release()
    now = utc_now()
    settle_attempt(
        conn,
        admission.attempt_id,
        form.username,
        client_ip,
        user is not None,
        settings.login_limit,
        now,
    )
    if user is None:
        return _login_form(request, token, form.next, "用户名或密码错误。", status_code=401)
    session_token, _ = start_session(conn, user, settings.session_lifetime, now)
    response = redirect(safe_next(form.next))
    response.set_cookie(
        SESSION_COOKIE,
        session_token,
        max_age=int(settings.session_lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, conn: Store, session: OptionalSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(conn, token)
    if session is not None:
        release_all(conn, session.user.username)
        log_security(conn, "logout", utc_now(), session.user.username, client_address(request))
    return _logged_out()


@router.post("/logout/everywhere")
def logout_everywhere(request: Request, conn: Store, session: CurrentSession) -> Response:
    """End every session of this user, on every browser (a lost phone, a shared screen)."""
    username = session.user.username
    ended = end_user_sessions(conn, username)
    release_all(conn, username)
    log_security(
        conn,
        "logout_everywhere",
        utc_now(),
        username,
        client_address(request),
        detail=f"sessions={ended}",
    )
    return _logged_out()


def _logged_out() -> Response:
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _login_form(
    request: Request,
    login_csrf: str,
    next_url: str,
    error: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {"login_csrf": login_csrf, "next": safe_next(next_url), "error": error}
    return render(request, "login.html", context, status_code=status_code, headers=headers)
