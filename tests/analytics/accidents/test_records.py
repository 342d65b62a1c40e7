from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from analytics.accidents.records import (
    RECORD_SCHEMA,
    SourcedAccident,
    records_table,
    stored_imports,
    write_atomically,
    write_records,
)
from analytics.accidents.rows import Accident

ACCIDENT = Accident(
    occurred_at=datetime(2026, 3, 1, 16, 30, tzinfo=UTC),
    intersection_id=None,
    location_text="幸福路口",
    district="朝阳区",
    severity="fatal",
    count_deaths=1,
    count_injuries=2,
    is_pedestrian_involved=True,
    is_non_motor_involved=False,
    is_courier_involved=False,
    is_motor_vehicle_involved=True,
    is_synthetic=True,
    occurred_local_at=datetime(2026, 3, 2, 0, 30),
    timezone="Asia/Shanghai",
    source_name="police",
    record_id="abcd" * 4,
    content_sha16="c" * 16,
)


def test_the_table_follows_the_schema(tmp_path):
    at = datetime(2026, 12, 1, tzinfo=UTC)
    table = records_table([SourcedAccident(7, ACCIDENT)], "f" * 16, at)
    assert table.schema == RECORD_SCHEMA
    [row] = table.to_pylist()
    assert (row["record_id"], row["source_line"], row["source_file_sha16"]) == (
        "abcd" * 4,
        7,
        "f" * 16,
    )
    assert (row["intersection_id"], row["count_injuries"], row["is_synthetic"]) == (None, 2, True)
    assert row["imported_at"] == at
    assert (row["occurred_local_at"], row["timezone"], row["content_sha16"]) == (
        datetime(2026, 3, 2, 0, 30),
        "Asia/Shanghai",
        "c" * 16,
    )


def test_stored_imports_are_read_per_file_old_files_included(tmp_path):
    at = datetime(2026, 12, 1, tzinfo=UTC)
    folder = tmp_path / "accidents" / "records"
    write_records(folder / "a.parquet", records_table([SourcedAccident(2, ACCIDENT)], "a", at))
    write_records(folder / "b.parquet", records_table([], "b", at))
    old = records_table([SourcedAccident(2, ACCIDENT)], "c", at).select(["record_id"])
    write_records(folder / "c.parquet", old)  # written before content digests existed
    stored = stored_imports(tmp_path)
    assert (stored["a"].contents, stored["a"].imported_at) == ({"abcd" * 4: "c" * 16}, at)
    assert (stored["b"].contents, stored["c"].contents) == ({}, {"abcd" * 4: None})
    assert pq.read_table(folder / "b.parquet").schema == RECORD_SCHEMA


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")

    def failing(temp):
        temp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, failing)
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


def test_a_partial_left_by_a_killed_import_is_cleared(tmp_path):
    (tmp_path / ".report.json.partial-x1").write_text("half")
    write_atomically(tmp_path / "report.json", lambda temp: temp.write_text("new"))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"]
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o644
