"""Review decisions in the warehouse: fct_violations' review columns (double review, penalties,
evidence digests) and the enforcement_weekly mart, through the real store and sync."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics.decisions.decisions import decide
from analytics.decisions.models import DecisionChange
from analytics.decisions.policy import load_policy
from analytics.decisions.queue_sync import sync_from_warehouse
from analytics.decisions.store import store_session
from analytics.decisions.users import add_user
from analytics.warehouse import connect, load_clip

NOW = datetime(2026, 11, 20, tzinfo=UTC)
FINE = DecisionChange(decision="confirmed", disposition="fine", fine_yuan=50)
WARNING = DecisionChange(decision="confirmed", disposition="warning")
EXPOSE = DecisionChange(decision="confirmed", disposition="exposure_only")
REJECT = DecisionChange(decision="rejected", reason_code="duplicate")


@pytest.fixture
def reviewed(tmp_path, make_clip_outputs):
    """A week-47 clip in 朝阳区 with six events: red-light ones decided once, wrong-way ones
    reviewed twice (one of them still waiting for its second reviewer)."""
    root = tmp_path / "warehouse"
    digests = '{"event.json": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}'
    events = [
        {"rule": "pedestrian_red_light", "t_s": t, "evidence_sha256_json": digests}
        for t in (1.0, 2.0, 3.0)
    ]
    events += [{"rule": "wrong_way", "t_s": t, "zone_id": "nb"} for t in (4.0, 5.0, 6.0)]
    load_clip(root, make_clip_outputs(events=events))
    sync_from_warehouse(root)
    ids = [
        row[0]
        for row in connect(root).sql("select event_id from fct_violations order by t_s").fetchall()
    ]
    policy = load_policy()
    with store_session(root) as conn:
        li, zhou = (add_user(conn, name, "reviewer", "long enough") for name in ("li", "zhou"))
        decide(conn, ids[0], FINE, 0, li, NOW, policy, evidence="intact")
        decide(conn, ids[1], EXPOSE, 0, li, NOW, policy, evidence="intact")
        decide(conn, ids[2], REJECT, 0, li, NOW, policy, evidence="intact")
        for reviewer in (li, zhou):  # confirmed by two
            decide(
                conn,
                ids[3],
                WARNING,
                0 if reviewer is li else 1,
                reviewer,
                NOW,
                policy,
                evidence="intact",
            )
        decide(
            conn, ids[4], FINE, 0, li, NOW, policy, evidence="intact"
        )  # waits for a second reviewer
    return root, ids


def test_fct_violations_counts_a_double_review_confirmation_only_once_agreed(reviewed):
    root, ids = reviewed
    rows = dict(
        (row[0], row[1:])
        for row in connect(root)
        .sql(
            "select event_id, review_status, disposition, fine_yuan, second_reviewed_by "
            "from fct_violations"
        )
        .fetchall()
    )
    assert rows[ids[0]] == ("confirmed", "fine", 50, None)
    assert rows[ids[2]] == ("rejected", None, None, None)
    assert rows[ids[3]] == ("confirmed", "warning", None, "zhou")
    assert rows[ids[4]] == ("pending", None, None, None)  # one person's word is not enough
    assert rows[ids[5]] == ("pending", None, None, None)


def test_fct_violations_carries_the_digests_the_evidence_is_checked_against(reviewed):
    root, _ = reviewed
    digests = connect(root).sql(
        "select evidence_sha256_json from fct_violations where rule = 'pedestrian_red_light'"
    )
    assert {row[0] for row in digests.fetchall()} == {
        '{"event.json": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}'
    }


def test_enforcement_weekly_gives_cases_fines_and_exposures_per_week_district_and_rule(reviewed):
    root, _ = reviewed
    rows = (
        connect(root)
        .sql(
            "select week, district, rule, count_cases, count_fines, fine_yuan_total, "
            "count_warnings, count_education, count_exposure_only "
            "from enforcement_weekly order by rule"
        )
        .fetchall()
    )
    assert rows == [
        ("2026-W47", "朝阳区", "pedestrian_red_light", 2, 1, 50, 0, 0, 1),
        ("2026-W47", "朝阳区", "wrong_way", 1, 0, 0, 1, 0, 0),
    ]
