import pytest
from pydantic import ValidationError

from analytics.decisions.queue_filter import QueueQuery
from review.schemas import DecisionForm, QueuePageQuery


def test_confirming_drops_a_reason_chosen_by_mistake():
    form = DecisionForm(version=0, action="confirm", reason_code="duplicate", rider_code="MT-1")
    change = form.change()
    assert (change.decision, change.reason_code, change.rider_code) == ("confirmed", None, "MT-1")


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
