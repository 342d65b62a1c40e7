"""Column mapping of a police accident export: which CSV column holds what, and what its words mean.

Exports differ by city and by year (column names, date formats, the words for severity and for the
parties involved, GBK or UTF-8), so the importer never guesses: a YAML mapping names every column
it reads, or names a preset shipped in ``presets/`` (``preset: nyc-crashes``) and overrides some
of its fields. Unknown fields and impossible values are errors naming the file, the field and the
fix. The format is documented in docs/accidents.md; ``mapping.example.yaml`` beside this module is
a complete example (the mapping of the synthetic export). The parts of a mapping are in
``mapping_parts``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from analytics.accidents.mapping_parts import (
    Coordinates,
    OccurredAt,
    PartiesSpec,
    SeverityColumn,
    Strict,
    SyntheticFlag,
    as_list,
    normalise_word,
)
from detectors.config.errors import (
    ConfigError,
    InputError,
    did_you_mean,
    explain_validation_error,
    read_yaml_mapping,
)
from detectors.config.timezones import TimezoneName

MAPPING_KIND = "accident mapping"
REFERENCE = "docs/accidents.md"
PRESETS_DIR = Path(__file__).with_name("presets")
DEFAULT_MAX_REJECTED_SHARE = 0.1

__all__ = [
    "AccidentMapping",
    "LoadedMapping",
    "load_mapping",
    "normalise_word",
    "preset_descriptions",
    "preset_names",
]


class AccidentMapping(Strict):
    preset: str | None = None  # the preset this mapping extends (merged in by load_mapping)
    source: str  # the data source's name, for the by-source figures; default: preset or file name
    encoding: list[str] = Field(default_factory=lambda: ["utf-8"], min_length=1)
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    skip_lines: int = Field(default=0, ge=0)  # title lines above the header row
    timezone: TimezoneName
    case_key: list[str] = Field(default_factory=list)  # columns naming a case across exports
    occurred_at: OccurredAt
    location: list[list[str]] = Field(default_factory=list)  # fallbacks, tried in order
    require_location: bool = True
    coordinates: Coordinates | None = None
    intersection_id: str | None = None
    district: str | None = None
    zip_code: str | None = None
    beat: str | None = None  # police unit or beat (管辖中队, police force ...)
    severity: SeverityColumn = Field(default_factory=SeverityColumn)
    deaths: list[str] = Field(default_factory=list)  # summed when several
    injuries: list[str] = Field(default_factory=list)
    parties: PartiesSpec | None = None
    synthetic: SyntheticFlag | None = None
    max_rejected_share: float = Field(default=DEFAULT_MAX_REJECTED_SHARE, ge=0, le=1)

    @field_validator("encoding", "case_key", "deaths", "injuries", mode="before")
    @classmethod
    def _one_or_several(cls, value: object) -> object:
        return as_list(value)

    @field_validator("location", mode="before")
    @classmethod
    def _fallbacks(cls, value: object) -> object:
        return [as_list(entry) for entry in as_list(value)]

    @field_validator("encoding")
    @classmethod
    def _known_encodings(cls, value: list[str]) -> list[str]:
        for name in value:
            try:
                codecs.lookup(name)
            except LookupError:
                raise ValueError(
                    f"'{name}' is not a text encoding Python knows; police exports are usually "
                    "utf-8, utf-8-sig (UTF-8 with BOM), gbk or cp1252 (an Excel re-save)"
                ) from None
        return value

    @model_validator(mode="after")
    def _derivable(self) -> AccidentMapping:
        if self.severity.column is None and not (self.deaths and self.injuries):
            raise ValueError(
                "no severity column, so severity is derived from the counts: name the deaths "
                "and injuries columns (or severity.column)"
            )
        if self.require_location and not (self.location or self.coordinates):
            raise ValueError(
                "no location: name the location column(s) or coordinates, or set "
                "require_location: false to count rows without a place city-wide"
            )
        return self

    def required_columns(self) -> list[str]:
        """Every CSV column the mapping reads; each must be in the header row."""
        named = [
            *self.case_key,
            *self.occurred_at.source_columns(),
            *(column for entry in self.location for column in entry),
            *(self.coordinates.source_columns() if self.coordinates else []),
            self.intersection_id,
            self.district,
            self.zip_code,
            self.beat,
            self.severity.column,
            *self.deaths,
            *self.injuries,
            *(self.parties.source_columns() if self.parties else []),
            self.synthetic.column if self.synthetic else None,
        ]
        return list(dict.fromkeys(column for column in named if column))


@dataclass(frozen=True)
class LoadedMapping:
    mapping: AccidentMapping
    label: str  # how to name it in messages: the file, or the preset
    notices: list[str] = field(default_factory=list)  # defaults taken, shown to the user


class _TextScalarLoader(yaml.SafeLoader):
    """Every scalar stays the text written: ``1``, ``0:`` and ``yes`` are words of an export.
    Only null is resolved; pydantic turns text into numbers and booleans where fields want them."""


_TextScalarLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag.endswith(":null")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESETS_DIR.glob("*.yaml"))


def preset_descriptions() -> dict[str, str]:
    """Each preset's first comment line: the layout it reads."""
    return {
        name: preset_path(name).read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        for name in preset_names()
    }


def preset_path(name: str) -> Path:
    path = PRESETS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise InputError(
            f"unknown accident mapping preset '{name}'{did_you_mean(name, preset_names())}; "
            f"the presets are {', '.join(preset_names())} (see {REFERENCE})"
        )
    return path


def load_mapping(
    path: str | Path | None = None,
    preset: str | None = None,
    default_timezone: str | None = None,
) -> LoadedMapping:
    """The mapping in ``path``, or the ``preset``, or the file over its preset.

    Without a ``timezone`` the mapping takes ``default_timezone`` (the warehouse's) and says so in
    a notice; without either it is invalid. Raises ConfigError naming file, field and fix.
    """
    if path is None and preset is None:
        raise InputError("pass a column mapping (--mapping FILE.yaml) or a preset (--preset NAME)")
    data = read_yaml_mapping(Path(path), MAPPING_KIND, _TextScalarLoader) if path else {}
    named = data.get("preset") or preset
    if data.get("preset") and preset and data["preset"] != preset:
        raise InputError(
            f"{path} extends preset '{data['preset']}' but '{preset}' was asked for; keep one"
        )
    if named:
        base = read_yaml_mapping(preset_path(str(named)), MAPPING_KIND, _TextScalarLoader)
        data = _merged(base, data) | {"preset": named}
    data.setdefault("source", named or Path(str(path)).name.split(".")[0])
    notices = []
    if not data.get("timezone") and default_timezone:
        data["timezone"] = default_timezone
        notices.append(
            f"the mapping names no timezone: its times are read in {default_timezone}, the "
            "warehouse's zone; add `timezone:` to the mapping if the export is written in another"
        )
    source = Path(path) if path else preset_path(str(named))
    try:
        mapping = AccidentMapping.model_validate(data)
    except ValidationError as exc:
        problems = explain_validation_error(exc, _KNOWN_FIELDS, REFERENCE)
        if "timezone: required field is missing" in problems:
            problems = problems.replace(
                "timezone: required field is missing; add it",
                "timezone: required field is missing; add the zone the export's times are "
                "written in, e.g. timezone: Asia/Shanghai (or set $CIVILITY_BOARD_TIMEZONE)",
            )
        raise ConfigError(source, None, problems, kind=MAPPING_KIND) from None
    label = str(path) if path else f"preset {named}"
    return LoadedMapping(mapping, label, notices)


def _merged(base: dict, overrides: dict) -> dict:
    """``base`` with ``overrides`` laid over it; nested fields are merged field by field."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merged(base[key], value)
        else:
            merged[key] = value
    return merged


_KNOWN_FIELDS = {
    "top": list(AccidentMapping.model_fields),
    "occurred_at": list(OccurredAt.model_fields),
    "coordinates": list(Coordinates.model_fields),
    "severity": list(SeverityColumn.model_fields),
    "parties": list(PartiesSpec.model_fields),
    "synthetic": list(SyntheticFlag.model_fields),
}
