"""The parts of an accident mapping (``mapping.AccidentMapping``): time, severity, parties and
the synthetic flag, each checked on its own."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Severity = Literal["property_damage", "minor_injury", "serious_injury", "fatal"]
PartyType = Literal["pedestrian", "non_motor_vehicle", "courier", "motor_vehicle"]
# A party word may stand for no flagged party type at all (e.g. 其他, 固定物): map it to "other".
PartyTarget = Literal["pedestrian", "non_motor_vehicle", "courier", "motor_vehicle", "other"]

DEFAULT_TRUE_WORDS = ["是", "有", "y", "yes", "true", "1"]
DEFAULT_FALSE_WORDS = ["否", "无", "n", "no", "false", "0", ""]


def normalise_word(word: str) -> str:
    """How cells and mapping keys are compared: surrounding blanks and letter case ignored."""
    return word.strip().casefold()


class _Strict(BaseModel):
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


class OccurredAt(_Strict):
    """When the accident happened: one column, or a date column and a time column.

    With two columns the cells are joined with one space before parsing, so each format covers
    both, e.g. ``"%Y/%m/%d %H:%M"``. Formats are Python ``strptime`` patterns, tried in order.
    """

    column: str | None = None
    date_column: str | None = None
    time_column: str | None = None
    formats: list[str] = Field(min_length=1)

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


class SeverityColumn(_Strict):
    column: str
    values: dict[str, Severity] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _keys(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        return _normalised_keys(value, "severity.values")


class PartiesColumn(_Strict):
    """Parties involved: one column holding a delimited list of words, or one column per type.

    In the list form each word maps to one or more party types (外卖骑手 -> [courier,
    non_motor_vehicle]); in the per-type form each column holds a yes/no word.
    """

    column: str | None = None
    separators: str = "、,，;；/|"
    values: dict[str, list[PartyTarget]] = Field(default_factory=dict)
    columns: dict[PartyType, str] = Field(default_factory=dict)
    true_values: list[str] = Field(default_factory=lambda: list(DEFAULT_TRUE_WORDS))
    false_values: list[str] = Field(default_factory=lambda: list(DEFAULT_FALSE_WORDS))

    @field_validator("values", mode="before")
    @classmethod
    def _single_target_as_list(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
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
    def _one_form(self) -> PartiesColumn:
        if self.column and self.columns:
            raise ValueError("give either column (a list of words) or columns (one per type)")
        if self.column and not self.values:
            raise ValueError(
                "values is missing: map each word of the list column to party types, e.g. "
                "{行人: pedestrian, 外卖骑手: [courier, non_motor_vehicle]}"
            )
        if not self.column and not self.columns:
            raise ValueError(
                "name the list column (column + values) or one column per party type (columns)"
            )
        if self.column is None and self.values:
            raise ValueError("values belongs to the list form; with columns use true_values")
        both = set(self.true_values) & set(self.false_values)
        if both:
            raise ValueError(f"{sorted(both)} is both a true and a false value; keep one")
        return self

    def source_columns(self) -> list[str]:
        return [self.column] if self.column else list(self.columns.values())


class SyntheticFlag(_Strict):
    """Rows whose cell in ``column`` is one of ``values`` are marked synthetic (is_synthetic)."""

    column: str
    values: list[str] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        return [normalise_word(str(word)) for word in value]
