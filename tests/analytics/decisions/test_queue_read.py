from datetime import UTC, datetime

import pytest

from analytics.decisions.decisions import decide
from analytics.decisions.models import DecisionChange
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_read import (
    confirmed_by_rule_platform,
    filter_options,
    neighbour,
    queue_counts,
    queue_event,
    queue_page,
)
from analytics.decisions.store import utc_now
from analytics.decisions.synthetic import synthetic_event
from analytics.decisions.users import User

ZONE = "Asia/Shanghai"
EVENTS = [synthetic_event(i) for i in range(40)]
ID = [row["event_id"] for row in EVENTS]
NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
ME = User(1, "me", "reviewer")
CONFIRM = DecisionChange(decision="confirmed", disposition="warning")


@pytest.fixture
def queue(conn, sync_rows):
    sync_rows(EVENTS)
    return conn


@pytest.fixture
def decide_as(single_review_policy):
    def decide_one(conn, user, index, change):
        decide(conn, ID[index], change, 0, user, utc_now(), single_review_policy, evidence="intact")

    return decide_one


def indices(rows):
    return [ID.index(row["event_id"]) for row in rows]


def page_of(conn, page=1, page_size=100, **filters):
    return indices(queue_page(conn, QueueQuery(**filters), ZONE, page, page_size, NOW))


def test_pages_run_newest_first(queue):
    assert page_of(queue, 1, 10) == list(range(39, 29, -1))
    assert page_of(queue, 4, 10) == list(range(9, -1, -1))
    assert page_of(queue, 5, 10) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"camera": "cam-03"}, [23, 3]),
        ({"rule": "wrong_way"}, list(range(39, 0, -2))),
        ({"district": "东城区"}, list(range(36, -1, -4))),
        ({"platform": "meituan"}, [33, 25, 17, 9, 1]),
        ({"platform": "unknown", "rule": "wrong_way"}, [39, 31, 23, 15, 7]),
        ({"confidence_min": 0.6}, list(range(39, 29, -1))),
        ({"confidence_max": 0.35}, list(range(5, -1, -1))),
        ({"date_from": "2025-03-03", "date_to": "2025-03-03"}, list(range(39, -1, -1))),
        ({"date_from": "2025-03-04"}, []),
        ({"sort": "least_confident", "camera": "cam-03"}, [3, 23]),
    ],
)
def test_filters_and_sorting(queue, filters, expected):
    assert page_of(queue, **filters) == expected


def test_dates_are_whole_days_in_the_workbench_time_zone(conn, sync_rows):
    late = {**EVENTS[0], "occurred_at": datetime(2025, 3, 3, 15, 59, 59, tzinfo=UTC)}
    midnight = {**EVENTS[1], "occurred_at": datetime(2025, 3, 3, 16, 0, tzinfo=UTC)}
    sync_rows([late, midnight])
    assert page_of(conn, date_to="2025-03-03") == [0]  # 23:59:59 in Shanghai
    assert page_of(conn, date_from="2025-03-04") == [1]  # 00:00 on the 4th


def test_an_event_without_time_comes_last_and_never_matches_dates(conn, sync_rows):
    sync_rows([{**EVENTS[0], "occurred_at": None}, EVENTS[1]])
    assert page_of(conn) == [1, 0]
    assert page_of(conn, date_to="2025-03-10") == [1]


@pytest.mark.parametrize(
    "attack", ["cam-01' or '1'='1", "x'; drop table decisions; --", 'cam-01" or 1=1 --']
)
def test_an_injection_attempt_matches_nothing_and_harms_nothing(queue, attack):
    assert page_of(queue, status="all", camera=attack) == []
    assert queue.execute("select count(*) from decisions").fetchone()[0] == 0
    assert queue.execute("select count(*) from queue_events").fetchone()[0] == 40


def test_status_filters_and_counts_follow_decisions(queue, people, decide_as):
    reviewer = people["reviewer"]
    decide_as(queue, reviewer, 39, CONFIRM)
    decide_as(queue, reviewer, 37, CONFIRM)
    decide_as(queue, reviewer, 3, DecisionChange(decision="rejected", reason_code="duplicate"))
    assert page_of(queue, status="confirmed") == [39, 37]
    assert page_of(queue, status="rejected") == [3]
    assert page_of(queue, 1, 3) == [38, 36, 35]
    counts = queue_counts(queue, QueueQuery(rule="wrong_way"), ZONE)
    assert (counts.count_all, counts.count_pending) == (20, 17)
    assert queue_counts(queue, QueueQuery(camera="cam-03", rule="wrong_way"), ZONE).count_all == 2
    assert (counts.count_confirmed, counts.count_rejected) == (2, 1)
    assert counts.for_status("pending") == 17


def test_neighbours_follow_the_queue_order_even_from_a_decided_event(queue, people, decide_as):
    query = QueueQuery()
    assert neighbour(queue, query, ZONE, ID[10], ME, NOW) == ID[9]
    assert neighbour(queue, query, ZONE, ID[10], ME, NOW, reverse=True) == ID[11]
    decide_as(queue, people["reviewer"], 9, CONFIRM)
    assert neighbour(queue, query, ZONE, ID[10], ME, NOW) == ID[8]
    assert neighbour(queue, query, ZONE, ID[9], ME, NOW) == ID[8]
    assert neighbour(queue, query, ZONE, ID[0], ME, NOW) is None
    assert neighbour(queue, QueueQuery(camera="cam-03"), ZONE, ID[23], ME, NOW) == ID[3]
    assert neighbour(queue, query, ZONE, "no-such-event", ME, NOW) is None
    by_confidence = QueueQuery(sort="most_confident", rule="pedestrian_red_light")
    assert neighbour(queue, by_confidence, ZONE, ID[38], ME, NOW) == ID[36]


def test_an_event_and_the_filter_choices(queue):
    assert queue_event(queue, ID[5])["camera_id"] == "cam-05"
    assert queue_event(queue, "nope") is None
    options = filter_options(queue)
    assert options["camera"] == [f"cam-{i:02d}" for i in range(20)]
    assert options["district"] == sorted(["东城区", "西城区", "朝阳区", "海淀区"])
    assert options["platform"] == ["eleme", "jd", "meituan"]


def test_confirmed_events_count_by_rule_and_reviewed_platform(queue, people, decide_as):
    reviewer = people["reviewer"]
    decide_as(queue, reviewer, 1, CONFIRM.model_copy(update={"courier_platform": "eleme"}))
    decide_as(queue, reviewer, 9, CONFIRM)  # detected meituan
    decide_as(queue, reviewer, 2, CONFIRM)
    decide_as(queue, reviewer, 4, DecisionChange(decision="rejected", reason_code="duplicate"))
    rows = [tuple(row) for row in confirmed_by_rule_platform(queue)]
    assert rows == [
        ("pedestrian_red_light", None, "warning", 1, None),
        ("wrong_way", "eleme", "warning", 1, None),
        ("wrong_way", "meituan", "warning", 1, None),
    ]


def test_search_finds_events_by_id_prefix_camera_and_rider_code(queue, people, decide_as):
    decide_as(queue, people["reviewer"], 7, CONFIRM.model_copy(update={"rider_code": "MT-77"}))
    assert page_of(queue, status="all", search=ID[12]) == [12]
    assert page_of(queue, status="all", search="clip000000-wrong_way-z1-") == [21, 1]
    assert page_of(queue, status="all", search="cam-03") == [23, 3]
    assert page_of(queue, status="all", search="MT-77") == [7]
    assert page_of(queue, status="all", search="nobody") == []


def test_a_reviewer_limited_to_districts_sees_and_counts_only_theirs(queue):
    query = QueueQuery(status="all")
    rows = queue_page(queue, query, ZONE, 1, 100, NOW, ("东城区",))
    assert indices(rows) == list(range(36, -1, -4))
    assert queue_counts(queue, query, ZONE, ("东城区", "西城区")).count_all == 20
    assert filter_options(queue, ("东城区",))["camera"] == [f"cam-{i:02d}" for i in range(0, 20, 4)]
    local = User(2, "local", "reviewer", ("东城区",))
    assert neighbour(queue, QueueQuery(), ZONE, ID[36], local, NOW) == ID[32]


def test_next_skips_events_held_by_others_and_ones_own_awaiting_second_review(
    queue, people, policy
):
    from datetime import timedelta

    from analytics.decisions.claims import claim_event

    claim_event(queue, ID[9], people["reviewer2"], NOW, timedelta(minutes=5))
    assert neighbour(queue, QueueQuery(), ZONE, ID[10], ME, NOW) == ID[8]
    assert neighbour(queue, QueueQuery(), ZONE, ID[10], people["reviewer2"], NOW) == ID[9]
    assert neighbour(queue, QueueQuery(), ZONE, ID[10], ME, NOW + timedelta(minutes=6)) == ID[9]
    decide(
        queue, ID[7], CONFIRM, 0, ME, NOW, policy, evidence="intact"
    )  # wrong-way: waits for a second review
    awaiting = QueueQuery(status="awaiting_second")
    assert neighbour(queue, awaiting, ZONE, ID[8], ME, NOW) is None
    assert neighbour(queue, awaiting, ZONE, ID[8], people["reviewer2"], NOW) == ID[7]
    rows = queue_page(queue, QueueQuery(status="all"), ZONE, 1, 100, NOW)
    assert {row["event_id"]: row["claimed_by"] for row in rows}[ID[9]] == "reviewer2"
