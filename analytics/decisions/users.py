"""Who may log in, with which role and over which districts; passwords are kept as argon2id
hashes only. Every account change is written to the security log in its own transaction, and
the last active admin can be neither stopped nor demoted (nobody could manage accounts)."""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.decisions.security_log import log_security
from analytics.decisions.store import sql, to_text, utc_now, writing
from detectors.config.errors import InputError

Role = Literal["reviewer", "supervisor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
# Each role may do what the roles before it may.
_RANK = {role: rank for rank, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[\w.-]{2,32}$")
SYSTEM_ACTOR = "(命令行)"  # changes made with `civility review ...` on the server itself


@dataclass(frozen=True)
class User:
    user_id: int
    username: str
    role: Role
    districts: tuple[str, ...] | None = None  # None: every district


class AccountRefused(InputError):
    """An account change that was not made; ``code`` names why for a user interface."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def has_role(user: User, least: Role) -> bool:
    return _RANK[user.role] >= _RANK[least]


def may_see_district(user: User, district: str | None) -> bool:
    return user.districts is None or district in user.districts


def normalise_username(name: str) -> str:
    return name.strip().casefold()


def add_user(
    conn: sqlite3.Connection,
    name: str,
    role: str,
    password: str,
    *,
    districts: Iterable[str] | None = None,
    actor: str = SYSTEM_ACTOR,
    client_ip: str | None = None,
) -> User:
    """Create the user, or reset an existing one's password and role (ending its sessions; a
    stopped account stays stopped). ``districts`` limits what the user sees; None keeps an
    existing user's districts, or gives a new one every district."""
    username = _checked_name(name)
    if role not in ROLES:
        raise AccountRefused(
            "unknown_role", f"role '{role}' is unknown; use one of {', '.join(ROLES)}"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused(
            "short_password",
            f"the password is too short; use at least {MIN_PASSWORD_LENGTH} characters",
        )
    now = utc_now()
    password_hash = _hasher().hash(password)
    chosen = None if districts is None else districts_text(districts)
    with writing(conn):
        before = _row(conn, username)
        if before is None:
            row = {"username": username, "role": role, "password_hash": password_hash}
            conn.execute(
                sql("users", "insert_user"),
                {**row, "districts": chosen, "created_at": to_text(now)},
            )
            log_security(conn, "user_added", now, actor, client_ip, username, f"role={role}")
        else:
            if before["role"] == "admin" and role != "admin":
                _refuse_if_last_admin(conn, username)
            conn.execute(
                sql("users", "reset_user"),
                {"username": username, "role": role, "password_hash": password_hash},
            )
            conn.execute(sql("sessions", "delete_user_sessions"), {"username": username})
            log_security(conn, "password_reset", now, actor, client_ip, username)
            if before["role"] != role:
                detail = f"{before['role']} -> {role}"
                log_security(conn, "role_changed", now, actor, client_ip, username, detail)
        if chosen is not None and (before is None or before["districts"] != chosen):
            conn.execute(sql("users", "set_districts"), {"username": username, "districts": chosen})
            if before is not None:
                log_security(conn, "districts_changed", now, actor, client_ip, username, chosen)
    return find_user(conn, username)  # type: ignore[return-value]


def set_districts(
    conn: sqlite3.Connection,
    name: str,
    districts: Iterable[str] | None,
    *,
    actor: str = SYSTEM_ACTOR,
    client_ip: str | None = None,
) -> None:
    """Limit a user to these districts (None: every district)."""
    username = normalise_username(name)
    chosen = None if districts is None else districts_text(districts)
    with writing(conn):
        if _row(conn, username) is None:
            raise _unknown(name)
        conn.execute(sql("users", "set_districts"), {"username": username, "districts": chosen})
        log_security(conn, "districts_changed", utc_now(), actor, client_ip, username, chosen)


def set_active(
    conn: sqlite3.Connection,
    name: str,
    is_active: bool,
    *,
    actor: str = SYSTEM_ACTOR,
    client_ip: str | None = None,
) -> None:
    """Allow or stop a user's logins; stopping also ends the user's open sessions."""
    username = normalise_username(name)
    with writing(conn):
        before = _row(conn, username)
        if before is None:
            raise _unknown(name)
        if not is_active and before["role"] == "admin":
            _refuse_if_last_admin(conn, username)
        conn.execute(
            sql("users", "set_active"), {"username": username, "is_active": int(is_active)}
        )
        if not is_active:
            conn.execute(sql("sessions", "delete_user_sessions"), {"username": username})
        action = "user_allowed" if is_active else "user_stopped"
        log_security(conn, action, utc_now(), actor, client_ip, username)


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> User | None:
    """The active user with this name and password, else None. An unknown name costs as much
    time as a wrong password, so that timing does not tell which names exist."""
    row = _row(conn, normalise_username(name))
    stored_hash = row["password_hash"] if row else _dummy_hash()
    try:
        _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row["is_active"]:
        return None
    if _hasher().check_needs_rehash(stored_hash):
        with writing(conn):
            conn.execute(
                sql("users", "set_password_hash"),
                {"username": row["username"], "password_hash": _hasher().hash(password)},
            )
    return user_of(row)


def find_user(conn: sqlite3.Connection, name: str) -> User | None:
    row = _row(conn, normalise_username(name))
    return None if row is None else user_of(row)


def list_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(sql("users", "all_users")).fetchall()


def user_of(row: sqlite3.Row) -> User:
    """A user from a row with user_id, username, role and districts."""
    districts = row["districts"]
    return User(
        row["user_id"],
        row["username"],
        row["role"],
        None if districts is None else tuple(json.loads(districts)),
    )


def districts_text(districts: Iterable[str]) -> str:
    """The stored form: a sorted JSON array of distinct, non-blank names."""
    names = sorted({name.strip() for name in districts if name.strip()})
    if not names:
        raise AccountRefused("no_districts", "give at least one district, or none for all")
    return json.dumps(names, ensure_ascii=False)


def _checked_name(name: str) -> str:
    username = normalise_username(name)
    if not _USERNAME.match(username):
        raise AccountRefused(
            "bad_username",
            f"user name '{name}' is not allowed: use 2-32 letters, digits, '.', '_' or '-'",
        )
    return username


def _row(conn: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    return conn.execute(sql("users", "user_by_name"), {"username": username}).fetchone()


def _refuse_if_last_admin(conn: sqlite3.Connection, username: str) -> None:
    others = conn.execute(sql("users", "count_other_admins"), {"username": username}).fetchone()[0]
    if not others:
        raise AccountRefused(
            "last_admin",
            f"'{username}' is the last active admin; make another user admin first",
        )


def _unknown(name: str) -> AccountRefused:
    return AccountRefused(
        "unknown_user", f"there is no user '{name}'; add it with `civility review add-user`"
    )


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    return _hasher().hash("not any user's password")
