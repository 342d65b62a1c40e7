from datetime import UTC, datetime

import pytest

from analytics.accidents.mapping import AccidentMapping
from analytics.accidents.rows import RowRejected, normalise_record, with_record_ids

HEADER = ["when", "place", "junction", "district", "severity", "deaths", "injured", "parties"]


@pytest.fixture
def mapping(mapping_dict) -> AccidentMapping:
    return AccidentMapping.model_validate(mapping_dict())


def accident_of(fields, mapping):
    return normalise_record(fields, HEADER, mapping).accident


def test_a_good_record_becomes_an_accident(mapping):
    fields = ["2026-03-02 00:30", " 幸福路口 ", "x-1", "", "Minor", "", "2", "car+courier"]
    accident = accident_of(fields, mapping)
    # 00:30 in Shanghai (UTC+8) is 16:30 UTC the day before.
    assert accident.occurred_at == datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    assert (accident.location_text, accident.intersection_id, accident.district) == (
        "幸福路口",
        "x-1",
        None,
    )
    assert (accident.severity, accident.count_deaths, accident.count_injuries) == (
        "minor_injury",
        0,
        2,
    )
    flags = (
        accident.is_pedestrian_involved,
        accident.is_non_motor_involved,
        accident.is_courier_involved,
        accident.is_motor_vehicle_involved,
    )
    assert flags == (False, True, True, True)
    assert accident.is_synthetic is False
    assert (accident.occurred_local_at, accident.timezone) == (
        datetime(2026, 3, 2, 0, 30),
        "Asia/Shanghai",
    )
    assert (accident.source_name, accident.case_key, accident.location_kind) == (
        "police",
        None,
        "place",
    )


def test_every_problem_of_a_record_is_reported(mapping):
    fields = ["2026-02-30 08:00", "", "x-1", "d", "pending", "-1", "two", "car+tram"]
    with pytest.raises(RowRejected) as caught:
        normalise_record(fields, HEADER, mapping)
    assert caught.value.reasons == [
        "when '2026-02-30 08:00' fits none of the formats ['%Y-%m-%d %H:%M']; "
        "add its pattern to occurred_at.formats",
        "place is empty; it is required",
        "deaths is -1; a count of people cannot be negative",
        "injured 'two' is not a whole number",
        "severity 'pending' is not a known severity; add it to severity.values",
    ]
    # Each problem also has a summary without the row's value, for counting in a report.
    assert caught.value.problems[4].summary == (
        "severity has a word that is not a known severity; add it to severity.values"
    )


def test_a_record_of_the_wrong_width_is_rejected_before_anything_else(mapping):
    with pytest.raises(RowRejected, match="9 fields where the header has 8; a value holding"):
        normalise_record(["x"] * 9, HEADER, mapping)


def test_undecodable_bytes_reject_the_record_only_in_a_column_it_reads(mapping_dict):
    mapping = AccidentMapping.model_validate(mapping_dict(encoding="gbk", district=None))
    fields = ["2026-03-02 00:30", "bad\udcff", "x-1", "d", "minor", "", "", "car"]
    with pytest.raises(RowRejected, match="bytes that are not valid gbk"):
        normalise_record(fields, HEADER, mapping)
    fields = ["2026-03-02 00:30", "p", "x-1", "d\udcff", "minor", "", "", "car"]
    assert accident_of(fields, mapping).location_text == "p"


def test_the_synthetic_flag_column(mapping_dict):
    mapping = AccidentMapping.model_validate(
        mapping_dict(synthetic={"column": "district", "values": ["合成数据"]})
    )
    fields = ["2026-03-02 00:30", "p", "", "合成数据", "minor", "", "", ""]
    accident = accident_of(fields, mapping)
    assert (accident.is_synthetic, accident.intersection_id) == (True, None)


def test_record_ids_follow_content_and_tell_identical_records_apart(mapping):
    def accident(place: str):
        fields = ["2026-03-02 00:30", place, "x-1", "d", "minor", "", "", "car"]
        return accident_of(fields, mapping)

    first = with_record_ids([accident("a"), accident("b"), accident("a")])
    again = with_record_ids([accident("b"), accident("a")])
    ids = [item.record_id for item in first]
    assert len(set(ids)) == 3 and all(len(record_id) == 16 for record_id in ids)
    # The same content gets the same id in another export; its first copy there is copy #0.
    assert [item.record_id for item in again] == [ids[1], ids[0]]


def test_a_case_key_identifies_every_version_of_a_case(mapping_dict):
    mapping = AccidentMapping.model_validate(mapping_dict(case_key="junction"))
    first = accident_of(["2026-03-02 00:30", "a", "K-7", "d", "minor", "", "1", "car"], mapping)
    corrected = accident_of(
        ["2026-03-02 00:30", "a", "K-7", "d", "fatal", "1", "1", "car"], mapping
    )
    other = accident_of(["2026-03-02 00:30", "a", "K-8", "d", "minor", "", "1", "car"], mapping)
    ids = with_record_ids([first, corrected, other])
    assert first.case_key == "junction=K-7"
    assert ids[0].record_id == ids[1].record_id != ids[2].record_id
    assert ids[0].content_sha16 != ids[1].content_sha16
    with pytest.raises(RowRejected, match="junction is empty; it is part of the case key"):
        accident_of(["2026-03-02 00:30", "a", "", "d", "minor", "", "1", "car"], mapping)


def test_without_a_severity_column_it_is_derived_from_the_counts(mapping_dict):
    mapping = AccidentMapping.model_validate(mapping_dict(severity={}))
    derived = [
        accident_of(["2026-03-02 08:00", "p", "", "", "", deaths, injured, "car"], mapping)
        for deaths, injured in [("1", "3"), ("", "2"), ("0", "")]
    ]
    assert [a.severity for a in derived] == ["fatal", "injury", "property_damage"]
    assert all(a.is_severity_derived for a in derived)


def test_warnings_keep_the_record(mapping_dict):
    mapping = AccidentMapping.model_validate(
        mapping_dict(severity={"column": "severity", "values": {"minor": "minor_injury"}})
    )
    normalised = normalise_record(
        ["2026-03-02 00:00", "p", "", "", "", "", "1", "car+tram"], HEADER, mapping
    )
    assert normalised.accident.is_time_placeholder and normalised.accident.severity == "injury"
    assert [warning.summary for warning in normalised.warnings] == [
        "'tram' is not in parties.values and counts as other; map it to a party type if it is one",
        "the time 00:00 stands for 'not recorded' (occurred_at.placeholder_times): flagged "
        "is_time_placeholder",
        "severity is empty: severity derived from the counts",
    ]
