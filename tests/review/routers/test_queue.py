import re

import pytest

from analytics.decisions.store import store_session
from analytics.decisions.synthetic import synthetic_event


@pytest.fixture
def many(queue_events):
    """60 queued events (no evidence needed for the queue page)."""
    rows = [synthetic_event(i) for i in range(60)]
    queue_events(rows)
    return rows


def listed(html):
    return re.findall(r'class="event-link" href="/events/([^"?]+)', html)


def count(html, name):
    return int(re.search(rf'id="{name}">(\d+)<', html).group(1))


def test_the_queue_lists_pending_events_newest_first_with_counts(login, many, settings):
    page = login("li").get("/")
    assert page.status_code == 200
    assert listed(page.text) == [many[i]["event_id"] for i in range(59, 9, -1)]
    assert count(page.text, "count-pending") == 60
    assert count(page.text, "count-matching") == 60
    assert "第 1 / 2 页" in page.text


def test_page_two_holds_the_rest(login, many):
    page = login("li").get("/?page=2")
    assert listed(page.text) == [many[i]["event_id"] for i in range(9, -1, -1)]


def test_filters_narrow_the_list_and_the_counts(login, many):
    page = login("li").get("/?camera=cam-03&rule=wrong_way&sort=oldest")
    assert listed(page.text) == [many[3]["event_id"], many[23]["event_id"], many[43]["event_id"]]
    assert count(page.text, "count-all") == 3
    assert 'value="cam-03" selected' in page.text
    # the links to events keep the filters, so j/k walk the filtered queue
    assert (
        "/events/" + many[3]["event_id"] + "?camera=cam-03&amp;rule=wrong_way&amp;sort=oldest"
        in page.text
    )


def test_an_injection_attempt_in_a_filter_is_just_a_camera_that_does_not_exist(
    login, many, warehouse
):
    browser = login("li")
    for attack in ("x' or '1'='1", "x'; drop table queue_events; --", "1) or (1=1"):
        page = browser.get("/", params={"camera": attack, "status": "all"})
        assert page.status_code == 200
        assert listed(page.text) == []
        assert count(page.text, "count-all") == 0
    with store_session(warehouse) as conn:
        assert conn.execute("select count(*) from queue_events").fetchone()[0] == 60


@pytest.mark.parametrize(
    "params",
    [
        "?confidence_min=2",
        "?date_from=2025-03-05&date_to=2025-03-01",
        "?sort=random()",
        "?date_from=yesterday",
        "?page=0",
    ],
)
def test_a_nonsense_filter_gets_a_chinese_message(login, many, params):
    page = login("li").get("/" + params)
    assert page.status_code == 422
    assert "筛选的内容格式不正确" in page.text


def test_a_page_past_the_end_shows_the_last_one(login, many):
    page = login("li").get("/?page=99")
    assert "第 2 / 2 页" in page.text
