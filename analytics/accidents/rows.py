"""One export record -> one normalised accident, or the reasons it cannot be one.

Pure functions: no files, no clock. Every problem of a record is reported (not just the first), in
words that name the CSV column and the fix, because the person reading the rejected rows has the
export open beside them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from analytics.accidents.mapping import AccidentMapping, PartiesColumn, normalise_word
from analytics.accidents.source import has_undecodable

PARTY_FLAGS = {
    "pedestrian": "is_pedestrian_involved",
    "non_motor_vehicle": "is_non_motor_involved",
    "courier": "is_courier_involved",
    "motor_vehicle": "is_motor_vehicle_involved",
}


@dataclass(frozen=True)
class Accident:
    occurred_at: datetime  # UTC
    intersection_id: str | None
    location_text: str
    district: str | None
    severity: str
    count_deaths: int
    count_injuries: int
    is_pedestrian_involved: bool
    is_non_motor_involved: bool
    is_courier_involved: bool
    is_motor_vehicle_involved: bool
    is_synthetic: bool
    record_id: str = ""


class RowRejected(Exception):
    """A record that cannot be imported; ``reasons`` says why, one entry per problem."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def normalise_record(fields: list[str], header: list[str], mapping: AccidentMapping) -> Accident:
    """The accident a record describes; raise RowRejected listing every problem found."""
    if len(fields) != len(header):
        raise RowRejected(
            [
                f"{len(fields)} fields where the header has {len(header)}; a value holding the "
                f"delimiter '{mapping.delimiter}' must be quoted"
            ]
        )
    if any(has_undecodable(field) for field in fields):
        raise RowRejected(
            [f"bytes that are not valid {mapping.encoding}; the export is damaged here"]
        )
    cells = {name: value.strip() for name, value in zip(header, fields, strict=True)}
    reasons: list[str] = []

    def attempt(parse, *args):
        try:
            return parse(*args)
        except ValueError as exc:
            reasons.append(str(exc))
            return None

    occurred_at = attempt(parse_occurred_at, cells, mapping)
    location = attempt(required_text, cells, mapping.location)
    severity = attempt(parse_severity, cells, mapping)
    deaths = attempt(parse_count, cells, mapping.deaths)
    injuries = attempt(parse_count, cells, mapping.injuries)
    parties = attempt(parse_parties, cells, mapping.parties)
    if reasons:
        raise RowRejected(reasons)
    return Accident(
        occurred_at=occurred_at,
        intersection_id=cells[mapping.intersection_id] or None if mapping.intersection_id else None,
        location_text=location,
        district=cells[mapping.district] or None,
        severity=severity,
        count_deaths=deaths,
        count_injuries=injuries,
        **{flag: party in parties for party, flag in PARTY_FLAGS.items()},
        is_synthetic=bool(mapping.synthetic)
        and normalise_word(cells[mapping.synthetic.column]) in mapping.synthetic.values,
    )


def required_text(cells: dict[str, str], column: str) -> str:
    if not cells[column]:
        raise ValueError(f"{column} is empty; it is required")
    return cells[column]


def parse_occurred_at(cells: dict[str, str], mapping: AccidentMapping) -> datetime:
    """The moment as UTC, read in the mapping's time zone with the first format that fits."""
    spec = mapping.occurred_at
    columns = spec.source_columns()
    for column in columns:
        required_text(cells, column)
    text = re.sub(r"\s+", " ", " ".join(cells[column] for column in columns))
    for pattern in spec.formats:
        try:
            local = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return local.replace(tzinfo=ZoneInfo(mapping.timezone)).astimezone(UTC)
    raise ValueError(
        f"{' + '.join(columns)} '{text}' fits none of the formats {spec.formats}; "
        "add its pattern to occurred_at.formats"
    )


def parse_severity(cells: dict[str, str], mapping: AccidentMapping) -> str:
    column = mapping.severity.column
    word = required_text(cells, column)
    severity = mapping.severity.values.get(normalise_word(word))
    if severity is None:
        raise ValueError(f"{column} '{word}' is not a known severity; add it to severity.values")
    return severity


def parse_count(cells: dict[str, str], column: str) -> int:
    """A whole number of people; a blank cell means none (how exports leave zero)."""
    text = cells[column]
    if not text:
        return 0
    if not re.fullmatch(r"-?\d+(\.0+)?", text):  # exports written by spreadsheets say "1.0"
        raise ValueError(f"{column} '{text}' is not a whole number")
    count = int(float(text))
    if count < 0:
        raise ValueError(f"{column} is {count}; a count of people cannot be negative")
    return count


def parse_parties(cells: dict[str, str], spec: PartiesColumn) -> set[str]:
    """The party types involved (pedestrian, courier ...), from the list or per-type columns."""
    if spec.column:
        words = [w for w in re.split(f"[{re.escape(spec.separators)}]", cells[spec.column]) if w]
        unknown = [w.strip() for w in words if normalise_word(w) not in spec.values]
        if unknown:
            raise ValueError(
                f"{spec.column} has unknown party word(s) {unknown}; add them to parties.values "
                "(map words that are none of the four types to 'other')"
            )
        return {party for w in words for party in spec.values[normalise_word(w)]} - {"other"}
    involved = set()
    for party, column in spec.columns.items():
        word = normalise_word(cells[column])
        if word in spec.true_values:
            involved.add(party)
        elif word not in spec.false_values:
            raise ValueError(
                f"{column} '{cells[column]}' is neither a true nor a false value; add it to "
                "parties.true_values or parties.false_values"
            )
    return involved


def with_record_ids(accidents: Iterable[Accident]) -> list[Accident]:
    """Each accident with its stable id: a hash of its content and its ordinal among equals.

    Two exports holding the same record give it the same id, so the staging view counts it once;
    two identical records within one export (same minute, place, severity, counts and parties)
    stay two accidents, told apart by the ordinal.
    """
    seen: Counter[str] = Counter()
    identified = []
    for accident in accidents:
        content = content_key(accident)
        identified.append(replace(accident, record_id=_digest(f"{content}#{seen[content]}")))
        seen[content] += 1
    return identified


def content_key(accident: Accident) -> str:
    values = {f.name: getattr(accident, f.name) for f in fields(Accident) if f.name != "record_id"}
    values["occurred_at"] = accident.occurred_at.astimezone(UTC).isoformat()
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
