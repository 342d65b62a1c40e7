from datetime import UTC, datetime

from analytics.decisions.queue_sync import SOURCE_SCHEMA
from analytics.decisions.synthetic import synthetic_event, synthetic_events


def test_event_five_is_a_wrong_way_ride_of_a_jd_courier():
    event = synthetic_event(5)
    assert event["event_id"] == "clip000000-wrong_way-z5-5-50"
    assert (event["camera_id"], event["district"], event["rule"]) == (
        "cam-05",
        "西城区",
        "wrong_way",
    )
    assert event["detected_platform"] == "jd"
    assert event["confidence"] == 0.35
    assert event["occurred_at"] == datetime(2025, 3, 3, 0, 3, 5, tzinfo=UTC)
    assert event["evidence_path"].startswith("evidence/clip=clip000000/load=")


def test_the_table_has_the_queue_source_schema():
    table = synthetic_events(51)
    assert table.schema == SOURCE_SCHEMA
    assert table.column("clip_id").to_pylist()[-2:] == ["clip000000", "clip000001"]
