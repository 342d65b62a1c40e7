from datetime import UTC, datetime

import pytest

from analytics.accidents.mapping import AccidentMapping, PartiesColumn
from analytics.accidents.rows import (
    RowRejected,
    normalise_record,
    parse_count,
    parse_occurred_at,
    parse_parties,
    with_record_ids,
)

HEADER = ["when", "place", "junction", "district", "severity", "deaths", "injured", "parties"]


@pytest.fixture
def mapping(mapping_dict) -> AccidentMapping:
    return AccidentMapping.model_validate(mapping_dict())


def test_a_good_record_becomes_an_accident(mapping):
    fields = ["2026-03-02 00:30", " 幸福路口 ", "x-1", "", "Minor", "", "2", "car+courier"]
    accident = normalise_record(fields, HEADER, mapping)
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


def test_every_problem_of_a_record_is_reported(mapping):
    fields = ["2026-02-30 08:00", "", "x-1", "d", "pending", "-1", "two", "car+tram"]
    with pytest.raises(RowRejected) as caught:
        normalise_record(fields, HEADER, mapping)
    assert caught.value.reasons == [
        "when '2026-02-30 08:00' fits none of the formats ['%Y-%m-%d %H:%M']; "
        "add its pattern to occurred_at.formats",
        "place is empty; it is required",
        "severity 'pending' is not a known severity; add it to severity.values",
        "deaths is -1; a count of people cannot be negative",
        "injured 'two' is not a whole number",
        "parties has unknown party word(s) ['tram']; add them to parties.values "
        "(map words that are none of the four types to 'other')",
    ]


def test_a_record_of_the_wrong_width_is_rejected_before_anything_else(mapping):
    with pytest.raises(RowRejected, match="9 fields where the header has 8; a value holding"):
        normalise_record(["x"] * 9, HEADER, mapping)


def test_undecodable_bytes_reject_the_record(mapping):
    fields = ["2026-03-02 00:30", "bad\udcff", "x-1", "d", "minor", "", "", "car"]
    with pytest.raises(RowRejected, match="bytes that are not valid gbk"):
        normalise_record(fields, HEADER, mapping.model_copy(update={"encoding": "gbk"}))


@pytest.mark.parametrize(
    ("text", "expected"), [("", 0), ("0", 0), ("3", 3), ("2.0", 2), ("1.5", None), ("一", None)]
)
def test_counts(text, expected):
    if expected is None:
        with pytest.raises(ValueError, match="is not a whole number"):
            parse_count({"n": text}, "n")
    else:
        assert parse_count({"n": text}, "n") == expected


def test_split_date_and_time_columns_in_another_timezone(mapping_dict):
    mapping = AccidentMapping.model_validate(
        mapping_dict(
            timezone="Europe/Berlin",
            occurred_at={
                "date_column": "day",
                "time_column": "clock",
                "formats": ["%Y年%m月%d日 %H时%M分"],
            },
        )
    )
    cells = {"day": "2026年7月1日", "clock": "14时05分"}
    # Berlin is UTC+2 in summer.
    assert parse_occurred_at(cells, mapping) == datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="clock is empty; it is required"):
        parse_occurred_at({"day": "2026年7月1日", "clock": ""}, mapping)


def test_parties_as_a_list_with_other_and_several_separators():
    spec = PartiesColumn(
        column="p",
        separators="、,",
        values={
            "行人": "pedestrian",
            "其他": "other",
            "外卖骑手": ["courier", "non_motor_vehicle"],
        },
    )
    assert parse_parties({"p": "行人、 外卖骑手,其他"}, spec) == {
        "pedestrian",
        "courier",
        "non_motor_vehicle",
    }
    assert parse_parties({"p": ""}, spec) == set()


def test_parties_as_one_column_per_type():
    spec = PartiesColumn(columns={"pedestrian": "walker?", "courier": "courier?"})
    assert parse_parties({"walker?": "是", "courier?": ""}, spec) == {"pedestrian"}
    assert parse_parties({"walker?": "N", "courier?": "Yes"}, spec) == {"courier"}
    with pytest.raises(ValueError, match="courier\\? 'maybe' is neither a true nor a false value"):
        parse_parties({"walker?": "0", "courier?": "maybe"}, spec)


def test_the_synthetic_flag_column(mapping_dict):
    mapping = AccidentMapping.model_validate(
        mapping_dict(synthetic={"column": "district", "values": ["合成数据"]})
    )
    fields = ["2026-03-02 00:30", "p", "", "合成数据", "minor", "", "", ""]
    accident = normalise_record(fields, HEADER, mapping)
    assert (accident.is_synthetic, accident.intersection_id) == (True, None)


def test_record_ids_follow_content_and_tell_identical_records_apart(mapping):
    def accident(place: str):
        fields = ["2026-03-02 00:30", place, "x-1", "d", "minor", "", "", "car"]
        return normalise_record(fields, HEADER, mapping)

    first = with_record_ids([accident("a"), accident("b"), accident("a")])
    again = with_record_ids([accident("b"), accident("a")])
    ids = [item.record_id for item in first]
    assert len(set(ids)) == 3 and all(len(record_id) == 16 for record_id in ids)
    # The same content gets the same id in another export; its first copy there is copy #0.
    assert [item.record_id for item in again] == [ids[1], ids[0]]
