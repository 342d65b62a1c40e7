from datetime import UTC, datetime

import pytest

from analytics.decisions.flow import next_action, next_decision, refusal
from analytics.decisions.models import DecisionChange, DecisionRefused
from analytics.decisions.users import User

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
LI, ZHOU, QIAN = (User(i, name, "reviewer") for i, name in enumerate(("li", "zhou", "qian")))
WANG, SUN = User(10, "wang", "supervisor"), User(11, "sun", "supervisor")
FINE = DecisionChange(decision="confirmed", disposition="fine", fine_yuan=20, rider_code="MT-1")
WARNING = DecisionChange(decision="confirmed", disposition="warning", rider_code="MT-1")
REJECT = DecisionChange(decision="rejected", reason_code="not_a_violation")


def step(before, change, actor, double=True):
    return next_decision("e1", before, change, actor, NOW, double)


def test_without_double_review_a_first_confirmation_is_final():
    decision, action = step(None, FINE, LI, double=False)
    assert (decision.stage, decision.review_status, action) == ("final", "confirmed", "decide")


def test_a_first_rejection_is_final_even_under_double_review():
    decision, _ = step(None, REJECT, LI)
    assert (decision.stage, decision.review_status) == ("final", "rejected")


def test_under_double_review_a_confirmation_waits_for_another_reviewer_who_agrees():
    first, _ = step(None, FINE, LI)
    assert (first.stage, first.review_status, first.first_reviewed_by) == (
        "awaiting_second",
        "awaiting_second",
        "li",
    )
    with pytest.raises(DecisionRefused) as caught:
        step(first, FINE, LI)
    assert caught.value.code == "second_review_same_user"
    second, action = step(first, FINE.model_copy(update={"comment": "看清了"}), ZHOU)
    assert (second.stage, second.review_status, action) == ("final", "confirmed", "second_review")
    assert (second.first_reviewed_by, second.second_reviewed_by) == ("li", "zhou")
    assert (second.fine_yuan, second.comment, second.version) == (20, "看清了", 2)


@pytest.mark.parametrize(
    "disagreement",
    [
        REJECT,
        WARNING,
        FINE.model_copy(update={"fine_yuan": 50}),
        FINE.model_copy(update={"rider_code": "MT-2"}),
    ],
)
def test_any_disagreement_goes_to_a_supervisor_who_reviewed_neither(disagreement):
    first, _ = step(None, FINE, LI)
    disputed, _ = step(first, disagreement, ZHOU)
    assert (disputed.stage, disputed.review_status) == ("disputed", "disputed")
    assert (disputed.first_reviewed_by, disputed.second_reviewed_by) == ("li", "zhou")
    for who, code in ((QIAN, "dispute_needs_supervisor"),):
        with pytest.raises(DecisionRefused) as caught:
            step(disputed, FINE, who)
        assert caught.value.code == code
    ruled, action = step(disputed, WARNING, WANG)
    assert (ruled.stage, ruled.review_status, ruled.decided_by, action) == (
        "final",
        "confirmed",
        "wang",
        "resolve",
    )


def test_a_supervisor_who_reviewed_a_disputed_event_may_not_rule_on_it():
    first, _ = step(None, FINE, WANG)
    disputed, _ = step(first, REJECT, ZHOU)
    with pytest.raises(DecisionRefused) as caught:
        step(disputed, FINE, WANG)
    assert caught.value.code == "dispute_needs_third_person"
    assert step(disputed, FINE, SUN)[0].review_status == "confirmed"


def test_an_overturn_to_confirmed_under_double_review_waits_for_a_second_reviewer():
    rejected, _ = step(None, REJECT, LI)
    overturned, action = step(rejected, FINE.model_copy(update={"comment": "误驳"}), WANG)
    assert (overturned.stage, overturned.first_reviewed_by, action) == (
        "awaiting_second",
        "wang",
        "overturn",
    )
    agreed, _ = step(overturned, FINE, LI)
    assert agreed.review_status == "confirmed"


def test_a_supervisor_may_correct_a_confirmed_disposition_which_stays_confirmed():
    confirmed, _ = step(step(None, FINE, LI)[0], FINE, ZHOU)
    corrected, _ = step(confirmed, WARNING.model_copy(update={"comment": "初犯"}), WANG)
    assert (corrected.stage, corrected.disposition, corrected.second_reviewed_by) == (
        "final",
        "warning",
        "zhou",
    )


def test_who_may_act_on_each_stage_and_why_not():
    first, _ = step(None, FINE, LI)
    disputed, _ = step(first, REJECT, ZHOU)
    final, _ = step(disputed, FINE, WANG)

    def why_not(decision, actor):
        refused = refusal(decision, actor)
        return refused.code if refused else None

    assert why_not(None, LI) is None
    assert (why_not(first, LI), why_not(first, ZHOU)) == ("second_review_same_user", None)
    assert [why_not(disputed, user) for user in (QIAN, ZHOU, WANG, SUN)] == [
        "dispute_needs_supervisor",
        "dispute_needs_supervisor",
        None,
        None,
    ]
    assert (why_not(final, LI), why_not(final, WANG)) == ("overturn_not_permitted", None)


def test_the_next_act_follows_the_stage():
    first, _ = step(None, FINE, LI)
    disputed, _ = step(first, REJECT, ZHOU)
    final, _ = step(disputed, FINE, WANG)
    assert [next_action(decision) for decision in (None, first, disputed, final)] == [
        "decide",
        "second_review",
        "resolve",
        "overturn",
    ]
