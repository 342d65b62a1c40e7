from pathlib import Path

import pytest
import yaml

from analytics.accidents.mapping import load_mapping
from detectors.config.errors import ConfigError

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
    mapping = load_mapping(EXAMPLE)
    assert mapping.encoding == "gbk"
    assert mapping.severity.values["财损"] == "property_damage"
    assert mapping.parties.values["外卖骑手"] == ["courier", "non_motor_vehicle"]
    assert "数据来源" in mapping.required_columns()


def test_defaults_and_normalised_words(tmp_path, mapping_dict):
    severity = {"column": "severity", "values": {" Fatal ": "fatal", "死亡": "fatal"}}
    mapping = load_mapping(write_mapping(tmp_path, mapping_dict(severity=severity)))
    assert mapping.severity.values == {"fatal": "fatal", "死亡": "fatal"}
    assert (mapping.delimiter, mapping.skip_lines, mapping.timezone) == (",", 0, "Asia/Shanghai")


def test_an_unknown_field_is_named_with_a_suggestion(tmp_path, mapping_dict):
    data = mapping_dict()
    data["severty"] = data.pop("severity")
    message = problems_of(tmp_path, data)
    assert "severty: unknown field 'severty' (did you mean 'severity'?)" in message
    assert "severity: required field is missing; add it (see docs/accidents.md)" in message


def test_a_severity_outside_the_four_is_rejected(tmp_path, mapping_dict):
    message = problems_of(
        tmp_path, mapping_dict(severity={"column": "s", "values": {"轻伤": "slight"}})
    )
    assert "severity.values.轻伤" in message
    assert "'property_damage', 'minor_injury', 'serious_injury' or 'fatal'" in message


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
    mapping = load_mapping(write_mapping(tmp_path, mapping_dict(occurred_at=occurred_at)))
    assert mapping.required_columns()[:2] == ["day", "clock"]


@pytest.mark.parametrize(
    ("parties", "expected"),
    [
        ({"column": "p"}, "values is missing: map each word of the list column"),
        ({"column": "p", "values": {"x": "car"}}, "parties.values.x[0]"),
        (
            {"column": "p", "values": {"x": "pedestrian"}, "columns": {"courier": "c"}},
            "give either column (a list of words) or columns (one per type)",
        ),
        ({"columns": {"couriers": "c"}}, "parties.columns.couriers"),
        ({}, "name the list column (column + values) or one column per party type"),
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
    mapping = load_mapping(write_mapping(tmp_path, mapping_dict(parties=parties)))
    assert mapping.parties.true_values == ["y"]
    assert set(mapping.required_columns()[-2:]) == {"walker?", "courier?"}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("encoding", "big-5-ish", "is not a text encoding Python knows; police exports are"),
        ("timezone", "Beijing", "'Beijing' is not an IANA time zone name (did you mean 'Asia/Sh"),
        ("delimiter", ";;", "delimiter: String should have at most 1 character"),
        ("skip_lines", -1, "skip_lines: Input should be greater than or equal to 0"),
    ],
)
def test_wrong_values_name_the_field_and_fix(tmp_path, mapping_dict, field, value, expected):
    assert expected in problems_of(tmp_path, mapping_dict(**{field: value}))


def test_a_missing_file_says_what_to_pass(tmp_path):
    with pytest.raises(ConfigError, match="file not found; pass the path of the accident mapping"):
        load_mapping(tmp_path / "absent.yaml")
