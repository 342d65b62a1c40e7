"""User accounts, for admins: list, add (or reset a password), stop or allow logins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from analytics.decisions.sessions import Session
from analytics.decisions.users import ROLES, add_user, list_users, normalise_username, set_active
from detectors.config.errors import InputError
from review.deps import Store, require_role
from review.pages import redirect, render
from review.schemas import NewUserForm, UserActiveForm

Admin = Annotated[Session, Depends(require_role("admin"))]
router = APIRouter(dependencies=[Depends(require_role("admin"))])


@router.get("/users")
def users_page(request: Request, conn: Store) -> Response:
    return _users_page(request, conn)


@router.post("/users")
def create_user(request: Request, form: Annotated[NewUserForm, Form()], conn: Store) -> Response:
    try:
        add_user(conn, form.username, form.role, form.password)
    except InputError as exc:
        return _users_page(request, conn, problem=f"无法保存：{exc}", status_code=422)
    return redirect("/users")


@router.post("/users/{username}/active")
def change_active(
    request: Request,
    username: str,
    form: Annotated[UserActiveForm, Form()],
    conn: Store,
    admin: Admin,
) -> Response:
    if normalise_username(username) == admin.user.username and not form.is_active:
        problem = "不能停用自己的账号。"
        return _users_page(request, conn, problem=problem, status_code=422)
    try:
        set_active(conn, username, form.is_active)
    except InputError as exc:
        return _users_page(request, conn, problem=f"无法修改：{exc}", status_code=404)
    return redirect("/users")


def _users_page(
    request: Request, conn: Store, problem: str | None = None, status_code: int = 200
) -> Response:
    context = {"users": list_users(conn), "roles": ROLES, "problem": problem}
    return render(request, "users.html", context, status_code=status_code)
