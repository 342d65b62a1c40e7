"""The cells of one export record, read as the mapping says: time, counts, severity, parties, place.

Pure functions: no files, no clock. A cell that makes its record unusable raises ``CellProblem``;
one the record survives (a vehicle word nobody mapped, coordinates at 0,0) is returned as a
warning, a ``CellProblem`` too. Each problem has a ``summary`` that is the same for every record
with it, so that an import report can count them, and a message that adds this record's value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from analytics.accidents.mapping import AccidentMapping
from analytics.accidents.mapping_parts import (
    Coordinates,
    OccurredAt,
    PartiesSpec,
    SeverityColumn,
    normalise_word,
)


class CellProblem(ValueError):
    def __init__(self, summary: str, detail: str | None = None):
        super().__init__(detail or summary)
        self.summary = summary


@dataclass(frozen=True)
class When:
    utc: datetime
    local: datetime  # the wall-clock time written in the export, without a zone
    is_placeholder: bool  # a clock time such as 00:00 that stands for "not recorded"


@dataclass(frozen=True)
class Place:
    text: str | None
    kind: str | None  # 'intersection' (two names or more), 'place' (one name), 'coordinates'
    latitude: float | None
    longitude: float | None


def required_text(cells: dict[str, str], column: str) -> str:
    if not cells[column]:
        raise CellProblem(f"{column} is empty; it is required")
    return cells[column]


def optional_text(cells: dict[str, str], column: str | None) -> str | None:
    return (cells[column] or None) if column else None


def parse_occurred_at(cells: dict[str, str], spec: OccurredAt, timezone: str) -> When:
    """The moment, read in ``timezone`` with the first format that fits."""
    columns = spec.source_columns()
    for column in columns:
        required_text(cells, column)
    text = re.sub(r"\s+", " ", " ".join(cells[column] for column in columns))
    for pattern in spec.formats:
        try:
            local = datetime.strptime(text, pattern)
        except ValueError:
            continue
        utc = local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
        return When(utc, local, f"{local:%H:%M}" in spec.placeholder_times)
    named = " + ".join(columns)
    fix = f"fits none of the formats {spec.formats}; add its pattern to occurred_at.formats"
    raise CellProblem(f"{named} {fix}", f"{named} '{text}' {fix}")


def parse_count(cells: dict[str, str], column: str) -> int:
    """A whole number of people; a blank cell means none (how exports leave zero)."""
    text = cells[column]
    if not text:
        return 0
    if not re.fullmatch(r"-?\d+(\.0+)?", text):  # exports written by spreadsheets say "1.0"
        raise CellProblem(
            f"{column} is not a whole number", f"{column} '{text}' is not a whole number"
        )
    count = int(float(text))
    if count < 0:
        raise CellProblem(
            f"{column} is negative; a count of people cannot be",
            f"{column} is {count}; a count of people cannot be negative",
        )
    return count


def parse_counts(cells: dict[str, str], columns: list[str]) -> int | None:
    """The sum of the count columns; None when the mapping names none (the export lacks it)."""
    return sum(parse_count(cells, column) for column in columns) if columns else None


def parse_severity(
    cells: dict[str, str], spec: SeverityColumn, deaths: int | None, injuries: int | None
) -> tuple[str, bool]:
    """The record's severity and whether it was derived from the counts (no word to read)."""
    word = cells[spec.column] if spec.column else ""
    if word:
        severity = spec.values.get(normalise_word(word))
        if severity is None:
            fix = "is not a known severity; add it to severity.values"
            raise CellProblem(
                f"{spec.column} has a word that {fix}", f"{spec.column} '{word}' {fix}"
            )
        return severity, False
    if deaths is None or injuries is None:
        raise CellProblem(
            f"{spec.column} is empty and the mapping names no deaths and injuries columns to "
            "derive the severity from"
        )
    derived = spec.from_counts
    return (
        derived.deaths if deaths > 0 else derived.injuries if injuries > 0 else derived.neither
    ), True


def parse_parties(cells: dict[str, str], spec: PartiesSpec) -> tuple[set[str], list[CellProblem]]:
    """The party types involved (pedestrian, courier ...) and the words nobody mapped."""
    involved: set[str] = set()
    warnings = []
    for column in spec.column:
        for word in _words(cells[column], spec.separators):
            targets = spec.values.get(normalise_word(word))
            if targets is None:
                unknown = f"'{word}' is not in parties.values and counts as other; map it to a "
                unknown += "party type if it is one"
                warnings.append(CellProblem(unknown, f"{column}: {unknown}"))
            involved.update(targets or [])
    for party, column in spec.columns.items():
        word = normalise_word(cells[column])
        if word in spec.true_values:
            involved.add(party)
        elif word not in spec.false_values:
            fix = "is neither a true nor a false value; add it to parties.true_values or "
            fix += "parties.false_values"
            raise CellProblem(f"{column} {fix}", f"{column} '{cells[column]}' {fix}")
    for party, columns in spec.counts.items():
        if parse_counts(cells, columns):
            involved.add(party)
    return involved - {"other"}, warnings


def _words(cell: str, separators: str) -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", cell) if separators else [cell]
    return [part.strip() for part in parts if part.strip()]


def parse_place(cells: dict[str, str], mapping: AccidentMapping) -> tuple[Place, list[CellProblem]]:
    """Where: the first location fallback with a name in it, else the coordinates.

    Names of an intersection (two or more non-empty cells of one fallback) are sorted, so that
    "A & B" and "B & A" are one place; runs of blanks are closed up."""
    warnings: list[CellProblem] = []
    latitude = longitude = None
    if mapping.coordinates:
        point = parse_coordinates(cells, mapping.coordinates)
        if isinstance(point, CellProblem):
            warnings.append(point)
        elif point:
            latitude, longitude = point
    for entry in mapping.location:
        names = [re.sub(r"\s+", " ", cells[column]) for column in entry if cells[column]]
        if len(names) > 1:
            text = " & ".join(sorted(names, key=str.casefold))
            return Place(text, "intersection", latitude, longitude), warnings
        if names:
            return Place(names[0], "place", latitude, longitude), warnings
    if latitude is not None:
        return Place(
            f"{latitude:.5f}, {longitude:.5f}", "coordinates", latitude, longitude
        ), warnings
    searched = [column for entry in mapping.location for column in entry]
    searched += mapping.coordinates.source_columns() if mapping.coordinates else []
    if mapping.require_location:
        if len(searched) == 1:
            raise CellProblem(f"{searched[0]} is empty; it is required")
        raise CellProblem(f"no location: {', '.join(searched)} hold none; a location is required")
    warnings.append(CellProblem("no location in the record: it counts city-wide only"))
    return Place(None, None, None, None), warnings


def parse_coordinates(
    cells: dict[str, str], spec: Coordinates
) -> tuple[float, float] | CellProblem | None:
    """(latitude, longitude); None when both cells are blank; a CellProblem (a warning: the
    record keeps its other facts) when they are no real place."""
    texts = cells[spec.latitude], cells[spec.longitude]
    if not any(texts):
        return None
    named = f"{spec.latitude}/{spec.longitude}"
    try:
        latitude, longitude = (float(text) for text in texts)
    except ValueError:
        return CellProblem(f"{named} are not numbers; coordinates ignored")
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return CellProblem(f"{named} are not numbers; coordinates ignored")
    if latitude == 0 and longitude == 0:
        return CellProblem(f"{named} are (0, 0), a placeholder; coordinates ignored")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return CellProblem(f"{named} are out of range; coordinates ignored")
    if spec.bounds and not spec.bounds.contain(latitude, longitude):
        return CellProblem(f"{named} lie outside coordinates.bounds; coordinates ignored")
    return latitude, longitude
