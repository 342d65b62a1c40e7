from pathlib import Path

import pytest
import yaml

from analytics.accidents.mapping import load_mapping, preset_names
from detectors.config.errors import ConfigError, InputError

EXAMPLE = Path(__file__).parents[3] / "analytics" / "accidents" / "mapping.example.yaml"


def write_mapping(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: dict) -> str:
    path = write_mapping(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert message.startswith(f"accident mapping {path}")
    return message


def test_the_shipped_example_is_valid():
    mapping = load_mapping(EXAMPLE).mapping
    assert (mapping.encoding, mapping.source, mapping.location) == (
        ["gbk"],
        "synthetic",
        [["地点"]],
    )
    assert mapping.severity.values["财损"] == "property_damage"
    assert mapping.parties.values["外卖骑手"] == ["courier", "non_motor_vehicle"]
    assert "数据来源" in mapping.required_columns()


def test_defaults_and_normalised_words(tmp_path, mapping_dict):
    severity = {"column": "severity", "values": {" Fatal ": "fatal", "死亡": "fatal"}}
    mapping = load_mapping(write_mapping(tmp_path, mapping_dict(severity=severity))).mapping
    assert mapping.severity.values == {"fatal": "fatal", "死亡": "fatal"}
    assert (mapping.delimiter, mapping.skip_lines, mapping.timezone) == (",", 0, "Asia/Shanghai")
    assert (mapping.case_key, mapping.max_rejected_share, mapping.parties.separators) == (
        [],
        0.1,
        "+",
    )


def test_an_unknown_field_is_named_with_a_suggestion(tmp_path, mapping_dict):
    data = mapping_dict()
    data["severty"] = data.pop("severity")
    del data["occurred_at"]
    message = problems_of(tmp_path, data)
    assert "severty: unknown field 'severty' (did you mean 'severity'?)" in message
    assert "occurred_at: required field is missing; add it (see docs/accidents.md)" in message


def test_a_severity_outside_the_four_is_rejected(tmp_path, mapping_dict):
    message = problems_of(
        tmp_path, mapping_dict(severity={"column": "s", "values": {"轻伤": "slight"}})
    )
    assert "severity.values.轻伤" in message
    assert "'property_damage', 'minor_injury', 'serious_injury', 'injury' or 'fatal'" in message


def test_a_word_with_two_meanings_is_rejected(tmp_path, mapping_dict):
    values = {"Minor": "minor_injury", "minor": "property_damage"}
    message = problems_of(tmp_path, mapping_dict(severity={"column": "s", "values": values}))
    assert "'minor' appears twice in severity.values" in message


@pytest.mark.parametrize(
    ("occurred_at", "expected"),
    [
        (
            {"column": "when", "date_column": "day", "formats": ["%Y"]},
            "give either column, or date_column and time_column, not both",
        ),
        ({"date_column": "day", "formats": ["%Y"]}, "or both date_column and time_column"),
        ({"column": "when", "formats": ["YYYY-MM-DD"]}, "format 'YYYY-MM-DD' has no % directive"),
        ({"column": "when", "formats": []}, "occurred_at.formats: List should have at least 1"),
    ],
)
def test_occurred_at_problems(tmp_path, mapping_dict, occurred_at, expected):
    assert expected in problems_of(tmp_path, mapping_dict(occurred_at=occurred_at))


def test_separate_date_and_time_columns(tmp_path, mapping_dict):
    occurred_at = {"date_column": "day", "time_column": "clock", "formats": ["%Y/%m/%d %H:%M"]}
    mapping = load_mapping(write_mapping(tmp_path, mapping_dict(occurred_at=occurred_at))).mapping
    assert mapping.required_columns()[:2] == ["day", "clock"]


@pytest.mark.parametrize(
    ("parties", "expected"),
    [
        ({"column": "p"}, "values is missing: map each word of the list column"),
        ({"column": "p", "values": {"x": "car"}}, "parties.values.x[0]"),
        ({"values": {"x": "pedestrian"}}, "values belongs to the word columns (column)"),
        ({"columns": {"couriers": "c"}}, "parties.columns.couriers"),
        ({"counts": {"walkers": "c"}}, "parties.counts.walkers"),
        ({}, "name the word column(s) (column + values), one yes/no column per party type"),
        (
            {"columns": {"courier": "c"}, "true_values": ["是"], "false_values": ["是"]},
            "['是'] is both a true and a false value",
        ),
    ],
)
def test_parties_problems(tmp_path, mapping_dict, parties, expected):
    assert expected in problems_of(tmp_path, mapping_dict(parties=parties))


def test_per_type_columns(tmp_path, mapping_dict):
    parties = {"columns": {"pedestrian": "walker?", "courier": "courier?"}, "true_values": ["Y"]}
    mapping = load_mapping(write_mapping(tmp_path, mapping_dict(parties=parties))).mapping
    assert mapping.parties.true_values == ["y"]
    assert set(mapping.required_columns()[-2:]) == {"walker?", "courier?"}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("encoding", "big-5-ish", "is not a text encoding Python knows; police exports are"),
        ("timezone", "Beijing", "'Beijing' is not an IANA time zone name (did you mean 'Asia/Sh"),
        ("timezone", "America/NewYork", "(did you mean 'America/New_York'?)"),
        ("timezone", "UTC+8", "'UTC+8' is not an IANA time zone name (name the place, e.g."),
        ("max_rejected_share", 2, "max_rejected_share: Input should be less than or equal to 1"),
        ("location", [], "no location: name the location column(s) or coordinates"),
        ("severity", {}, "no severity column, so severity is derived from the counts: name"),
        ("delimiter", ";;", "delimiter: String should have at most 1 character"),
        ("skip_lines", -1, "skip_lines: Input should be greater than or equal to 0"),
    ],
)
def test_wrong_values_name_the_field_and_fix(tmp_path, mapping_dict, field, value, expected):
    data = mapping_dict(**{field: value})
    if field == "severity":
        del data["deaths"]
    assert expected in problems_of(tmp_path, data)


def test_a_missing_file_says_what_to_pass(tmp_path):
    with pytest.raises(ConfigError, match="file not found; pass the path of the accident mapping"):
        load_mapping(tmp_path / "absent.yaml")


def test_yaml_numbers_and_yes_are_read_as_the_words_written(tmp_path):
    path = tmp_path / "numbers.yaml"
    path.write_text(
        "source: 2024\ntimezone: Europe/London\nskip_lines: 1\ncase_key: 0\n"
        "occurred_at: {column: 1, formats: ['%d/%m/%Y %H:%M']}\nlocation: 2\n"
        "severity: {column: 3, values: {1: fatal, 2: serious_injury, 3.0: minor_injury}}\n"
        "deaths: 4\ninjuries: 5\n"
        "parties: {columns: {pedestrian: 6}, true_values: [是, Y, 1, yes], false_values: [no, 0]}\n"
        "max_rejected_share: 0.25\nrequire_location: yes\n",
        encoding="utf-8",
    )
    mapping = load_mapping(path).mapping
    assert (mapping.source, mapping.case_key, mapping.occurred_at.column, mapping.skip_lines) == (
        "2024",
        ["0"],
        "1",
        1,
    )
    assert mapping.severity.values == {"1": "fatal", "2": "serious_injury", "3.0": "minor_injury"}
    assert mapping.parties.true_values == ["是", "y", "1", "yes"]
    assert (mapping.max_rejected_share, mapping.require_location) == (0.25, True)


@pytest.mark.parametrize("name", ["nyc-crashes", "stats19", "cn-accident-register"])
def test_every_shipped_preset_is_valid_on_its_own(name):
    loaded = load_mapping(preset=name)
    assert (loaded.label, loaded.mapping.source, loaded.notices) == (f"preset {name}", name, [])
    assert loaded.mapping.case_key and loaded.mapping.timezone


def test_a_mapping_extends_a_preset_field_by_field(tmp_path):
    path = write_mapping(
        tmp_path,
        {
            "preset": "nyc-crashes",
            "source": "nyc-zip-11201",
            "parties": {"values": {"Motorscooter": "non_motor_vehicle"}},
            "coordinates": None,
        },
    )
    mapping = load_mapping(path).mapping
    assert (mapping.preset, mapping.source, mapping.timezone) == (
        "nyc-crashes",
        "nyc-zip-11201",
        "America/New_York",
    )
    assert mapping.parties.values["motorscooter"] == ["non_motor_vehicle"]
    assert mapping.parties.values["sedan"] == ["motor_vehicle"]  # the preset's words stay
    assert mapping.coordinates is None
    assert load_mapping(path, preset="nyc-crashes").mapping == mapping
    with pytest.raises(InputError, match="extends preset 'nyc-crashes' but 'stats19' was asked"):
        load_mapping(path, preset="stats19")


def test_an_unknown_preset_is_named_with_the_choices():
    with pytest.raises(InputError, match="unknown accident mapping preset 'nyc'") as caught:
        load_mapping(preset="nyc")
    assert ", ".join(preset_names()) in str(caught.value)


def test_without_a_timezone_the_warehouses_is_taken_and_said(tmp_path, mapping_dict):
    data = mapping_dict()
    del data["timezone"]
    path = write_mapping(tmp_path, data)
    loaded = load_mapping(path, default_timezone="Asia/Urumqi")
    assert loaded.mapping.timezone == "Asia/Urumqi"
    assert loaded.notices[0].startswith("the mapping names no timezone: its times are read in Asia")
    with pytest.raises(ConfigError, match="timezone: required field is missing; add the zone"):
        load_mapping(path)
