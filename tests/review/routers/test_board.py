import re

from fastapi.testclient import TestClient

from review.app import create_app
from review.schemas import BoardFigures


def figure(html, name):
    return int(re.search(rf'id="figure-{name}">(\d+)<', html).group(1))


def confirm(browser, event_id, page_token, **fields):
    page = browser.get(f"/events/{event_id}")
    version = page.text.split('name="version" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": page_token(page.text), "version": version, "action": "confirm"}
    browser.post(f"/events/{event_id}/decision", data={**form, **fields})


def test_the_figures_change_as_events_are_decided(login, events, page_token):
    browser = login("li")
    before = browser.get("/board").text
    assert (figure(before, "pending"), figure(before, "confirmed")) == (3, 0)
    fine = {"courier_platform": "meituan", "disposition": "fine", "fine_yuan": "30"}
    confirm(browser, events[1]["event_id"], page_token, **fine)
    after = browser.get("/board").text
    assert (figure(after, "pending"), figure(after, "awaiting"), figure(after, "confirmed")) == (
        2,
        1,
        0,
    )
    confirm(login("zhou"), events[1]["event_id"], page_token, **fine)  # the second reviewer
    after = browser.get("/board").text
    assert (figure(after, "awaiting"), figure(after, "confirmed")) == (0, 1)
    assert "<th>非机动车逆行</th><td>1</td>" in after
    assert "<th>美团外卖</th><td>1</td>" in after
    assert "<th>罚款</th><td>1</td>" in after
    assert '<td id="fine-total">30 元</td>' in after
    assert figure(browser.get("/").text, "confirmed") == 1  # the queue header too


def test_the_figures_hook_replaces_the_store_counts(settings, accounts, log_in_with):
    seen = []

    def published(warehouse, districts):
        seen.append(warehouse)
        return BoardFigures(count_confirmed=41, source="红黑榜 2025-W10")

    with TestClient(create_app(settings, figures=published), follow_redirects=False) as browser:
        log_in_with(browser, "li", "correct horse 42")
        html = browser.get("/board").text
    assert figure(html, "confirmed") == 41
    assert "数据来源：红黑榜 2025-W10" in html
    assert seen == [settings.warehouse]
