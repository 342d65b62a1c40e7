from datetime import UTC, datetime

from analytics.decisions.decisions import DecisionChange, decide
from analytics.decisions.export import DECISIONS_SCHEMA, current_decisions
from analytics.decisions.store import store_path

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def test_no_store_yet_gives_an_empty_table_and_creates_nothing(tmp_path):
    table = current_decisions(tmp_path)
    assert table.num_rows == 0
    assert table.schema == DECISIONS_SCHEMA
    assert not store_path(tmp_path).exists()


def test_one_row_per_decided_event_with_its_current_version(root, conn, people):
    decide(
        conn,
        "e2",
        DecisionChange(decision="confirmed", rider_code="A1"),
        0,
        people["reviewer"],
        NOW,
    )
    decide(
        conn,
        "e1",
        DecisionChange(decision="rejected", reason_code="other", comment="a tree"),
        0,
        people["reviewer"],
        NOW,
    )
    decide(
        conn,
        "e1",
        DecisionChange(decision="confirmed", comment="overturned"),
        1,
        people["supervisor"],
        NOW,
    )
    table = current_decisions(root)
    assert table.schema == DECISIONS_SCHEMA
    assert table.to_pylist() == [
        {
            "event_id": "e1",
            "decision": "confirmed",
            "reason_code": None,
            "comment": "overturned",
            "courier_platform": None,
            "rider_code": None,
            "decided_by": "supervisor",
            "decided_at": NOW,
            "version": 2,
        },
        {
            "event_id": "e2",
            "decision": "confirmed",
            "reason_code": None,
            "comment": None,
            "courier_platform": None,
            "rider_code": "A1",
            "decided_by": "reviewer",
            "decided_at": NOW,
            "version": 1,
        },
    ]
