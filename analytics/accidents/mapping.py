"""Column mapping of a police accident export: which CSV column holds what, and what its words mean.

Exports differ by city and by year (column names, date formats, the words for severity and for the
parties involved, GBK or UTF-8), so the importer never guesses: a YAML mapping names every column
it reads. Unknown fields and impossible values are errors naming the file, the field and the fix.
The format is documented in docs/accidents.md; ``mapping.example.yaml`` beside this module is a
complete example (the mapping of the synthetic export). The parts of a mapping are in
``mapping_parts``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from analytics.accidents.mapping_parts import (
    OccurredAt,
    PartiesColumn,
    SeverityColumn,
    SyntheticFlag,
    _Strict,
    normalise_word,
)
from detectors.config.errors import ConfigError, explain_validation_error, read_yaml_mapping
from detectors.config.timezones import TimezoneName

MAPPING_KIND = "accident mapping"
REFERENCE = "docs/accidents.md"

__all__ = ["AccidentMapping", "PartiesColumn", "load_mapping", "normalise_word"]


class AccidentMapping(_Strict):
    encoding: str = "utf-8"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    skip_lines: int = Field(default=0, ge=0)  # title lines above the header row
    timezone: TimezoneName = "Asia/Shanghai"
    occurred_at: OccurredAt
    location: str
    intersection_id: str | None = None
    district: str
    severity: SeverityColumn
    deaths: str
    injuries: str
    parties: PartiesColumn
    synthetic: SyntheticFlag | None = None

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(
                f"'{value}' is not a text encoding Python knows; police exports are usually "
                "utf-8, utf-8-sig (UTF-8 with BOM) or gbk"
            ) from None
        return value

    def required_columns(self) -> list[str]:
        """Every CSV column the mapping reads; each must be in the header row."""
        named = [
            *self.occurred_at.source_columns(),
            self.location,
            self.intersection_id,
            self.district,
            self.severity.column,
            self.deaths,
            self.injuries,
            *self.parties.source_columns(),
            self.synthetic.column if self.synthetic else None,
        ]
        return list(dict.fromkeys(column for column in named if column))


_KNOWN_FIELDS = {
    "top": list(AccidentMapping.model_fields),
    "occurred_at": list(OccurredAt.model_fields),
    "severity": list(SeverityColumn.model_fields),
    "parties": list(PartiesColumn.model_fields),
    "synthetic": list(SyntheticFlag.model_fields),
}


def load_mapping(path: str | Path) -> AccidentMapping:
    """Read and validate a mapping YAML; raise ConfigError naming file, field and fix."""
    path = Path(path)
    data = read_yaml_mapping(path, MAPPING_KIND)
    try:
        return AccidentMapping.model_validate(data)
    except ValidationError as exc:
        problems = explain_validation_error(exc, _KNOWN_FIELDS, REFERENCE)
        raise ConfigError(path, None, problems, kind=MAPPING_KIND) from None
