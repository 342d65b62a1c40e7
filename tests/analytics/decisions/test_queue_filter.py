from datetime import date

import pytest
from pydantic import ValidationError

from analytics.decisions.queue_filter import QueueQuery, after_sql, filter_sql, order_sql

ZONE = "Asia/Shanghai"  # UTC+8, no daylight saving


def test_the_default_query_is_the_pending_queue_newest_first():
    condition = filter_sql(QueueQuery(), ZONE)
    assert condition.where == "q.review_status = :status"
    assert condition.params == {"status": "pending"}
    assert order_sql("newest") == "ifnull(q.occurred_at, '') desc, q.event_id desc"


def test_every_filter_is_a_fixed_fragment_with_a_named_parameter():
    query = QueueQuery(
        status="confirmed",
        camera="cam-01",
        district="朝阳区",
        rule="wrong_way",
        platform="meituan",
        date_from=date(2025, 3, 3),
        date_to=date(2025, 3, 4),
        confidence_min=0.5,
        confidence_max=0.9,
    )
    condition = filter_sql(query, ZONE)
    assert condition.where == (
        "q.review_status = :status and q.camera_id = :camera and q.district = :district"
        " and q.rule = :rule and q.detected_platform = :platform"
        " and q.occurred_at >= :occurred_from and q.occurred_at < :occurred_before"
        " and q.confidence >= :confidence_min and q.confidence <= :confidence_max"
    )
    assert condition.params == {
        "status": "confirmed",
        "camera": "cam-01",
        "district": "朝阳区",
        "rule": "wrong_way",
        "platform": "meituan",
        # 3 March 00:00 in Shanghai is 2 March 16:00 UTC; the 4th is included whole.
        "occurred_from": "2025-03-02T16:00:00.000000+00:00",
        "occurred_before": "2025-03-04T16:00:00.000000+00:00",
        "confidence_min": 0.5,
        "confidence_max": 0.9,
    }


def test_an_injection_attempt_is_only_a_parameter_value():
    attack = "cam-01' or '1'='1"
    condition = filter_sql(QueueQuery(camera=attack), ZONE)
    assert attack not in condition.where
    assert condition.params["camera"] == attack


def test_unknown_platform_means_none_detected():
    condition = filter_sql(QueueQuery(status="all", platform="unknown"), ZONE)
    assert condition.where == "q.detected_platform is null"


def test_blank_form_fields_are_no_filter():
    assert QueueQuery(camera=" ", date_from="", confidence_min="") == QueueQuery()


@pytest.mark.parametrize(
    "fields",
    [
        {"date_from": "2025-03-05", "date_to": "2025-03-04"},
        {"confidence_min": 0.9, "confidence_max": 0.5},
        {"confidence_min": 1.5},
        {"rule": "speeding"},
        {"sort": "random()"},
        {"status": "deleted"},
    ],
)
def test_nonsense_queries_are_refused(fields):
    with pytest.raises(ValidationError):
        QueueQuery(**fields)


TIME_KEY, CONFIDENCE_KEY = "ifnull(q.occurred_at, '')", "ifnull(q.confidence, 0)"


@pytest.mark.parametrize(
    ("sort", "reverse", "expected"),
    [
        (
            "newest",
            False,
            f"{TIME_KEY} <= :after_key"
            f" and ({TIME_KEY} < :after_key or q.event_id < :after_event_id)",
        ),
        (
            "newest",
            True,
            f"{TIME_KEY} >= :after_key"
            f" and ({TIME_KEY} > :after_key or q.event_id > :after_event_id)",
        ),
        (
            "least_confident",
            False,
            f"{CONFIDENCE_KEY} >= :after_key"
            f" and ({CONFIDENCE_KEY} > :after_key or q.event_id > :after_event_id)",
        ),
    ],
)
def test_after_follows_the_sort_direction(sort, reverse, expected):
    assert after_sql(sort, reverse) == expected


def test_a_reviewers_districts_bound_every_query():
    condition = filter_sql(QueueQuery(status="all", district="东城区"), ZONE, ("朝阳区", "海淀区"))
    assert condition.where == ("q.district in (:scope_0, :scope_1) and q.district = :district")
    assert condition.params == {"scope_0": "朝阳区", "scope_1": "海淀区", "district": "东城区"}
    assert filter_sql(QueueQuery(status="all"), ZONE, ()).where == "q.district in (null)"


def test_search_matches_an_event_id_prefix_a_camera_or_a_rider_code():
    condition = filter_sql(QueueQuery(status="all", search="  MT-0042 "), ZONE)
    assert ":search" in condition.where and "d.rider_code = :search" in condition.where
    assert condition.params["search"] == "MT-0042"
    assert condition.params["search_end"] == "MT-0042\U0010ffff"
