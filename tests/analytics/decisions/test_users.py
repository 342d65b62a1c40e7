from datetime import timedelta

import pytest

from analytics.decisions.sessions import live_session, start_session
from analytics.decisions.store import utc_now
from analytics.decisions.users import (
    User,
    add_user,
    authenticate,
    has_role,
    list_users,
    set_active,
)
from detectors.config.errors import InputError

PASSWORD = "correct horse 42"


def test_a_user_logs_in_with_the_right_password_only(conn):
    user = add_user(conn, "  Li.Ming ", "reviewer", PASSWORD)
    assert user.username == "li.ming"
    assert authenticate(conn, "LI.MING", PASSWORD) == user
    assert authenticate(conn, "li.ming", "wrong password") is None
    assert authenticate(conn, "nobody", PASSWORD) is None


def test_only_an_argon2_hash_of_the_password_is_stored(conn):
    add_user(conn, "li", "reviewer", PASSWORD)
    stored = conn.execute("select password_hash from users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "role", "password", "problem"),
    [
        ("li", "chief", PASSWORD, "role 'chief' is unknown"),
        ("li", "reviewer", "short", "too short"),
        ("l", "reviewer", PASSWORD, "not allowed"),
        ("li ming", "reviewer", PASSWORD, "not allowed"),
    ],
)
def test_bad_accounts_are_refused_with_the_fix(conn, name, role, password, problem):
    with pytest.raises(InputError, match=problem):
        add_user(conn, name, role, password)


def test_adding_an_existing_user_changes_role_and_password_and_ends_sessions(conn):
    first = add_user(conn, "li", "reviewer", PASSWORD)
    token, _ = start_session(conn, first, timedelta(hours=1), utc_now())
    again = add_user(conn, "li", "supervisor", "another password")
    assert again == User(first.user_id, "li", "supervisor")
    assert authenticate(conn, "li", PASSWORD) is None
    assert live_session(conn, token, utc_now()) is None


def test_a_deactivated_user_cannot_log_in_until_allowed_again(conn):
    add_user(conn, "li", "reviewer", PASSWORD)
    set_active(conn, "li", False)
    assert authenticate(conn, "li", PASSWORD) is None
    set_active(conn, "li", True)
    assert authenticate(conn, "li", PASSWORD) is not None
    assert [row["username"] for row in list_users(conn)] == ["li"]


def test_deactivating_an_unknown_user_says_how_to_add_one(conn):
    with pytest.raises(InputError, match="add-user"):
        set_active(conn, "ghost", False)


@pytest.mark.parametrize(
    ("role", "least", "expected"),
    [
        ("reviewer", "reviewer", True),
        ("reviewer", "supervisor", False),
        ("supervisor", "reviewer", True),
        ("supervisor", "admin", False),
        ("admin", "supervisor", True),
    ],
)
def test_each_role_may_do_what_the_roles_below_it_may(role, least, expected):
    assert has_role(User(1, "x", role), least) is expected
