import threading
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from analytics.decisions.claims import claim_event
from analytics.decisions.decisions import (
    audit_trail,
    current_decision,
    decide,
    decision_history,
)
from analytics.decisions.models import DecisionChange, DecisionConflict, DecisionRefused
from analytics.decisions.queue_read import queue_event
from analytics.decisions.store import open_store
from analytics.decisions.users import User

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
CONFIRM = DecisionChange(
    decision="confirmed",
    courier_platform="meituan",
    rider_code="MT-0042",
    disposition="fine",
    fine_yuan=20,
)
REJECT = DecisionChange(decision="rejected", reason_code="duplicate")


@pytest.mark.parametrize(
    ("fields", "error_type"),
    [
        ({"decision": "rejected"}, "reason_required"),
        ({"decision": "rejected", "reason_code": "other", "comment": "  "}, "comment_required"),
        (
            {"decision": "confirmed", "reason_code": "duplicate", "disposition": "warning"},
            "reason_not_allowed",
        ),
        ({"decision": "rejected", "reason_code": "bored"}, "literal_error"),
        (
            {"decision": "confirmed", "disposition": "warning", "rider_code": "MT 0042"},
            "string_pattern_mismatch",
        ),
        (
            {"decision": "confirmed", "disposition": "warning", "courier_platform": "Meituan!"},
            "string_pattern_mismatch",
        ),
        ({"decision": "confirmed"}, "disposition_required"),
        ({"decision": "confirmed", "disposition": "fine"}, "fine_required"),
        ({"decision": "confirmed", "disposition": "warning", "fine_yuan": 20}, "fine_not_allowed"),
        (
            {"decision": "rejected", "reason_code": "duplicate", "disposition": "warning"},
            "disposition_on_rejection",
        ),
        ({"decision": "confirmed", "disposition": "jail"}, "literal_error"),
    ],
)
def test_a_decision_must_make_sense(fields, error_type):
    with pytest.raises(ValidationError) as caught:
        DecisionChange(**fields)
    assert [error["type"] for error in caught.value.errors()] == [error_type]


def test_blank_text_counts_as_not_given():
    change = DecisionChange(
        decision="confirmed", disposition="warning", comment=" ", courier_platform="", rider_code=""
    )
    assert (change.comment, change.courier_platform, change.rider_code) == (None, None, None)


def test_a_first_decision_is_version_one_with_every_field_audited(conn, people, queued, policy):
    decision = decide(
        conn, queued["red"], CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact"
    )
    assert (decision.version, decision.stage, decision.first_reviewed_by) == (
        1,
        "final",
        "reviewer",
    )
    assert current_decision(conn, queued["red"]) == decision
    entries = {(e.field, e.value_from, e.value_to) for e in audit_trail(conn, queued["red"])}
    assert entries == {
        ("decision", None, "confirmed"),
        ("courier_platform", None, "meituan"),
        ("rider_code", None, "MT-0042"),
        ("disposition", None, "fine"),
        ("fine_yuan", None, "20"),
        ("stage", None, "final"),
    }
    trail = audit_trail(conn, queued["red"])
    assert {(e.action, e.changed_by, e.changed_at, e.version) for e in trail} == {
        ("decide", "reviewer", NOW, 1)
    }
    assert queue_event(conn, queued["red"])["review_status"] == "confirmed"


@pytest.mark.parametrize("state", ["tampered", "missing", "unrecorded"])
def test_no_confirmation_on_evidence_that_is_not_as_loaded(conn, people, queued, policy, state):
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, queued["red"], CONFIRM, 0, people["reviewer"], NOW, policy, evidence=state)
    assert caught.value.code == f"evidence_{state}"
    assert current_decision(conn, queued["red"]) is None
    rejected = decide(
        conn, queued["red"], REJECT, 0, people["reviewer"], NOW, policy, evidence=state
    )
    assert rejected.decision == "rejected"  # a rejection needs no evidence


def test_a_decision_from_a_stale_version_is_refused_and_names_the_winner(
    conn, people, queued, policy
):
    decide(conn, queued["red"], CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact")
    with pytest.raises(DecisionConflict) as caught:
        decide(conn, queued["red"], REJECT, 0, people["supervisor"], NOW, policy, evidence="intact")
    assert caught.value.current.decided_by == "reviewer"
    assert current_decision(conn, queued["red"]).decision == "confirmed"  # no lost update
    assert len(audit_trail(conn, queued["red"])) == 6


def test_only_a_supervisor_may_overturn(conn, people, queued, policy):
    decide(conn, queued["red"], CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact")
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, queued["red"], REJECT, 1, people["reviewer2"], NOW, policy, evidence="intact")
    assert caught.value.code == "overturn_not_permitted"


def test_an_overturn_needs_a_comment_and_a_change_a_new_comment_is_none(
    conn, people, queued, policy
):
    event = queued["red"]
    decide(conn, event, CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact")
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, event, REJECT, 1, people["supervisor"], NOW, policy, evidence="intact")
    assert caught.value.code == "overturn_needs_comment"
    same = CONFIRM.model_copy(update={"comment": "looked again"})
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, event, same, 1, people["supervisor"], NOW, policy, evidence="intact")
    assert caught.value.code == "nothing_changed"
    assert current_decision(conn, event).version == 1
    assert {entry.action for entry in audit_trail(conn, event)} == {"decide"}


def test_an_overturn_is_audited_field_by_field(conn, people, queued, policy):
    event = queued["red"]
    decide(conn, event, CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact")
    later = NOW + timedelta(hours=1)
    overturn = DecisionChange(
        decision="rejected", reason_code="signal_misread", comment="lamp was amber"
    )
    decided = decide(
        conn, event, overturn, 1, people["supervisor"], later, policy, evidence="intact"
    )
    assert (decided.version, decided.decided_by) == (2, "supervisor")
    changes = [
        (e.field, e.value_from, e.value_to) for e in audit_trail(conn, event) if e.version == 2
    ]
    assert changes == [
        ("decision", "confirmed", "rejected"),
        ("reason_code", None, "signal_misread"),
        ("courier_platform", "meituan", None),
        ("rider_code", "MT-0042", None),
        ("comment", None, "lamp was amber"),
        ("disposition", "fine", None),
        ("fine_yuan", "20", None),
    ]
    assert {e.action for e in audit_trail(conn, event) if e.version == 2} == {"overturn"}
    assert queue_event(conn, event)["review_status"] == "rejected"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (CONFIRM.model_copy(update={"fine_yuan": 500}), "fine_out_of_range"),
        (CONFIRM.model_copy(update={"fine_yuan": 2}), "fine_out_of_range"),
    ],
)
def test_a_fine_must_fit_the_rules_schedule(conn, people, queued, policy, change, code):
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, queued["red"], change, 0, people["reviewer"], NOW, policy, evidence="intact")
    assert caught.value.code == code
    assert current_decision(conn, queued["red"]) is None


def test_a_disposition_outside_the_rules_schedule_is_refused(conn, people, queued, policy):
    narrow = policy.model_copy(
        update={
            "rules": {
                **policy.rules,
                "pedestrian_red_light": policy.rules["pedestrian_red_light"].model_copy(
                    update={"dispositions": ("education",), "default_disposition": "education"}
                ),
            }
        }
    )
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, queued["red"], CONFIRM, 0, people["reviewer"], NOW, narrow, evidence="intact")
    assert caught.value.code == "disposition_not_allowed"


def test_an_event_not_in_the_queue_cannot_be_decided(conn, people, policy):
    with pytest.raises(DecisionRefused) as caught:
        decide(
            conn, "no-such-event", CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact"
        )
    assert caught.value.code == "unknown_event"


def test_a_reviewer_limited_to_districts_decides_only_there(conn, queued, policy):
    local = User(99, "local", "reviewer", ("朝阳区",))
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, queued["red"], CONFIRM, 0, local, NOW, policy, evidence="intact")  # 东城区
    assert caught.value.code == "outside_districts"
    assert (
        decide(conn, queued["red2"], CONFIRM, 0, local, NOW, policy, evidence="intact").decision
        == "confirmed"
    )


def test_an_event_held_by_another_reviewer_cannot_be_decided_and_deciding_releases_a_claim(
    conn, people, queued, policy
):
    event = queued["red"]
    claim_event(conn, event, people["reviewer"], NOW, timedelta(minutes=5))
    with pytest.raises(DecisionRefused) as caught:
        decide(conn, event, CONFIRM, 0, people["reviewer2"], NOW, policy, evidence="intact")
    assert caught.value.code == "claimed_by_other"
    decide(conn, event, CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact")
    assert conn.execute("select count(*) from claims").fetchone()[0] == 0


def test_double_review_history_replays_what_each_person_said(conn, people, queued, policy):
    event = queued["wrong"]
    decide(conn, event, CONFIRM, 0, people["reviewer"], NOW, policy, evidence="intact")
    assert queue_event(conn, event)["review_status"] == "awaiting_second"
    decide(conn, event, REJECT, 1, people["reviewer2"], NOW, policy, evidence="intact")
    assert queue_event(conn, event)["review_status"] == "disputed"
    ruling = CONFIRM.model_copy(update={"disposition": "warning", "fine_yuan": None})
    decide(conn, event, ruling, 2, people["supervisor"], NOW, policy, evidence="intact")
    steps = decision_history(audit_trail(conn, event))
    assert [(s.version, s.action, s.changed_by) for s in steps] == [
        (1, "decide", "reviewer"),
        (2, "second_review", "reviewer2"),
        (3, "resolve", "supervisor"),
    ]
    assert [s.values["decision"] for s in steps] == ["confirmed", "rejected", "confirmed"]
    assert [s.values["stage"] for s in steps] == ["awaiting_second", "disputed", "final"]
    assert steps[0].values["fine_yuan"] == "20" and steps[2].values["disposition"] == "warning"
    assert queue_event(conn, event)["review_status"] == "confirmed"


def test_of_two_reviewers_deciding_at_once_exactly_one_wins(root, conn, people, queued, policy):
    start = threading.Barrier(2)
    outcomes = {}

    def reviewer(name, change):
        own = open_store(root)
        start.wait()
        try:
            decided = decide(
                own, queued["red"], change, 0, people["reviewer"], NOW, policy, evidence="intact"
            )
            outcomes[name] = decided.decision
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
    winner = current_decision(conn, queued["red"]).decision
    assert sorted(outcomes.values()) == sorted([winner, f"conflict with {winner}"])
    assert current_decision(conn, queued["red"]).version == 1
