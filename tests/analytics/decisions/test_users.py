from datetime import timedelta

import pytest

from analytics.decisions.security_log import recent_entries
from analytics.decisions.sessions import live_session, start_session
from analytics.decisions.store import utc_now
from analytics.decisions.users import (
    AccountRefused,
    User,
    add_user,
    authenticate,
    find_user,
    has_role,
    list_users,
    may_see_district,
    set_active,
    set_districts,
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


def test_a_password_reset_never_lets_a_stopped_user_back_in(conn):
    add_user(conn, "li", "reviewer", PASSWORD)
    set_active(conn, "li", False)
    add_user(conn, "li", "reviewer", "a new password")
    assert authenticate(conn, "li", "a new password") is None
    set_active(conn, "li", True)
    assert authenticate(conn, "li", "a new password") is not None


def test_the_last_active_admin_can_be_neither_stopped_nor_demoted(conn):
    add_user(conn, "zhao", "admin", PASSWORD)
    with pytest.raises(AccountRefused) as caught:
        set_active(conn, "zhao", False)
    assert caught.value.code == "last_admin"
    with pytest.raises(AccountRefused, match="last active admin"):
        add_user(conn, "zhao", "reviewer", PASSWORD)
    add_user(conn, "qian", "admin", PASSWORD)
    add_user(conn, "zhao", "reviewer", PASSWORD)  # another admin exists now
    with pytest.raises(AccountRefused):
        set_active(conn, "qian", False)
    assert find_user(conn, "zhao").role == "reviewer"


def test_a_user_may_be_limited_to_districts(conn):
    user = add_user(conn, "li", "reviewer", PASSWORD, districts=["朝阳区", " 海淀区 ", "朝阳区"])
    assert user.districts == ("朝阳区", "海淀区")
    assert may_see_district(user, "海淀区") and not may_see_district(user, "东城区")
    assert add_user(conn, "li", "reviewer", PASSWORD).districts == ("朝阳区", "海淀区")
    set_districts(conn, "li", None)
    everywhere = authenticate(conn, "li", PASSWORD)
    assert everywhere.districts is None and may_see_district(everywhere, "东城区")
    with pytest.raises(AccountRefused) as caught:
        set_districts(conn, "li", [" "])
    assert caught.value.code == "no_districts"


def test_account_changes_are_in_the_security_log_with_who_made_them(conn):
    add_user(conn, "li", "reviewer", PASSWORD, actor="zhao", client_ip="10.0.0.5")
    add_user(conn, "li", "supervisor", "another password", actor="zhao")
    set_districts(conn, "li", ["朝阳区"], actor="zhao")
    set_active(conn, "li", False, actor="zhao")
    entries = [(e.action, e.username, e.target) for e in reversed(recent_entries(conn))]
    assert entries == [
        ("user_added", "zhao", "li"),
        ("password_reset", "zhao", "li"),
        ("role_changed", "zhao", "li"),
        ("districts_changed", "zhao", "li"),
        ("user_stopped", "zhao", "li"),
    ]
