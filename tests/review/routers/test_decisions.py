import re

import pytest

from analytics.decisions.decisions import audit_trail, current_decision
from analytics.decisions.store import store_session
from analytics.decisions.users import set_districts

# events[0] and events[2]: red-light crossings (one review); events[1]: a wrong-way ride of a
# meituan courier (double review). The queue runs newest first: 2, 1, 0.
CONFIRM = {"action": "confirm", "disposition": "warning", "courier_platform": "unknown"}


def decide(browser, event_id, page_token, query="", **fields):
    """Load the event page (as a reviewer would) and send its form with ``fields``."""
    page = browser.get(f"/events/{event_id}{query}")
    form = {"csrf_token": page_token(page.text), "version": _version(page.text), **fields}
    return browser.post(f"/events/{event_id}/decision{query}", data=form)


def _version(html):
    found = re.search(r'name="version" value="(\d+)"', html)
    return found.group(1) if found else "0"


def stored(warehouse, event_id):
    with store_session(warehouse) as conn:
        return current_decision(conn, event_id), audit_trail(conn, event_id)


def test_confirming_stores_the_decision_with_its_disposition_and_opens_the_next_event(
    login, events, warehouse, page_token
):
    first = events[2]["event_id"]  # newest: the top of the queue
    response = decide(
        login("li"),
        first,
        page_token,
        action="confirm",
        courier_platform="unknown",
        rider_code="MT-7",
        disposition="fine",
        fine_yuan="30",
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/events/{events[1]['event_id']}"
    decision, audit = stored(warehouse, first)
    assert (decision.decision, decision.decided_by, decision.version) == ("confirmed", "li", 1)
    assert (decision.rider_code, decision.disposition, decision.fine_yuan) == ("MT-7", "fine", 30)
    assert {entry.field for entry in audit} == {
        "decision",
        "courier_platform",
        "rider_code",
        "disposition",
        "fine_yuan",
        "stage",
    }


def test_rejecting_with_a_reason_and_a_corrected_platform(login, events, warehouse, page_token):
    event_id = events[1]["event_id"]
    response = decide(
        login("li"),
        event_id,
        page_token,
        action="reject",
        reason_code="rider_not_pedestrian",
        courier_platform="eleme",
        disposition="fine",  # the form's preset; a rejection ignores it
        fine_yuan="20",
    )
    assert response.status_code == 303
    decision, _ = stored(warehouse, event_id)
    assert (decision.reason_code, decision.courier_platform) == ("rider_not_pedestrian", "eleme")
    assert (decision.disposition, decision.fine_yuan, decision.stage) == (None, None, "final")


def test_the_last_decision_in_the_queue_returns_to_the_queue(login, events, page_token):
    query = "?rule=pedestrian_red_light&sort=oldest"
    response = decide(login("li"), events[0]["event_id"], page_token, query, **CONFIRM)
    # events[0] is the oldest red-light event; the next one in that order is events[2]
    assert (
        response.headers["location"] == f"/events/{events[2]['event_id']}{query.replace('?', '?')}"
    )
    response = decide(login("li"), events[2]["event_id"], page_token, query, **CONFIRM)
    assert response.headers["location"] == "/" + query


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "reject"}, "驳回须选择驳回理由"),
        ({"action": "reject", "reason_code": "other", "comment": " "}, "须填写说明"),
        ({"action": "reject", "reason_code": "bored"}, "选项无效"),
        ({**CONFIRM, "rider_code": "MT 7"}, "骑手编码只能包含"),
        ({**CONFIRM, "courier_platform": "acme"}, "外卖平台不在可选列表中"),
        ({**CONFIRM, "courier_platform": ""}, "系统识别出外卖平台：请确认"),
        ({**CONFIRM, "disposition": ""}, "确认违法须选择处理方式"),
        ({**CONFIRM, "disposition": "fine", "fine_yuan": ""}, "罚款须填写金额"),
        ({**CONFIRM, "disposition": "fine", "fine_yuan": "500"}, "超出该违法类型的裁量范围"),
        ({**CONFIRM, "disposition": "fine", "fine_yuan": "二十"}, "金额须为整数"),
    ],
)
def test_an_invalid_decision_is_explained_and_not_stored(
    login, events, warehouse, page_token, fields, message
):
    response = decide(login("li"), events[1]["event_id"], page_token, **fields)
    assert response.status_code == 422
    assert message in response.text
    assert stored(warehouse, events[1]["event_id"]) == (None, [])


def test_the_detected_platform_is_offered_but_never_chosen_unseen(login, events, page_token):
    page = login("li").get(f"/events/{events[1]['event_id']}").text
    assert '<option value="" selected>— 请确认 —</option>' in page
    assert 'data-platform="meituan">采用识别结果：美团外卖（p）</button>' in page


def test_a_decision_made_meanwhile_is_never_overwritten(login, events, warehouse, page_token):
    """The lost update: the second reviewer to submit is told, and nothing is overwritten."""
    event_id = events[2]["event_id"]
    li, zhou = login("li"), login("zhou")
    li_page = li.get(f"/events/{event_id}")
    zhou_token = page_token(zhou.get("/").text)
    li_form = {"csrf_token": page_token(li_page.text), "version": "0", **CONFIRM}
    assert li.post(f"/events/{event_id}/decision", data=li_form).status_code == 303
    second = zhou.post(
        f"/events/{event_id}/decision",
        data={
            "csrf_token": zhou_token,
            "version": "0",
            "action": "reject",
            "reason_code": "bad_footage",
            "courier_platform": "unknown",
        },
    )
    assert second.status_code == 409
    assert "提交未保存：该事件已由他人处理" in second.text
    assert "<strong>li</strong>" in second.text
    assert "您提交的结论「驳回" in second.text
    decision, _ = stored(warehouse, event_id)
    assert (decision.decision, decision.decided_by, decision.version) == ("confirmed", "li", 1)


def test_a_reviewer_cannot_overturn_but_a_supervisor_can(login, events, warehouse, page_token):
    event_id = events[2]["event_id"]
    decide(login("li"), event_id, page_token, **CONFIRM)
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
            "courier_platform": "unknown",
        },
    )
    assert refused.status_code == 403

    supervisor = login("wang")
    reject = {"action": "reject", "reason_code": "duplicate", "courier_platform": "unknown"}
    without_comment = decide(supervisor, event_id, page_token, **reject)
    assert without_comment.status_code == 422
    assert "改判须在备注中说明理由" in without_comment.text
    comment_only = decide(supervisor, event_id, page_token, **CONFIRM, comment="再看一遍")
    assert comment_only.status_code == 422 and "仅修改备注不算改判" in comment_only.text
    overturned = decide(supervisor, event_id, page_token, **reject, comment="同一骑手")
    assert overturned.status_code == 303
    decision, audit = stored(warehouse, event_id)
    assert (decision.decision, decision.decided_by, decision.version) == ("rejected", "wang", 2)
    overturn = [(e.field, e.value_from, e.value_to) for e in audit if e.action == "overturn"]
    assert ("decision", "confirmed", "rejected") in overturn
    assert "改判（第 2 版）" in supervisor.get(f"/events/{event_id}").text


def test_double_review_needs_a_second_different_reviewer(login, events, warehouse, page_token):
    event_id = events[1]["event_id"]  # wrong-way: double review
    li = login("li")
    first = {**CONFIRM, "courier_platform": "meituan", "rider_code": "MT-9"}
    assert decide(li, event_id, page_token, **first).status_code == 303
    assert stored(warehouse, event_id)[0].review_status == "awaiting_second"
    own = li.get(f"/events/{event_id}")
    assert "须由另一名审核员复核" in own.text and 'id="decision-form"' not in own.text
    again = li.post(
        f"/events/{event_id}/decision",
        data={"csrf_token": page_token(own.text), "version": "1", **first},
    )
    assert again.status_code == 403 and "不能复核自己的审核" in again.text
    zhou_page = login("zhou").get(f"/events/{event_id}").text
    assert "复核（双人复核）" in zhou_page and 'value="MT-9"' in zhou_page
    assert decide(login("zhou"), event_id, page_token, **first).status_code == 303
    decision, _ = stored(warehouse, event_id)
    assert (decision.review_status, decision.first_reviewed_by, decision.second_reviewed_by) == (
        "confirmed",
        "li",
        "zhou",
    )


def test_a_second_reviewer_who_disagrees_sends_the_event_to_a_supervisor(
    login, events, warehouse, page_token
):
    event_id = events[1]["event_id"]
    first = {**CONFIRM, "courier_platform": "meituan", "rider_code": "MT-9"}
    decide(login("li"), event_id, page_token, **first)
    decide(login("zhou"), event_id, page_token, **{**first, "disposition": "education"})
    assert stored(warehouse, event_id)[0].review_status == "disputed"
    reviewer_page = login("li").get(f"/events/{event_id}").text
    assert "等待督导裁定" in reviewer_page and 'id="decision-form"' not in reviewer_page
    page = login("wang").get(f"/events/{event_id}").text
    assert 'id="proposals"' in page and "督导裁定" in page
    assert "<td>警告</td><td>教育</td>" in page.replace("\n", "").replace(" ", "")
    assert decide(login("wang"), event_id, page_token, **first).status_code == 303
    decision, _ = stored(warehouse, event_id)
    assert (decision.review_status, decision.disposition, decision.decided_by) == (
        "confirmed",
        "warning",
        "wang",
    )


def test_two_reviewers_on_one_queue_never_open_the_same_event(login, events, page_token):
    """Each follows the queue from its top; an event one holds is skipped by the other."""
    li, zhou = login("li"), login("zhou")
    li_first = li.get("/").text.split('data-first="', 1)[1].split('"', 1)[0]
    held = li.get(li_first)
    assert held.status_code == 200 and 'id="decision-form"' in held.text
    # zhou opens the same top event: it is held, so zhou is shown who holds it and the next
    taken = zhou.get(li_first).text
    assert "该事件正由 <strong>li</strong> 审核" in taken and 'id="decision-form"' not in taken
    zhou_next = taken.split('data-next="', 1)[1].split('"', 1)[0]
    assert zhou_next and zhou_next != li_first
    assert 'id="decision-form"' in zhou.get(zhou_next).text
    li_next = li.get(li_first).text.split('data-next="', 1)[1].split('"', 1)[0]
    assert li_next and li_next != zhou_next  # li's next skips the event zhou now holds
    assert "该事件正由 <strong>zhou</strong> 审核" in li.get(zhou_next).text
    held_event = li_first.split("/events/", 1)[1]
    refused = zhou.post(
        f"/events/{held_event}/decision",
        data={"csrf_token": page_token(taken), "version": "0", **CONFIRM},
    )
    assert refused.status_code == 409 and "正由其他审核员处理" in refused.text
    queue = li.get("/?status=all").text
    assert "zhou 审核中" in queue and "li 审核中" in queue


def test_a_tampered_evidence_file_is_flagged_and_cannot_be_confirmed(
    login, events, warehouse, page_token
):
    event = events[2]
    folder = warehouse / event["evidence_path"]
    (folder / "frame_2_at.jpg").write_bytes(b"retouched")
    # whoever changed the picture rewrote its digest beside it too: it makes no difference
    record = (folder / "event.json").read_text(encoding="utf-8")
    (folder / "event.json").write_text(record.replace('"sha256": "', '"sha256": "0', 1), "utf-8")
    browser = login("li")
    page = browser.get(f"/events/{event['event_id']}").text
    assert 'data-state="tampered"' in page
    assert "违法时：✗ 与入库记录不符" in page
    assert "✓ 证据与入库记录一致" not in page
    assert 'id="confirm-button" disabled' in page
    refused = decide(browser, event["event_id"], page_token, **CONFIRM)
    assert refused.status_code == 422 and "不能确认违法" in refused.text
    assert stored(warehouse, event["event_id"]) == (None, [])
    rejected = decide(
        browser,
        event["event_id"],
        page_token,
        action="reject",
        reason_code="bad_footage",
        courier_platform="unknown",
    )
    assert rejected.status_code == 303


def test_an_event_without_its_evidence_cannot_be_confirmed(
    login, events, warehouse, page_token, queue_events
):
    import shutil

    shutil.rmtree(warehouse / events[2]["evidence_path"])
    reloaded = [{**event, "load_id": "L2"} for event in events]
    reloaded[0]["evidence_sha256_json"] = None  # loaded before digests were recorded
    queue_events(reloaded)
    browser = login("li")
    for event, reason in ((events[2], "证据文件缺失"), (events[0], "无法核验证据")):
        response = decide(browser, event["event_id"], page_token, **CONFIRM)
        assert response.status_code == 422 and reason in response.text
        assert stored(warehouse, event["event_id"]) == (None, [])


def test_a_reviewer_limited_to_districts_sees_and_decides_only_theirs(
    login, events, warehouse, page_token
):
    with store_session(warehouse) as conn:
        set_districts(conn, "li", [events[0]["district"]])
    li = login("li")
    assert li.get(f"/events/{events[2]['event_id']}").status_code == 404
    refused = li.post(
        f"/events/{events[2]['event_id']}/decision",
        data={"csrf_token": page_token(li.get("/").text), "version": "0", **CONFIRM},
    )
    assert refused.status_code == 404
    queue = li.get("/?status=all").text
    assert 'id="count-all">1<' in queue
    assert decide(li, events[0]["event_id"], page_token, **CONFIRM).status_code == 303
    evidence = f"/evidence/{events[2]['evidence_path']}/closeup.jpg"
    assert li.get(evidence).status_code == 404
    assert login("zhou").get(evidence).status_code == 200


def test_deciding_an_unknown_event_is_404(login, events, page_token):
    browser = login("li")
    token = page_token(browser.get("/").text)
    response = browser.post(
        "/events/nope/decision", data={"csrf_token": token, "version": "0", **CONFIRM}
    )
    assert response.status_code == 404
