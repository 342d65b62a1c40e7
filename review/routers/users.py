"""User accounts, for admins: list, add (or reset a password), limit to districts, stop or
allow logins; and the security log (logins, failed logins, account changes, evidence views)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from analytics.decisions.security_log import recent_entries
from analytics.decisions.sessions import Session
from analytics.decisions.users import (
    ROLES,
    AccountRefused,
    add_user,
    list_users,
    normalise_username,
    set_active,
    set_districts,
    user_of,
)
from review import labels
from review.deps import Store, client_address, require_role
from review.pages import redirect, render
from review.schemas import NewUserForm, UserActiveForm, UserDistrictsForm, district_list

Admin = Annotated[Session, Depends(require_role("admin"))]
router = APIRouter(dependencies=[Depends(require_role("admin"))])


@router.get("/users")
def users_page(request: Request, conn: Store) -> Response:
    return _users_page(request, conn)


@router.post("/users")
def create_user(
    request: Request, form: Annotated[NewUserForm, Form()], conn: Store, admin: Admin
) -> Response:
    return _change(
        request,
        conn,
        lambda who: add_user(
            conn,
            form.username,
            form.role,
            form.password,
            districts=district_list(form.districts),
            **who,
        ),
        admin,
    )


@router.post("/users/{username}/active")
def change_active(
    request: Request,
    username: str,
    form: Annotated[UserActiveForm, Form()],
    conn: Store,
    admin: Admin,
) -> Response:
    if normalise_username(username) == admin.user.username and not form.is_active:
        return _users_page(request, conn, labels.problem("own_account"), 422)
    return _change(
        request, conn, lambda who: set_active(conn, username, form.is_active, **who), admin
    )


@router.post("/users/{username}/districts")
def change_districts(
    request: Request,
    username: str,
    form: Annotated[UserDistrictsForm, Form()],
    conn: Store,
    admin: Admin,
) -> Response:
    districts = district_list(form.districts)
    return _change(
        request, conn, lambda who: set_districts(conn, username, districts, **who), admin
    )


@router.get("/users/log")
def security_log_page(request: Request, conn: Store) -> Response:
    return render(request, "security_log.html", {"entries": recent_entries(conn)})


def _change(
    request: Request, conn: Store, change: Callable[[dict], object], admin: Session
) -> Response:
    """Make an account change as ``admin`` (for the security log), then show the accounts;
    a refused change is explained on the page instead."""
    try:
        change({"actor": admin.user.username, "client_ip": client_address(request)})
    except AccountRefused as exc:
        status = 404 if exc.code == "unknown_user" else 422
        return _users_page(request, conn, f"无法保存：{labels.problem(exc.code)}", status)
    return redirect("/users")


def _users_page(
    request: Request, conn: Store, problem: str | None = None, status_code: int = 200
) -> Response:
    accounts = [(row, user_of(row)) for row in list_users(conn)]
    context = {"accounts": accounts, "roles": ROLES, "problem": problem}
    return render(request, "users.html", context, status_code=status_code)
