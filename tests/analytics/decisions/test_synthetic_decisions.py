import re
from datetime import date

import pytest

from analytics.decisions.decisions import audit_trail, decision_history
from analytics.decisions.export import current_decisions
from analytics.decisions.policy import ReviewPolicy, load_policy
from analytics.decisions.store import store_path, store_session
from analytics.decisions.synthetic_decisions import (
    COMMENT,
    RIDERS_PER_PLATFORM,
    write_synthetic_decisions,
)
from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse
from analytics.warehouse import connect

SPEC = SyntheticSpec(count_cameras=4, count_weeks=2, first_monday=date(2026, 11, 9))
# Another office's schedule: red-light crossings only exposed, wrong-way rides fined by default,
# at other amounts.
OTHER_POLICY = ReviewPolicy.model_validate(
    {
        "rules": {
            "pedestrian_red_light": {
                "dispositions": ["exposure_only"],
                "default_disposition": "exposure_only",
            },
            "wrong_way": {
                "second_review": True,
                "dispositions": ["fine", "warning"],
                "default_disposition": "fine",
                "fine_yuan": {"min": 100, "max": 200, "default": 150},
            },
        }
    }
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "warehouse"
    write_synthetic_warehouse(root, SPEC)
    summary = write_synthetic_decisions(root, seed=7)
    return root, summary


def test_a_few_percent_of_the_events_are_decided_mostly_confirmed(demo):
    root, summary = demo
    total = connect(root).sql("select count(*) from fct_violations").fetchall()[0][0]
    assert 0.02 < summary.count_decided / total < 0.045
    assert 0.75 < summary.count_confirmed / summary.count_decided < 0.95
    statuses = dict(
        connect(root)
        .sql("select review_status, count(*) from fct_violations group by 1")
        .fetchall()
    )
    assert statuses["confirmed"] == summary.count_confirmed


def test_decisions_are_marked_synthetic_follow_the_schedule_and_double_review(demo):
    root, _ = demo
    policy = load_policy()
    rows = current_decisions(root).to_pylist()
    rules = dict(connect(root).sql("select event_id, rule from fct_violations").fetchall())
    for row in rows:
        assert row["comment"] == COMMENT and row["decided_by"].startswith("合成审核员")
        if row["decision"] == "confirmed":
            entry = policy.for_rule(rules[row["event_id"]])
            assert entry.fine_problem(row["disposition"], row["fine_yuan"]) is None
            assert row["stage"] == "final"
            if entry.second_review:
                assert row["first_reviewed_by"] != row["second_reviewed_by"] is not None


def test_rider_codes_come_from_a_pool_per_platform_so_that_riders_repeat(demo):
    root, _ = demo
    codes = [row["rider_code"] for row in current_decisions(root).to_pylist() if row["rider_code"]]
    assert codes and all(re.fullmatch(r"(MT|ELM|JD|SS)-SYN-\d{4}", code) for code in codes)
    assert max(int(code[-4:]) for code in codes) < RIDERS_PER_PLATFORM


def test_each_decision_has_its_history(demo):
    root, _ = demo
    event_id = next(
        row["event_id"]
        for row in current_decisions(root).to_pylist()
        if row["second_reviewed_by"] is not None
    )
    with store_session(root) as conn:
        steps = decision_history(audit_trail(conn, event_id))
    assert [step.action for step in steps] == ["decide", "second_review"]


def test_the_same_seed_writes_the_same_decisions(demo, tmp_path):
    root, _ = demo
    again = tmp_path / "warehouse"
    write_synthetic_warehouse(again, SPEC)
    write_synthetic_decisions(again, seed=7)
    assert current_decisions(again).sort_by("event_id") == current_decisions(root).sort_by(
        "event_id"
    )
    assert store_path(again).is_file()


def test_a_changed_policy_changes_the_dispositions_and_fines(tmp_path):
    root = tmp_path / "warehouse"
    write_synthetic_warehouse(root, SPEC)
    write_synthetic_decisions(root, seed=7, policy=OTHER_POLICY)

    con = connect(root)
    confirmed = "from fct_violations where review_status = 'confirmed'"
    outcomes = con.sql(f"select distinct rule, disposition, fine_yuan {confirmed}").fetchall()
    assert set(outcomes) == {
        ("pedestrian_red_light", "exposure_only", None),
        ("wrong_way", "warning", None),
        ("wrong_way", "fine", 100),
        ("wrong_way", "fine", 150),
        ("wrong_way", "fine", 200),
    }
    [(fines, warnings)] = con.sql(
        "select count(*) filter (where disposition = 'fine'), "
        f"count(*) filter (where disposition = 'warning') {confirmed} and rule = 'wrong_way'"
    ).fetchall()
    assert fines > warnings  # the preset disposition is kept most often
