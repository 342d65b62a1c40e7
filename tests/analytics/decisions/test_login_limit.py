import threading
from datetime import UTC, datetime, timedelta

from analytics.decisions.login_limit import LoginLimit, admit_attempt, settle_attempt
from analytics.decisions.security_log import recent_entries
from analytics.decisions.store import open_store

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
LIMIT = LoginLimit(max_per_account=3, max_per_source=5, max_overall=8, window=timedelta(minutes=5))


def fail(conn, name, source, at=NOW):
    admission = admit_attempt(conn, name, source, LIMIT, at)
    assert admission.attempt_id is not None, admission
    settle_attempt(conn, admission.attempt_id, name, source, False, LIMIT, at)


def test_an_account_locks_after_its_limit_from_any_source_until_the_first_failure_ages_out(conn):
    for minute in (0, 1, 2):
        fail(conn, "li", f"10.0.0.{minute}", NOW + timedelta(minutes=minute))
    at_three = NOW + timedelta(minutes=3)
    refused = admit_attempt(conn, "Li", "192.0.2.99", LIMIT, at_three)
    assert (refused.attempt_id, refused.locked_by, refused.retry_after_s) == (None, "account", 120)
    assert admit_attempt(conn, "li", "10.0.0.9", LIMIT, NOW + timedelta(minutes=5)).attempt_id


def test_a_source_locks_after_guessing_at_many_names(conn):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        fail(conn, name, "10.0.0.1")
    refused = admit_attempt(conn, "a6", "10.0.0.1", LIMIT, NOW)
    assert refused.locked_by == "source"
    assert admit_attempt(conn, "a6", "10.0.0.2", LIMIT, NOW).attempt_id is not None


def test_spraying_from_many_sources_meets_the_overall_limit(conn):
    for index in range(8):
        fail(conn, f"user{index}", f"10.0.1.{index}")
    assert admit_attempt(conn, "someone", "10.0.2.1", LIMIT, NOW).locked_by == "overall"


def test_a_success_clears_that_accounts_failures_from_that_source(conn):
    fail(conn, "li", "10.0.0.1")
    fail(conn, "li", "10.0.0.1")
    admission = admit_attempt(conn, "li", "10.0.0.1", LIMIT, NOW)
    settle_attempt(conn, admission.attempt_id, "li", "10.0.0.1", True, LIMIT, NOW)
    for _ in range(2):
        fail(conn, "li", "10.0.0.1")
    assert admit_attempt(conn, "li", "10.0.0.1", LIMIT, NOW).attempt_id is not None


def test_parallel_attempts_are_admitted_up_to_the_limit_only(root, conn):
    """The check and the record are one transaction: 20 threads at once, 3 admitted."""
    start = threading.Barrier(20)
    admitted = []

    def attempt():
        own = open_store(root)
        start.wait()
        admitted.append(admit_attempt(own, "li", "10.0.0.1", LIMIT, NOW).attempt_id is not None)
        own.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(admitted) == [False] * 17 + [True] * 3


def test_failures_and_the_lock_are_in_the_security_log(conn):
    for _ in range(3):
        fail(conn, "li", "10.0.0.1")
    actions = [entry.action for entry in recent_entries(conn)]
    assert actions == ["login_locked", "login_failed", "login_failed", "login_failed"]
    assert {(e.username, e.client_ip) for e in recent_entries(conn)} == {("li", "10.0.0.1")}
