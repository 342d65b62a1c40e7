"""The parts of an accident mapping (``mapping.AccidentMapping``): time, coordinates, severity,
parties and the synthetic flag, each checked on its own."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Severity = Literal["property_damage", "minor_injury", "serious_injury", "injury", "fatal"]
PartyType = Literal["pedestrian", "non_motor_vehicle", "courier", "motor_vehicle"]
# A party word may stand for no flagged party type at all (e.g. 其他, 固定物): map it to "other".
PartyTarget = Literal["pedestrian", "non_motor_vehicle", "courier", "motor_vehicle", "other"]

DEFAULT_TRUE_WORDS = ["是", "有", "y", "yes", "true", "1"]
DEFAULT_FALSE_WORDS = ["否", "无", "n", "no", "false", "0", ""]


def normalise_word(word: str) -> str:
    """How cells and mapping keys are compared: surrounding blanks and letter case ignored."""
    return word.strip().casefold()


def as_list(value: object) -> object:
    """A field that names one column or several: one name is a list of one."""
    return [value] if isinstance(value, str) else value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _normalised_keys(values: dict[str, object], field: str) -> dict[str, object]:
    normalised: dict[str, object] = {}
    for word, target in values.items():
        key = normalise_word(str(word))
        if key in normalised and normalised[key] != target:
            raise ValueError(
                f"'{word}' appears twice in {field} (case and blanks are ignored) with different "
                "meanings; keep one"
            )
        normalised[key] = target
    return normalised


class OccurredAt(Strict):
    """When the accident happened: one column, or a date column and a time column.

    With two columns the cells are joined with one space before parsing, so each format covers
    both, e.g. ``"%Y/%m/%d %H:%M"``. Formats are Python ``strptime`` patterns, tried in order.
    ``placeholder_times`` are local clock times that stand for "time not recorded" (many exports
    write 0:00): such records are flagged, not dropped.
    """

    column: str | None = None
    date_column: str | None = None
    time_column: str | None = None
    formats: list[str] = Field(min_length=1)
    placeholder_times: list[str] = Field(default_factory=lambda: ["00:00"])

    @field_validator("formats")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if "%" not in pattern:
                raise ValueError(
                    f"format '{pattern}' has no % directive; write a strptime pattern such as "
                    "'%Y-%m-%d %H:%M'"
                )
        return value

    @field_validator("placeholder_times")
    @classmethod
    def _clock_times(cls, value: list[str]) -> list[str]:
        for clock in value:
            if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", clock):
                raise ValueError(f"'{clock}' is not a clock time; write it as HH:MM, e.g. '00:00'")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> OccurredAt:
        split = (self.date_column, self.time_column)
        if self.column and any(split):
            raise ValueError("give either column, or date_column and time_column, not both")
        if not self.column and not all(split):
            raise ValueError(
                "name the column holding date and time (column), or both date_column and "
                "time_column"
            )
        return self

    def source_columns(self) -> list[str]:
        return [self.column] if self.column else [self.date_column, self.time_column]


class Bounds(Strict):
    """The area the records can lie in, in degrees (WGS 84)."""

    south: float = Field(ge=-90, le=90)
    north: float = Field(ge=-90, le=90)
    west: float = Field(ge=-180, le=180)
    east: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.south >= self.north or self.west >= self.east:
            raise ValueError("south must lie below north and west below east")
        return self

    def contain(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


class Coordinates(Strict):
    """Latitude and longitude columns. (0, 0) and points outside ``bounds`` are no location."""

    latitude: str
    longitude: str
    bounds: Bounds | None = None

    def source_columns(self) -> list[str]:
        return [self.latitude, self.longitude]


class SeverityFromCounts(Strict):
    """The severity of a record without one: by its deaths, else its injuries, else neither."""

    deaths: Severity = "fatal"
    injuries: Severity = "injury"
    neither: Severity = "property_damage"


class SeverityColumn(Strict):
    """A column of severity words; without one (or in a blank cell) severity is derived."""

    column: str | None = None
    values: dict[str, Severity] = Field(default_factory=dict)
    from_counts: SeverityFromCounts = Field(default_factory=SeverityFromCounts)

    @field_validator("values")
    @classmethod
    def _keys(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        return _normalised_keys(value, "severity.values")

    @model_validator(mode="after")
    def _words_for_the_column(self) -> SeverityColumn:
        if self.column and not self.values:
            raise ValueError(
                "values is missing: map each word of the severity column to a severity"
            )
        if self.values and not self.column:
            raise ValueError("values needs the column they are read from (severity.column)")
        return self


class PartiesSpec(Strict):
    """Party types involved, from any of three forms, combined:

    - ``column``: one or more columns holding words (a list such as "机动车、外卖骑手", or one
      vehicle type per column); each word maps to one or more party types, and a word missing
      from ``values`` counts as ``other`` (with a warning);
    - ``columns``: one yes/no column per party type;
    - ``counts``: per party type, count columns (injured, killed): involved when they sum above 0.
    """

    column: list[str] = Field(default_factory=list)
    separators: str = "、,，;；|"
    values: dict[str, list[PartyTarget]] = Field(default_factory=dict)
    columns: dict[PartyType, str] = Field(default_factory=dict)
    true_values: list[str] = Field(default_factory=lambda: list(DEFAULT_TRUE_WORDS))
    false_values: list[str] = Field(default_factory=lambda: list(DEFAULT_FALSE_WORDS))
    counts: dict[PartyType, list[str]] = Field(default_factory=dict)

    @field_validator("column", mode="before")
    @classmethod
    def _one_or_several(cls, value: object) -> object:
        return as_list(value)

    @field_validator("values", "counts", mode="before")
    @classmethod
    def _single_as_list(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: as_list(v) for k, v in value.items()}
        return value

    @field_validator("values")
    @classmethod
    def _keys(cls, value: dict[str, list[PartyTarget]]) -> dict[str, list[PartyTarget]]:
        return _normalised_keys(value, "parties.values")

    @field_validator("true_values", "false_values")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        return [normalise_word(str(word)) for word in value]

    @model_validator(mode="after")
    def _some_form(self) -> PartiesSpec:
        if self.column and not self.values:
            raise ValueError(
                "values is missing: map each word of the list column to party types, e.g. "
                "{行人: pedestrian, 外卖骑手: [courier, non_motor_vehicle]}"
            )
        if self.values and not self.column:
            raise ValueError(
                "values belongs to the word columns (column); with columns use true_values"
            )
        if not (self.column or self.columns or self.counts):
            raise ValueError(
                "name the word column(s) (column + values), one yes/no column per party type "
                "(columns), or count columns per party type (counts)"
            )
        both = set(self.true_values) & set(self.false_values)
        if both:
            raise ValueError(f"{sorted(both)} is both a true and a false value; keep one")
        return self

    def source_columns(self) -> list[str]:
        counted = [column for columns in self.counts.values() for column in columns]
        return [*self.column, *self.columns.values(), *counted]


class SyntheticFlag(Strict):
    """Rows whose cell in ``column`` is one of ``values`` are marked synthetic (is_synthetic)."""

    column: str
    values: list[str] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        return [normalise_word(str(word)) for word in value]
