import pytest
from pydantic import ValidationError

from analytics.decisions.queue_filter import QueueQuery
from review.schemas import DecisionForm, QueuePageQuery, district_list


def test_confirming_drops_a_reason_chosen_by_mistake():
    form = DecisionForm(
        version=0,
        action="confirm",
        reason_code="duplicate",
        rider_code="MT-1",
        disposition="warning",
    )
    change = form.change()
    assert (change.decision, change.reason_code, change.rider_code) == ("confirmed", None, "MT-1")


def test_a_fine_keeps_its_amount_and_other_dispositions_drop_it():
    fine = DecisionForm(version=0, action="confirm", disposition="fine", fine_yuan=" 30 ").change()
    assert (fine.disposition, fine.fine_yuan) == ("fine", 30)
    warning = DecisionForm(version=0, action="confirm", disposition="warning", fine_yuan="30")
    assert warning.change().fine_yuan is None
    rejected = DecisionForm(
        version=0, action="reject", reason_code="duplicate", disposition="fine", fine_yuan="30"
    ).change()
    assert (rejected.disposition, rejected.fine_yuan) == (None, None)
    with pytest.raises(ValidationError, match="int_parsing"):
        DecisionForm(version=0, action="confirm", disposition="fine", fine_yuan="三十").change()


def test_districts_are_typed_one_per_line_or_with_commas():
    assert district_list("朝阳区，海淀区\n东城区、 西城区 ") == [
        "朝阳区",
        "海淀区",
        "东城区",
        "西城区",
    ]
    assert district_list("  \n ") is None


def test_rejecting_keeps_the_reason_and_comment():
    form = DecisionForm(version=2, action="reject", reason_code="other", comment="树挡住了")
    change = form.change()
    assert (change.decision, change.reason_code, change.comment) == (
        "rejected",
        "other",
        "树挡住了",
    )


def test_rejecting_without_a_reason_is_invalid():
    with pytest.raises(ValidationError, match="reason_required"):
        DecisionForm(version=0, action="reject").change()


def test_the_page_number_is_not_a_filter():
    params = QueuePageQuery(camera="cam-01", page=3)
    assert params.filters() == QueueQuery(camera="cam-01")
