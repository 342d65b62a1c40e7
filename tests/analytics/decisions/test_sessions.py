import hashlib
from datetime import UTC, datetime, timedelta

from analytics.decisions.sessions import (
    end_session,
    end_user_sessions,
    live_session,
    start_session,
)
from analytics.decisions.users import set_active

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)


def test_a_session_lives_until_it_expires(conn, people):
    user = people["reviewer"]
    token, session = start_session(conn, user, timedelta(hours=8), NOW)
    assert session.expires_at == NOW + timedelta(hours=8)
    found = live_session(conn, token, NOW + timedelta(hours=7, minutes=59))
    assert found is not None
    assert found.user == user
    assert found.csrf_token == session.csrf_token
    assert live_session(conn, token, NOW + timedelta(hours=8)) is None


def test_a_session_left_idle_ends_before_it_expires_and_use_keeps_it_alive(conn, people):
    token, _ = start_session(conn, people["reviewer"], timedelta(hours=8), NOW)
    for minutes in (20, 40, 60):  # used every 20 minutes: alive
        assert live_session(conn, token, NOW + timedelta(minutes=minutes), IDLE) is not None
    assert live_session(conn, token, NOW + timedelta(minutes=91), IDLE) is None


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


def test_logging_out_everywhere_ends_every_session_of_that_user_only(conn, people):
    tokens = [start_session(conn, people["reviewer"], timedelta(hours=1), NOW)[0] for _ in "ab"]
    other, _ = start_session(conn, people["supervisor"], timedelta(hours=1), NOW)
    assert end_user_sessions(conn, "reviewer") == 2
    assert [live_session(conn, token, NOW) for token in tokens] == [None, None]
    assert live_session(conn, other, NOW) is not None


def test_a_deactivated_users_session_stops_working(conn, people):
    token, _ = start_session(conn, people["reviewer"], timedelta(hours=1), NOW)
    set_active(conn, "reviewer", False)
    assert live_session(conn, token, NOW) is None


def test_a_new_session_clears_expired_ones(conn, people):
    start_session(conn, people["reviewer"], timedelta(minutes=1), NOW)
    start_session(conn, people["reviewer"], timedelta(minutes=1), NOW + timedelta(minutes=2))
    assert conn.execute("select count(*) from sessions").fetchone()[0] == 1
