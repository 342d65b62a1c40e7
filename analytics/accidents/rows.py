"""One export record -> one normalised accident, or the reasons it cannot be one.

Pure functions: no files, no clock. Every problem of a record is reported (not just the first), in
words that name the CSV column and the fix, because the person reading the rejected rows has the
export open beside them. The cells themselves are read in ``cells``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

from analytics.accidents.cells import (
    CellProblem,
    optional_text,
    parse_counts,
    parse_occurred_at,
    parse_parties,
    parse_place,
    parse_severity,
)
from analytics.accidents.mapping import AccidentMapping, normalise_word
from analytics.accidents.source import has_undecodable

PARTY_FLAGS = {
    "pedestrian": "is_pedestrian_involved",
    "non_motor_vehicle": "is_non_motor_involved",
    "courier": "is_courier_involved",
    "motor_vehicle": "is_motor_vehicle_involved",
}
# The fields a record's content identity has always hashed; later fields join it only when set,
# so a record imported before they existed keeps its id.
_FIRST_CONTENT_FIELDS = (
    "occurred_at",
    "intersection_id",
    "location_text",
    "district",
    "severity",
    "count_deaths",
    "count_injuries",
    *PARTY_FLAGS.values(),
    "is_synthetic",
)
# Provenance, and facts that follow from the content (the local time from the instant).
_NOT_CONTENT = (
    "record_id",
    "content_sha16",
    "case_key",
    "source_name",
    "occurred_local_at",
    "timezone",
    "is_time_placeholder",
    "is_severity_derived",
    "location_kind",
)


@dataclass(frozen=True)
class Accident:
    occurred_at: datetime  # UTC
    intersection_id: str | None
    location_text: str | None
    district: str | None
    severity: str
    count_deaths: int | None  # None: the export has no such column
    count_injuries: int | None
    is_pedestrian_involved: bool | None  # None: the mapping reads no parties
    is_non_motor_involved: bool | None
    is_courier_involved: bool | None
    is_motor_vehicle_involved: bool | None
    is_synthetic: bool
    occurred_local_at: datetime | None = None  # wall-clock time in the record's own zone
    timezone: str | None = None
    is_time_placeholder: bool = False
    is_severity_derived: bool = False
    zip_code: str | None = None
    beat: str | None = None
    location_kind: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    source_name: str | None = None
    case_key: str | None = None  # "COLUMN=value" pairs; None: identity is the content
    record_id: str = ""
    content_sha16: str = ""


@dataclass(frozen=True)
class NormalisedRecord:
    accident: Accident
    warnings: list[CellProblem]  # facts the record was kept without (unknown words, bad points)


class RowRejected(Exception):
    """A record that cannot be imported; ``problems`` says why, one entry per problem."""

    def __init__(self, problems: list[CellProblem]):
        self.problems = problems
        self.reasons = [str(problem) for problem in problems]
        super().__init__("; ".join(self.reasons))


def normalise_record(
    fields: list[str], header: list[str], mapping: AccidentMapping
) -> NormalisedRecord:
    """The accident a record describes; raise RowRejected listing every problem found."""
    if len(fields) != len(header):
        raise RowRejected(
            [
                CellProblem(
                    f"wrong number of fields (the header has {len(header)}); a value holding the "
                    f"delimiter '{mapping.delimiter}' must be quoted",
                    f"{len(fields)} fields where the header has {len(header)}; a value holding "
                    f"the delimiter '{mapping.delimiter}' must be quoted",
                )
            ]
        )
    cells = {name: value.strip() for name, value in zip(header, fields, strict=True)}
    if any(has_undecodable(cells[column]) for column in mapping.required_columns()):
        encodings = " or ".join(mapping.encoding)
        raise RowRejected(
            [CellProblem(f"bytes that are not valid {encodings}; the export is damaged here")]
        )
    problems: list[CellProblem] = []
    warnings: list[CellProblem] = []

    def attempt(parse, *args):
        try:
            return parse(*args)
        except CellProblem as problem:
            problems.append(problem)
            return None

    case_key = attempt(parse_case_key, cells, mapping.case_key)
    when = attempt(parse_occurred_at, cells, mapping.occurred_at, mapping.timezone)
    place = attempt(parse_place, cells, mapping)
    before_counts = len(problems)
    deaths = attempt(parse_counts, cells, mapping.deaths)
    injuries = attempt(parse_counts, cells, mapping.injuries)
    # A severity derived from counts that could not be read would be a second, false problem.
    has_word = bool(mapping.severity.column and cells[mapping.severity.column])
    severity = None
    if has_word or len(problems) == before_counts:
        severity = attempt(parse_severity, cells, mapping.severity, deaths, injuries)
    parties = attempt(parse_parties, cells, mapping.parties) if mapping.parties else (None, [])
    if problems:
        raise RowRejected(problems)
    place, place_warnings = place
    involved, party_warnings = parties
    severity, is_severity_derived = severity
    warnings += place_warnings + party_warnings
    if when.is_placeholder:
        warnings.append(
            CellProblem(
                f"the time {when.local:%H:%M} stands for 'not recorded' "
                "(occurred_at.placeholder_times): flagged is_time_placeholder"
            )
        )
    if is_severity_derived and mapping.severity.column:
        warnings.append(
            CellProblem(f"{mapping.severity.column} is empty: severity derived from the counts")
        )
    accident = Accident(
        occurred_at=when.utc,
        intersection_id=optional_text(cells, mapping.intersection_id),
        location_text=place.text,
        district=optional_text(cells, mapping.district),
        severity=severity,
        count_deaths=deaths,
        count_injuries=injuries,
        **_party_flags(involved),
        is_synthetic=bool(mapping.synthetic)
        and normalise_word(cells[mapping.synthetic.column]) in mapping.synthetic.values,
        occurred_local_at=when.local,
        timezone=mapping.timezone,
        is_time_placeholder=when.is_placeholder,
        is_severity_derived=is_severity_derived,
        zip_code=optional_text(cells, mapping.zip_code),
        beat=optional_text(cells, mapping.beat),
        location_kind=place.kind,
        latitude=place.latitude,
        longitude=place.longitude,
        source_name=mapping.source,
        case_key=case_key,
    )
    return NormalisedRecord(accident, warnings)


def _party_flags(involved: set[str] | None) -> dict[str, bool | None]:
    return {
        flag: None if involved is None else party in involved for party, flag in PARTY_FLAGS.items()
    }


def parse_case_key(cells: dict[str, str], columns: list[str]) -> str | None:
    """The case key as ``COLUMN=value`` pairs, None without key columns."""
    if not columns:
        return None
    for column in columns:
        if not cells[column]:
            raise CellProblem(f"{column} is empty; it is part of the case key (case_key)")
    return "; ".join(f"{column}={cells[column]}" for column in columns)


def with_record_ids(accidents: Iterable[Accident]) -> list[Accident]:
    """Each accident with its stable id and a digest of its content.

    A record with a case key is identified by it: a corrected re-export of the case keeps the
    id, and the newest version counts. Without a key the id hashes the content and its ordinal
    among equals: two exports holding the same record give it the same id, while two identical
    records within one export (same minute, place, severity, counts and parties) stay two.
    """
    seen: Counter[str] = Counter()
    identified = []
    for accident in accidents:
        content = content_key(accident)
        if accident.case_key is not None:
            record_id = _digest(f"case#{accident.case_key}")
        else:
            record_id = _digest(f"{content}#{seen[content]}")
            seen[content] += 1
        identified.append(
            replace(accident, record_id=record_id, content_sha16=_digest(_full_content(accident)))
        )
    return identified


def content_key(accident: Accident) -> str:
    values = {name: getattr(accident, name) for name in _FIRST_CONTENT_FIELDS}
    values |= {
        f.name: getattr(accident, f.name)
        for f in fields(Accident)
        if f.name not in values and f.name not in _NOT_CONTENT and getattr(accident, f.name)
    }
    values["occurred_at"] = accident.occurred_at.astimezone(UTC).isoformat()
    return json.dumps(
        {k: _jsonable(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False
    )


def _full_content(accident: Accident) -> str:
    """Every fact of the record, so that a corrected version of a case differs."""
    values = {f.name: getattr(accident, f.name) for f in fields(Accident)}
    del values["record_id"], values["content_sha16"]
    return json.dumps(
        {k: _jsonable(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False
    )


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
