import threading
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from analytics.decisions.decisions import (
    DecisionChange,
    DecisionConflict,
    DecisionRefused,
    audit_trail,
    current_decision,
    decide,
)
from analytics.decisions.store import open_store

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
CONFIRM = DecisionChange(decision="confirmed", courier_platform="meituan", rider_code="MT-0042")
REJECT = DecisionChange(decision="rejected", reason_code="duplicate")


@pytest.mark.parametrize(
    ("fields", "error_type"),
    [
        ({"decision": "rejected"}, "reason_required"),
        ({"decision": "rejected", "reason_code": "other", "comment": "  "}, "comment_required"),
        ({"decision": "confirmed", "reason_code": "duplicate"}, "reason_not_allowed"),
        ({"decision": "rejected", "reason_code": "bored"}, "literal_error"),
        ({"decision": "confirmed", "rider_code": "MT 0042"}, "string_pattern_mismatch"),
        ({"decision": "confirmed", "courier_platform": "Meituan!"}, "string_pattern_mismatch"),
    ],
)
def test_a_decision_must_make_sense(fields, error_type):
    with pytest.raises(ValidationError) as caught:
        DecisionChange(**fields)
    assert [error["type"] for error in caught.value.errors()] == [error_type]


def test_blank_text_counts_as_not_given():
    change = DecisionChange(decision="confirmed", comment=" ", courier_platform="", rider_code="")
    assert (change.comment, change.courier_platform, change.rider_code) == (None, None, None)


def test_a_first_decision_is_version_one_with_every_field_audited(conn, people):
    decision = decide(conn, "e1", CONFIRM, 0, people["reviewer"], NOW)
    assert decision.version == 1
    assert current_decision(conn, "e1") == decision
    entries = {(e.field, e.value_from, e.value_to) for e in audit_trail(conn, "e1")}
    assert entries == {
        ("decision", None, "confirmed"),
        ("courier_platform", None, "meituan"),
        ("rider_code", None, "MT-0042"),
    }
    assert {(e.action, e.changed_by, e.changed_at, e.version) for e in audit_trail(conn, "e1")} == {
        ("decide", "reviewer", NOW, 1)
    }


def test_a_decision_from_a_stale_version_is_refused_and_names_the_winner(conn, people):
    decide(conn, "e1", CONFIRM, 0, people["reviewer"], NOW)
    with pytest.raises(DecisionConflict) as caught:
        decide(conn, "e1", REJECT, 0, people["supervisor"], NOW + timedelta(seconds=5))
    assert caught.value.current.decided_by == "reviewer"
    assert caught.value.current.decision == "confirmed"
    assert current_decision(conn, "e1").decision == "confirmed"  # no lost update
    assert len(audit_trail(conn, "e1")) == 3


def test_only_a_supervisor_may_overturn(conn, people):
    decide(conn, "e1", CONFIRM, 0, people["reviewer"], NOW)
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, "e1", REJECT, 1, people["reviewer"], NOW)
    assert caught.value.code == "overturn_not_permitted"


def test_an_overturn_needs_a_comment_and_a_change(conn, people):
    decide(conn, "e1", CONFIRM, 0, people["reviewer"], NOW)
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, "e1", REJECT, 1, people["supervisor"], NOW)
    assert caught.value.code == "overturn_needs_comment"
    same = CONFIRM.model_copy(update={"comment": "looked again"})
    decide(conn, "e1", same, 1, people["supervisor"], NOW)
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, "e1", same, 2, people["supervisor"], NOW)
    assert caught.value.code == "nothing_changed"


def test_an_overturn_is_audited_field_by_field(conn, people):
    decide(conn, "e1", CONFIRM, 0, people["reviewer"], NOW)
    later = NOW + timedelta(hours=1)
    overturn = DecisionChange(
        decision="rejected", reason_code="signal_misread", comment="lamp was amber"
    )
    decided = decide(conn, "e1", overturn, 1, people["supervisor"], later)
    assert (decided.version, decided.decided_by) == (2, "supervisor")
    changes = [
        (e.field, e.value_from, e.value_to) for e in audit_trail(conn, "e1") if e.version == 2
    ]
    assert changes == [
        ("decision", "confirmed", "rejected"),
        ("reason_code", None, "signal_misread"),
        ("comment", None, "lamp was amber"),
        ("courier_platform", "meituan", None),
        ("rider_code", "MT-0042", None),
    ]
    assert {e.action for e in audit_trail(conn, "e1") if e.version == 2} == {"overturn"}


def test_of_two_reviewers_deciding_at_once_exactly_one_wins(root, conn, people):
    start = threading.Barrier(2)
    outcomes = {}

    def reviewer(name, change):
        own = open_store(root)
        start.wait()
        try:
            outcomes[name] = decide(own, "e1", change, 0, people["reviewer"], NOW).decision
        except DecisionConflict as exc:
            outcomes[name] = f"conflict with {exc.current.decision}"
        own.close()

    threads = [
        threading.Thread(target=reviewer, args=("a", CONFIRM)),
        threading.Thread(target=reviewer, args=("b", REJECT)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = current_decision(conn, "e1").decision
    assert sorted(outcomes.values()) == sorted([winner, f"conflict with {winner}"])
    assert current_decision(conn, "e1").version == 1
