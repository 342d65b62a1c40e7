import csv
import json
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
import yaml

from analytics.accidents.importer import import_accidents
from analytics.warehouse import connect
from detectors.config.errors import ConfigError, InputError

AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
GOOD = [
    "2026-03-02 08:00,幸福路口,x-1,朝阳区,minor,,1,car+walker",
    "2026-03-03 18:30,工体北路,x-2,朝阳区,damage,0,0,car+courier",
]


def stored(report) -> list[dict]:
    return pq.read_table(report.records_path).to_pylist()


def test_accepted_rows_land_in_the_warehouse_with_their_source(tmp_path, write_export):
    csv_path, mapping_path = write_export(GOOD)
    report = import_accidents(tmp_path / "wh", csv_path, mapping_path, imported_at=AT)

    assert (report.status, report.count_read, report.count_accepted, report.count_rejected) == (
        "new",
        2,
        2,
        0,
    )
    assert report.records_path == tmp_path / "wh/accidents/records" / f"{report.file_sha16}.parquet"
    rows = stored(report)
    assert [(row["source_line"], row["location_text"], row["severity"]) for row in rows] == [
        (2, "幸福路口", "minor_injury"),
        (3, "工体北路", "property_damage"),
    ]
    assert rows[1]["occurred_at"] == datetime(2026, 3, 3, 10, 30, tzinfo=UTC)
    assert rows[1]["is_courier_involved"] and rows[1]["is_non_motor_involved"]
    assert {row["source_file_sha16"] for row in rows} == {report.file_sha16}
    assert rows[0]["imported_at"] == AT
    assert report.rejected_path is None and not (tmp_path / "wh/accidents/rejected").exists()
    summary = json.loads(report.report_path.read_text(encoding="utf-8"))
    assert (summary["count_accepted"], summary["records_path"]) == (
        2,
        f"accidents/records/{report.file_sha16}.parquet",
    )


def test_bad_rows_are_kept_aside_with_line_and_reason(tmp_path, write_export):
    rows = [
        GOOD[0],
        "unknown,a,x-1,d,minor,,,car",  # line 3
        "2026-03-02 09:00,b,x-1,d,pending,,,car",  # line 4
        "2026-03-02 09:00,c,x-1,d,minor,-2,,car",  # line 5
        "2026-03-02 09:00,,x-1,d,minor,,,car",  # line 6
        "2026-03-02 09:00,d,e,x-1,d,minor,,,car",  # line 7
        GOOD[1],
    ]
    csv_path, mapping_path = write_export(rows)
    report = import_accidents(tmp_path / "wh", csv_path, mapping_path)

    assert (report.count_read, report.count_accepted, report.count_rejected) == (7, 2, 5)
    assert report.is_rejected_share_exceeded  # 5 of 7, more than the default 10 %
    assert [(reason.count, reason.example_lines) for reason in report.rejection_reasons] == [
        (1, [3]),
        (1, [4]),
        (1, [5]),
        (1, [6]),
        (1, [7]),
    ]
    assert [(row.line, row.reason.split(" ")[0]) for row in report.rejected] == [
        (3, "when"),
        (4, "severity"),
        (5, "deaths"),
        (6, "place"),
        (7, "9"),
    ]
    with report.rejected_path.open(encoding="utf-8-sig", newline="") as handle:
        kept = list(csv.reader(handle))
    assert kept[0] == ["source_line", "reason", "record"]
    assert kept[5] == [
        "7",
        "9 fields where the header has 8; a value holding the delimiter ',' must be quoted",
        "2026-03-02 09:00,d,e,x-1,d,minor,,,car",
    ]


def test_a_gbk_export_with_a_damaged_row(tmp_path, write_export, mapping_dict):
    header = "时间,地点,路口,街乡,形态,死亡,受伤,当事方\r\n"
    good = "2026-03-02 08:00,幸福路与工体北路交叉口,x-1,朝阳区,轻伤,,1,机动车、行人\r\n"
    data = (header + good).encode("gbk") + b"2026-03-02 09:00,\xff\xfe,x-1,d,,,,\r\n"
    mapping = mapping_dict(
        encoding="gbk",
        occurred_at={"column": "时间", "formats": ["%Y-%m-%d %H:%M"]},
        location="地点",
        intersection_id="路口",
        district="街乡",
        severity={"column": "形态", "values": {"轻伤": "minor_injury"}},
        deaths="死亡",
        injuries="受伤",
        parties={"column": "当事方", "values": {"机动车": "motor_vehicle", "行人": "pedestrian"}},
    )
    csv_path, mapping_path = write_export(data, mapping)
    report = import_accidents(tmp_path / "wh", csv_path, mapping_path)

    [row] = stored(report)
    assert (row["location_text"], row["district"], row["is_pedestrian_involved"]) == (
        "幸福路与工体北路交叉口",
        "朝阳区",
        True,
    )
    [bad] = report.rejected
    assert (bad.line, bad.reason) == (3, "bytes that are not valid gbk; the export is damaged here")
    assert bad.record == "2026-03-02 09:00,\\xff\\xfe,x-1,d,,,,"


def test_importing_the_same_file_again_adds_nothing(tmp_path, write_export):
    csv_path, mapping_path = write_export([*GOOD, "bad"])
    first = import_accidents(tmp_path / "wh", csv_path, mapping_path, imported_at=AT)
    written = sorted(p.stat().st_mtime_ns for p in (tmp_path / "wh").rglob("*.*"))

    again = import_accidents(tmp_path / "wh", csv_path, mapping_path)
    # The file's own earlier rows are not "already in the warehouse": no other import has them.
    assert (again.status, again.count_accepted, again.count_already_present) == ("unchanged", 2, 0)
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "wh").rglob("*.*")) == written
    assert stored(first)[0]["imported_at"] == AT


def test_a_second_export_repeating_records_counts_them_once(tmp_path, write_export):
    third = "2026-03-04 07:00,三里屯,x-3,朝阳区,fatal,1,0,car+walker"
    csv_a, mapping_path = write_export(GOOD, name="march-a")
    csv_b, _ = write_export([GOOD[1], third], name="march-b")
    import_accidents(tmp_path / "wh", csv_a, mapping_path)
    report = import_accidents(tmp_path / "wh", csv_b, mapping_path)

    assert (report.status, report.count_accepted, report.count_already_present) == ("new", 2, 1)
    con = connect(tmp_path / "wh")
    assert con.sql("select count(*) from raw_accident_records").fetchall() == [(4,)]
    kept = con.sql("select location_text from stg_accident_records order by 1").fetchall()
    assert kept == [("三里屯",), ("工体北路",), ("幸福路口",)]


def test_a_corrected_mapping_replaces_that_files_rows(tmp_path, write_export, mapping_dict):
    csv_path, mapping_path = write_export([GOOD[0], "2026-03-05 10:00,e,x-1,d,serious,,,car"])
    first = import_accidents(tmp_path / "wh", csv_path, mapping_path)
    assert (first.count_rejected, first.rejected_path.exists()) == (1, True)

    corrected = mapping_dict()
    corrected["severity"]["values"]["serious"] = "serious_injury"
    mapping_path.write_text(yaml.safe_dump(corrected), encoding="utf-8")
    second = import_accidents(tmp_path / "wh", csv_path, mapping_path)

    assert (second.status, second.count_accepted, second.count_already_present) == (
        "replaced",
        2,
        0,
    )
    assert [row["severity"] for row in stored(second)] == ["minor_injury", "serious_injury"]
    assert not first.rejected_path.exists()
    assert len(list((tmp_path / "wh/accidents/records").iterdir())) == 1


def test_a_mapping_naming_absent_columns_stops_the_import(tmp_path, write_export, mapping_dict):
    csv_path, mapping_path = write_export(GOOD, mapping_dict(location="地点"))
    with pytest.raises(InputError, match="export.csv: column\\(s\\) named in the mapping"):
        import_accidents(tmp_path / "wh", csv_path, mapping_path)
    assert not (tmp_path / "wh").exists()


def test_bad_mapping_and_missing_file(tmp_path, write_export, mapping_dict):
    csv_path, mapping_path = write_export(GOOD, mapping_dict(encoding="klingon"))
    with pytest.raises(ConfigError, match="encoding: 'klingon' is not a text encoding"):
        import_accidents(tmp_path / "wh", csv_path, mapping_path)
    _, good_mapping = write_export(GOOD, name="other")
    with pytest.raises(InputError, match="absent.csv: file not found"):
        import_accidents(tmp_path / "wh", tmp_path / "absent.csv", good_mapping)


def test_a_case_key_upserts_the_newest_version(tmp_path, write_export, mapping_dict):
    mapping = mapping_dict(case_key="junction")
    first, mapping_path = write_export(GOOD, mapping, name="first")
    corrected, _ = write_export(
        ["2026-03-02 08:00,幸福路口,x-1,朝阳区,fatal,1,1,car+walker"], mapping, name="second"
    )
    earlier = import_accidents(tmp_path / "wh", first, mapping_path, imported_at=AT)
    report = import_accidents(
        tmp_path / "wh", corrected, mapping_path, imported_at=datetime(2026, 12, 2, tzinfo=UTC)
    )
    assert (report.count_already_present, report.count_corrected) == (1, 1)
    con = connect(tmp_path / "wh")
    current = con.sql("select case_key, severity from stg_accident_records order by 1").fetchall()
    assert current == [("junction=x-1", "fatal"), ("junction=x-2", "property_damage")]
    versions = con.sql(
        "select import_id, is_current, is_changed from accident_record_versions "
        "where case_key = 'junction=x-1' order by version_number"
    ).fetchall()
    assert versions == [(earlier.file_sha16, False, False), (report.file_sha16, True, True)]


def test_without_a_timezone_the_warehouses_zone_is_taken_with_a_notice(
    tmp_path, write_export, mapping_dict, monkeypatch
):
    mapping = mapping_dict()
    del mapping["timezone"]
    csv_path, mapping_path = write_export(GOOD, mapping)
    monkeypatch.delenv("CIVILITY_BOARD_TIMEZONE", raising=False)
    with pytest.raises(ConfigError, match="timezone: required field is missing"):
        import_accidents(tmp_path / "wh", csv_path, mapping_path)
    monkeypatch.setenv("CIVILITY_BOARD_TIMEZONE", "America/New_York")
    report = import_accidents(tmp_path / "wh", csv_path, mapping_path)
    assert report.notices and "America/New_York" in report.notices[0]
    assert stored(report)[0]["occurred_at"] == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
