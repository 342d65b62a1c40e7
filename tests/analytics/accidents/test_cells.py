from datetime import UTC, datetime

import pytest

from analytics.accidents.cells import (
    CellProblem,
    Place,
    parse_count,
    parse_occurred_at,
    parse_parties,
    parse_place,
    parse_severity,
)
from analytics.accidents.mapping import AccidentMapping
from analytics.accidents.mapping_parts import OccurredAt, PartiesSpec, SeverityColumn

STREETS = {"on": "on", "cross": "cross", "off": "off", "lat": "lat", "lon": "lon"}


@pytest.mark.parametrize(
    ("text", "expected"), [("", 0), ("0", 0), ("3", 3), ("2.0", 2), ("1.5", None), ("一", None)]
)
def test_counts(text, expected):
    if expected is None:
        with pytest.raises(CellProblem, match="is not a whole number"):
            parse_count({"n": text}, "n")
    else:
        assert parse_count({"n": text}, "n") == expected


def test_split_date_and_time_columns_in_another_timezone():
    spec = OccurredAt(date_column="day", time_column="clock", formats=["%Y年%m月%d日 %H时%M分"])
    when = parse_occurred_at({"day": "2026年7月1日", "clock": "14时05分"}, spec, "Europe/Berlin")
    # Berlin is UTC+2 in summer; the local time is kept as written.
    assert (when.utc, when.local) == (
        datetime(2026, 7, 1, 12, 5, tzinfo=UTC),
        datetime(2026, 7, 1, 14, 5),
    )
    assert not when.is_placeholder
    with pytest.raises(CellProblem, match="clock is empty; it is required"):
        parse_occurred_at({"day": "2026年7月1日", "clock": ""}, spec, "Europe/Berlin")


def test_a_placeholder_time_is_flagged():
    spec = OccurredAt(date_column="d", time_column="t", formats=["%m/%d/%Y %H:%M"])
    assert parse_occurred_at(
        {"d": "04/14/2020", "t": "0:00"}, spec, "America/New_York"
    ).is_placeholder
    unflagged = spec.model_copy(update={"placeholder_times": []})
    assert not parse_occurred_at({"d": "04/14/2020", "t": "0:00"}, unflagged, "UTC").is_placeholder


def test_severity_words_and_derived_severity():
    spec = SeverityColumn(column="s", values={"轻伤": "minor_injury"})
    assert parse_severity({"s": "轻伤"}, spec, 0, 1) == ("minor_injury", False)
    assert parse_severity({"s": ""}, spec, 2, 0) == ("fatal", True)
    configured = spec.model_copy(
        update={"from_counts": spec.from_counts.model_copy(update={"injuries": "minor_injury"})}
    )
    assert parse_severity({"s": ""}, configured, 0, 3) == ("minor_injury", True)
    with pytest.raises(CellProblem, match="no deaths and injuries columns to derive"):
        parse_severity({"s": ""}, spec, None, None)


def test_parties_as_a_list_with_other_and_several_separators():
    spec = PartiesSpec(
        column="p",
        separators="、,",
        values={
            "行人": "pedestrian",
            "其他": "other",
            "外卖骑手": ["courier", "non_motor_vehicle"],
        },
    )
    assert parse_parties({"p": "行人、 外卖骑手,其他"}, spec) == (
        {"pedestrian", "courier", "non_motor_vehicle"},
        [],
    )
    assert parse_parties({"p": ""}, spec) == (set(), [])


def test_vehicle_types_over_several_columns_one_word_each_unknown_words_warn():
    columns = [f"VEHICLE TYPE CODE {n}" for n in range(1, 6)]
    spec = PartiesSpec(
        column=columns,
        separators="",
        values={
            "Station Wagon/Sport Utility Vehicle": "motor_vehicle",
            "E-Bike": "non_motor_vehicle",
        },
    )
    cells = dict.fromkeys(columns, "")
    cells |= {columns[0]: "Station Wagon/Sport Utility Vehicle", columns[4]: "E-Bike"}
    assert parse_parties(cells, spec) == ({"motor_vehicle", "non_motor_vehicle"}, [])
    involved, warnings = parse_parties(cells | {columns[2]: "Motorscooter"}, spec)
    assert involved == {"motor_vehicle", "non_motor_vehicle"}
    assert [str(warning) for warning in warnings] == [
        "VEHICLE TYPE CODE 3: 'Motorscooter' is not in parties.values and counts as other; map "
        "it to a party type if it is one"
    ]


def test_parties_from_count_columns_and_yes_no_columns_together():
    spec = PartiesSpec(
        counts={"pedestrian": ["ped injured", "ped killed"]},
        columns={"courier": "courier?"},
    )
    cells = {"ped injured": "0", "ped killed": "1", "courier?": "是"}
    assert parse_parties(cells, spec) == ({"pedestrian", "courier"}, [])
    assert parse_parties(cells | {"ped killed": "", "courier?": "N"}, spec) == (set(), [])
    with pytest.raises(CellProblem, match="courier\\? 'maybe' is neither a true nor a false value"):
        parse_parties(cells | {"courier?": "maybe"}, spec)


@pytest.fixture
def street_mapping(mapping_dict) -> AccidentMapping:
    return AccidentMapping.model_validate(
        mapping_dict(
            location=[["on", "cross"], ["off"]],
            coordinates={
                "latitude": "lat",
                "longitude": "lon",
                "bounds": {"south": 40.4, "north": 41.0, "west": -74.3, "east": -73.6},
            },
        )
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"on": "WEST 42   STREET", "cross": "BROADWAY"},
            Place("BROADWAY & WEST 42 STREET", "intersection", 40.7575, -73.9858),
        ),
        ({"on": "BROADWAY", "cross": ""}, Place("BROADWAY", "place", 40.7575, -73.9858)),
        ({"off": "1 Main St"}, Place("1 Main St", "place", 40.7575, -73.9858)),
        ({}, Place("40.75750, -73.98580", "coordinates", 40.7575, -73.9858)),
    ],
)
def test_location_fallbacks_in_order(street_mapping, cells, expected):
    row = dict.fromkeys(STREETS, "") | {"lat": "40.7575", "lon": "-73.9858"} | cells
    assert parse_place(row, street_mapping) == (expected, [])


@pytest.mark.parametrize(
    ("point", "warning"),
    [
        (("0.0", "0.0"), "lat/lon are (0, 0), a placeholder; coordinates ignored"),
        (("51.5", "-0.12"), "lat/lon lie outside coordinates.bounds; coordinates ignored"),
        (("north", "-73.9"), "lat/lon are not numbers; coordinates ignored"),
    ],
)
def test_coordinates_that_are_no_real_place_are_dropped_with_a_warning(
    street_mapping, point, warning
):
    row = dict.fromkeys(STREETS, "") | {"off": "1 Main St", "lat": point[0], "lon": point[1]}
    place, warnings = parse_place(row, street_mapping)
    assert place == Place("1 Main St", "place", None, None)
    assert [str(problem) for problem in warnings] == [warning]


def test_no_location_rejects_or_counts_city_wide(street_mapping):
    row = dict.fromkeys(STREETS, "") | {"lat": "0", "lon": "0"}
    with pytest.raises(CellProblem, match="no location: on, cross, off, lat, lon hold none"):
        parse_place(row, street_mapping)
    lenient = street_mapping.model_copy(update={"require_location": False})
    place, warnings = parse_place(row, lenient)
    assert place == Place(None, None, None, None)
    assert [problem.summary for problem in warnings][-1] == (
        "no location in the record: it counts city-wide only"
    )
