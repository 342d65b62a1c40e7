import hashlib
from datetime import UTC, datetime, timedelta

from analytics.decisions.sessions import (
    LoginLimit,
    clear_failures,
    end_session,
    live_session,
    record_failure,
    seconds_locked_out,
    start_session,
)
from analytics.decisions.users import set_active

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
LIMIT = LoginLimit(max_failures=3, window=timedelta(minutes=5))


def test_a_session_lives_until_it_expires(conn, people):
    user = people["reviewer"]
    token, session = start_session(conn, user, timedelta(hours=8), NOW)
    assert session.expires_at == NOW + timedelta(hours=8)
    found = live_session(conn, token, NOW + timedelta(hours=7, minutes=59))
    assert found is not None
    assert found.user == user
    assert found.csrf_token == session.csrf_token
    assert live_session(conn, token, NOW + timedelta(hours=8)) is None


def test_the_store_keeps_only_a_digest_of_the_token(conn, people):
    token, _ = start_session(conn, people["reviewer"], timedelta(hours=1), NOW)
    stored = conn.execute("select token_sha256 from sessions").fetchone()[0]
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert live_session(conn, stored, NOW) is None


def test_each_session_gets_its_own_tokens(conn, people):
    first_token, first = start_session(conn, people["reviewer"], timedelta(hours=1), NOW)
    second_token, second = start_session(conn, people["reviewer"], timedelta(hours=1), NOW)
    assert first_token != second_token
    assert first.csrf_token != second.csrf_token


def test_ending_a_session_logs_it_out(conn, people):
    token, _ = start_session(conn, people["reviewer"], timedelta(hours=1), NOW)
    end_session(conn, token)
    assert live_session(conn, token, NOW) is None


def test_a_deactivated_users_session_stops_working(conn, people):
    token, _ = start_session(conn, people["reviewer"], timedelta(hours=1), NOW)
    set_active(conn, "reviewer", False)
    assert live_session(conn, token, NOW) is None


def test_a_new_session_clears_expired_ones(conn, people):
    start_session(conn, people["reviewer"], timedelta(minutes=1), NOW)
    start_session(conn, people["reviewer"], timedelta(minutes=1), NOW + timedelta(minutes=2))
    assert conn.execute("select count(*) from sessions").fetchone()[0] == 1


def test_logins_lock_after_the_limit_until_the_first_failure_leaves_the_window(conn):
    for minute in (0, 1, 2):
        assert seconds_locked_out(conn, "li", "10.0.0.1", LIMIT, NOW) == 0
        record_failure(conn, "li", "10.0.0.1", LIMIT, NOW + timedelta(minutes=minute))
    # Three failures at 0, 1 and 2 min: locked until the first one is 5 min old.
    at_three = NOW + timedelta(minutes=3)
    assert seconds_locked_out(conn, "li", "10.0.0.1", LIMIT, at_three) == 120
    assert seconds_locked_out(conn, "Li", "10.0.0.1", LIMIT, at_three) == 120
    assert seconds_locked_out(conn, "li", "10.0.0.1", LIMIT, NOW + timedelta(minutes=5)) == 0


def test_the_lock_is_per_user_and_address(conn):
    for _ in range(3):
        record_failure(conn, "li", "10.0.0.1", LIMIT, NOW)
    assert seconds_locked_out(conn, "li", "10.0.0.2", LIMIT, NOW) == 0
    assert seconds_locked_out(conn, "wang", "10.0.0.1", LIMIT, NOW) == 0


def test_a_successful_login_clears_the_failures(conn):
    for _ in range(2):
        record_failure(conn, "li", "10.0.0.1", LIMIT, NOW)
    clear_failures(conn, "li", "10.0.0.1")
    record_failure(conn, "li", "10.0.0.1", LIMIT, NOW)
    assert seconds_locked_out(conn, "li", "10.0.0.1", LIMIT, NOW) == 0
