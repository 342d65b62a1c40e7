from datetime import UTC, datetime

from analytics.decisions.decisions import decide
from analytics.decisions.export import DECISIONS_SCHEMA, current_decisions
from analytics.decisions.models import DecisionChange
from analytics.decisions.store import store_path

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def test_no_store_yet_gives_an_empty_table_and_creates_nothing(tmp_path):
    table = current_decisions(tmp_path)
    assert table.num_rows == 0
    assert table.schema == DECISIONS_SCHEMA
    assert not store_path(tmp_path).exists()


def test_a_store_being_created_reads_as_no_store_yet(tmp_path):
    """The workbench creates the file, then commits its tables: a reader in between (the
    warehouse connecting while a reviewer opens the workbench the first time) sees no store."""
    store_path(tmp_path).parent.mkdir()
    store_path(tmp_path).touch(mode=0o600)
    table = current_decisions(tmp_path)
    assert table.num_rows == 0
    assert table.schema == DECISIONS_SCHEMA


def test_one_row_per_decided_event_with_its_current_version(root, conn, people, queued, policy):
    red, wrong = queued["red"], queued["wrong"]
    fine = DecisionChange(decision="confirmed", rider_code="A1", disposition="fine", fine_yuan=50)
    decide(conn, wrong, fine, 0, people["reviewer"], NOW, policy, evidence="intact")
    rejection = DecisionChange(decision="rejected", reason_code="other", comment="a tree")
    decide(conn, red, rejection, 0, people["reviewer"], NOW, policy, evidence="intact")
    overturn = DecisionChange(decision="confirmed", comment="overturned", disposition="warning")
    decide(conn, red, overturn, 1, people["supervisor"], NOW, policy, evidence="intact")
    table = current_decisions(root)
    assert table.schema == DECISIONS_SCHEMA
    assert sorted(table.to_pylist(), key=lambda row: row["version"]) == [
        {
            "event_id": wrong,
            "decision": "confirmed",
            "reason_code": None,
            "comment": None,
            "courier_platform": None,
            "rider_code": "A1",
            "disposition": "fine",
            "fine_yuan": 50,
            "stage": "awaiting_second",
            "first_reviewed_by": "reviewer",
            "second_reviewed_by": None,
            "decided_by": "reviewer",
            "decided_at": NOW,
            "version": 1,
        },
        {
            "event_id": red,
            "decision": "confirmed",
            "reason_code": None,
            "comment": "overturned",
            "courier_platform": None,
            "rider_code": None,
            "disposition": "warning",
            "fine_yuan": None,
            "stage": "final",
            "first_reviewed_by": "reviewer",
            "second_reviewed_by": None,
            "decided_by": "supervisor",
            "decided_at": NOW,
            "version": 2,
        },
    ]
