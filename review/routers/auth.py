"""Logging in and out: the only pages a visitor without a session may see."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from analytics.decisions.sessions import (
    clear_failures,
    end_session,
    new_token,
    record_failure,
    seconds_locked_out,
    start_session,
)
from analytics.decisions.store import utc_now
from analytics.decisions.users import authenticate
from review.deps import (
    LOGIN_CSRF_COOKIE,
    LOGIN_ROUTE,
    SESSION_COOKIE,
    OptionalSession,
    Store,
    settings_of,
)
from review.pages import redirect, render, safe_next
from review.schemas import LoginForm

router = APIRouter()


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
    client_ip = request.client.host if request.client else "unknown"
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    now = utc_now()
    wait_s = seconds_locked_out(conn, form.username, client_ip, settings.login_limit, now)
    if wait_s:
        error = f"登录失败次数过多，请 {math.ceil(wait_s / 60)} 分钟后再试。"
        headers = {"Retry-After": str(wait_s)}
        return _login_form(request, token, form.next, error, status_code=429, headers=headers)
    user = authenticate(conn, form.username, form.password)
    if user is None:
        record_failure(conn, form.username, client_ip, settings.login_limit, now)
        return _login_form(request, token, form.next, "用户名或密码错误。", status_code=401)
    clear_failures(conn, form.username, client_ip)
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
def logout(request: Request, conn: Store) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(conn, token)
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
