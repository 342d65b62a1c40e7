import pytest

from analytics.decisions.decisions import audit_trail, current_decision
from analytics.decisions.store import store_session


def decide(browser, event_id, page_token, query="", **fields):
    """Load the event page (as a reviewer would) and send its form with ``fields``."""
    page = browser.get(f"/events/{event_id}{query}")
    form = {"csrf_token": page_token(page.text), "version": _version(page.text), **fields}
    return browser.post(f"/events/{event_id}/decision{query}", data=form)


def _version(html):
    return html.split('name="version" value="', 1)[1].split('"', 1)[0]


def stored(warehouse, event_id):
    with store_session(warehouse) as conn:
        return current_decision(conn, event_id), audit_trail(conn, event_id)


def test_confirming_stores_the_decision_and_opens_the_next_event(
    login, events, warehouse, page_token
):
    first = events[2]["event_id"]  # newest: the top of the queue
    response = decide(
        login("li"),
        first,
        page_token,
        action="confirm",
        courier_platform="",
        rider_code="MT-7",
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/events/{events[1]['event_id']}"
    decision, audit = stored(warehouse, first)
    assert (decision.decision, decision.decided_by, decision.version) == ("confirmed", "li", 1)
    assert decision.rider_code == "MT-7"
    assert {entry.field for entry in audit} == {"decision", "rider_code"}


def test_rejecting_with_a_reason_and_a_corrected_platform(login, events, warehouse, page_token):
    event_id = events[1]["event_id"]
    response = decide(
        login("li"),
        event_id,
        page_token,
        action="reject",
        reason_code="rider_not_pedestrian",
        courier_platform="eleme",
    )
    assert response.status_code == 303
    decision, _ = stored(warehouse, event_id)
    assert (decision.reason_code, decision.courier_platform) == ("rider_not_pedestrian", "eleme")


def test_the_last_decision_in_the_queue_returns_to_the_queue(login, events, page_token):
    response = decide(
        login("li"),
        events[0]["event_id"],
        page_token,
        "?rule=pedestrian_red_light&sort=oldest",
        action="confirm",
    )
    # events[0] is the oldest red-light event; the next one in that order is events[2]
    assert (
        response.headers["location"]
        == f"/events/{events[2]['event_id']}?rule=pedestrian_red_light&sort=oldest"
    )
    response = decide(
        login("li"),
        events[2]["event_id"],
        page_token,
        "?rule=pedestrian_red_light&sort=oldest",
        action="confirm",
    )
    assert response.headers["location"] == "/?rule=pedestrian_red_light&sort=oldest"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "reject"}, "驳回须选择驳回理由"),
        ({"action": "reject", "reason_code": "other", "comment": " "}, "须填写说明"),
        ({"action": "reject", "reason_code": "bored"}, "选项无效"),
        ({"action": "confirm", "rider_code": "MT 7"}, "骑手编码只能包含"),
        ({"action": "confirm", "courier_platform": "acme"}, "外卖平台不在可选列表中"),
    ],
)
def test_an_invalid_decision_is_explained_and_not_stored(
    login, events, warehouse, page_token, fields, message
):
    response = decide(login("li"), events[1]["event_id"], page_token, **fields)
    assert response.status_code == 422
    assert message in response.text
    assert stored(warehouse, events[1]["event_id"]) == (None, [])


def test_a_decision_made_meanwhile_is_never_overwritten(login, events, warehouse, page_token):
    """The lost update: two reviewers open the same event; the second one to submit is told."""
    event_id = events[1]["event_id"]
    li, zhou = login("li"), login("zhou")
    li_page = li.get(f"/events/{event_id}")
    zhou_page = zhou.get(f"/events/{event_id}")
    li_form = {"csrf_token": page_token(li_page.text), "version": _version(li_page.text)}
    zhou_form = {"csrf_token": page_token(zhou_page.text), "version": _version(zhou_page.text)}

    first = li.post(f"/events/{event_id}/decision", data={**li_form, "action": "confirm"})
    assert first.status_code == 303
    second = zhou.post(
        f"/events/{event_id}/decision",
        data={**zhou_form, "action": "reject", "reason_code": "bad_footage"},
    )
    assert second.status_code == 409
    assert "提交未保存：该事件已由他人处理" in second.text
    assert "<strong>li</strong>" in second.text
    assert "<strong>确认违法</strong>" in second.text
    assert "您提交的结论「驳回" in second.text
    decision, audit = stored(warehouse, event_id)
    assert (decision.decision, decision.decided_by, decision.version) == ("confirmed", "li", 1)
    assert [(entry.field, entry.changed_by) for entry in audit] == [("decision", "li")]


def test_a_reviewer_cannot_overturn_but_a_supervisor_can(login, events, warehouse, page_token):
    event_id = events[1]["event_id"]
    decide(login("li"), event_id, page_token, action="confirm")
    reviewer_page = login("zhou").get(f"/events/{event_id}")
    assert "只有督导可以改判" in reviewer_page.text
    assert 'id="decision-form"' not in reviewer_page.text
    refused = login("zhou").post(
        f"/events/{event_id}/decision",
        data={
            "csrf_token": page_token(reviewer_page.text),
            "version": "1",
            "action": "reject",
            "reason_code": "duplicate",
            "comment": "same rider",
        },
    )
    assert refused.status_code == 403

    supervisor = login("wang")
    without_comment = decide(
        supervisor, event_id, page_token, action="reject", reason_code="duplicate"
    )
    assert without_comment.status_code == 422
    assert "改判须在备注中说明理由" in without_comment.text
    overturned = decide(
        supervisor,
        event_id,
        page_token,
        action="reject",
        reason_code="duplicate",
        comment="同一骑手",
    )
    assert overturned.status_code == 303
    decision, audit = stored(warehouse, event_id)
    assert (decision.decision, decision.decided_by, decision.version) == ("rejected", "wang", 2)
    overturn = [(e.field, e.value_from, e.value_to) for e in audit if e.action == "overturn"]
    assert ("decision", "confirmed", "rejected") in overturn
    page = supervisor.get(f"/events/{event_id}")
    assert "改判（第 2 版）" in page.text


def test_deciding_an_unknown_event_is_404(login, events, page_token):
    browser = login("li")
    token = page_token(browser.get("/").text)
    response = browser.post(
        "/events/nope/decision", data={"csrf_token": token, "version": "0", "action": "confirm"}
    )
    assert response.status_code == 404
