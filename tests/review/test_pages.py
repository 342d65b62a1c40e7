from datetime import UTC, datetime

import pytest

from analytics.decisions.queue_filter import QueueQuery
from review.pages import event_url, evidence_url, local_time, queue_url, safe_next


def test_stored_instants_show_as_local_wall_clock_time():
    assert local_time("2025-03-02T16:00:00.000000+00:00", "Asia/Shanghai") == "2025-03-03 00:00:00"
    assert local_time(datetime(2025, 3, 3, tzinfo=UTC), "Asia/Bangkok") == "2025-03-03 07:00:00"
    assert local_time(None, "Asia/Shanghai") == "未知"


def test_links_carry_only_the_filters_that_differ_from_the_defaults():
    query = QueueQuery(camera="cam 1&2", sort="oldest")
    assert queue_url(QueueQuery()) == "/"
    assert queue_url(query, page=3) == "/?camera=cam+1%262&sort=oldest&page=3"
    assert (
        event_url("e-1", query, "/decision") == "/events/e-1/decision?camera=cam+1%262&sort=oldest"
    )


def test_evidence_links_quote_each_path_segment():
    path = "evidence/clip=ab/load=2025/e 1/clip.mp4"
    assert evidence_url(path) == "/evidence/evidence/clip=ab/load=2025/e%201/clip.mp4"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/events/e1?status=all", "/events/e1?status=all"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_after_login_only_this_sites_paths_are_followed(target, expected):
    assert safe_next(target) == expected
