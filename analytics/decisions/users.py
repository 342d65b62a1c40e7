"""Who may log in, with which role; passwords are kept as argon2id hashes only."""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.decisions.store import sql, to_text, utc_now, writing
from detectors.config.errors import InputError

Role = Literal["reviewer", "supervisor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
# Each role may do what the roles before it may.
_RANK = {role: rank for rank, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[\w.-]{2,32}$")


@dataclass(frozen=True)
class User:
    user_id: int
    username: str
    role: Role


def has_role(user: User, least: Role) -> bool:
    return _RANK[user.role] >= _RANK[least]


def normalise_username(name: str) -> str:
    return name.strip().casefold()


def add_user(conn: sqlite3.Connection, name: str, role: str, password: str) -> User:
    """Create the user, or give an existing one this role and password (ending its sessions)."""
    username = normalise_username(name)
    if not _USERNAME.match(username):
        raise InputError(
            f"user name '{name}' is not allowed: use 2-32 letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise InputError(f"role '{role}' is unknown; use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password is too short; use at least {MIN_PASSWORD_LENGTH} characters"
        )
    row = {
        "username": username,
        "role": role,
        "password_hash": _hasher().hash(password),
        "created_at": to_text(utc_now()),
    }
    with writing(conn):
        conn.execute(sql("users", "insert_user"), row)
        conn.execute(sql("sessions", "delete_user_sessions"), {"username": username})
    found = conn.execute(sql("users", "user_by_name"), {"username": username}).fetchone()
    return User(found["user_id"], found["username"], found["role"])


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> User | None:
    """The active user with this name and password, else None. An unknown name costs as much
    time as a wrong password, so that timing does not tell which names exist."""
    row = conn.execute(
        sql("users", "user_by_name"), {"username": normalise_username(name)}
    ).fetchone()
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
    return User(row["user_id"], row["username"], row["role"])


def list_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(sql("users", "all_users")).fetchall()


def set_active(conn: sqlite3.Connection, name: str, is_active: bool) -> None:
    """Allow or stop a user's logins; stopping also ends the user's open sessions."""
    username = normalise_username(name)
    with writing(conn):
        changed = conn.execute(
            sql("users", "set_active"), {"username": username, "is_active": int(is_active)}
        ).rowcount
        if not is_active:
            conn.execute(sql("sessions", "delete_user_sessions"), {"username": username})
    if not changed:
        raise InputError(f"there is no user '{name}'; add it with `civility review add-user`")


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    return _hasher().hash("not any user's password")
