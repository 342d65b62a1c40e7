"""The records of an export file: decoded, split into fields, each with its line number.

Bytes that are not valid in the declared encoding never stop the import: the file is decoded with
``surrogateescape`` so each bad byte survives as a marker, and the record holding it is rejected
on its own (with its line number) while every other record is read normally.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from detectors.config.errors import InputError, did_you_mean

_UNDECODABLE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class SourceRecord:
    line: int  # 1-based line of the file where the record starts
    fields: list[str]


@dataclass(frozen=True)
class SourceFile:
    header: list[str]
    header_line: int
    records: list[SourceRecord]


def decode(data: bytes, encoding: str) -> str:
    """The file's text; a UTF-8 byte-order mark is dropped whatever the declared encoding."""
    return data.decode(encoding, errors="surrogateescape").removeprefix("\ufeff")


def decode_export(data: bytes, encodings: list[str]) -> tuple[str, str]:
    """The file's text and the encoding it was read in: the first of ``encodings`` in which every
    byte is valid (an export re-saved by Excel turns UTF-8 into cp1252); when none fits, the one
    leaving the fewest bytes undecodable, the first of equals."""
    decoded = []
    for encoding in encodings:
        text = decode(data, encoding)
        count_bad = len(_UNDECODABLE.findall(text))
        if count_bad == 0:
            return text, encoding
        decoded.append((count_bad, len(decoded), text, encoding))
    _, _, text, encoding = min(decoded)
    return text, encoding


def has_undecodable(text: str) -> bool:
    return _UNDECODABLE.search(text) is not None


def shown_with_escapes(text: str, encoding: str) -> str:
    """Text fit to write anywhere: each undecodable byte shown as ``\\xNN``."""
    raw = text.encode(encoding, errors="surrogateescape")
    return raw.decode(encoding, errors="backslashreplace")


def split_records(text: str, delimiter: str, skip_lines: int, source: str) -> SourceFile:
    """Header and records of a CSV text, skipping ``skip_lines`` title lines and blank lines."""
    lines = io.StringIO(text, newline="")
    for _ in range(skip_lines):
        lines.readline()
    reader = csv.reader(lines, delimiter=delimiter)
    records = list(_numbered(reader, first_line=skip_lines + 1))
    if not records:
        raise InputError(
            f"{source}: no header row; is skip_lines in the mapping larger than the title lines?"
        )
    header_record, *rows = records
    header = [name.strip() for name in header_record.fields]
    return SourceFile(header, header_record.line, rows)


def _numbered(reader: Iterator[list[str]], first_line: int) -> Iterator[SourceRecord]:
    # reader.line_num counts physical lines read so far; a quoted field may span several.
    start = first_line
    for fields in reader:
        if fields:
            yield SourceRecord(start, fields)
        start = first_line + reader.line_num


def check_header(header: list[str], required: list[str], encoding: str, source: str) -> None:
    """Raise InputError naming every mapped column missing from the header, with the fix."""
    if has_undecodable("".join(header)):
        raise InputError(
            f"{source}: the header row is not valid {encoding}; set encoding in the mapping to "
            "the file's encoding (Chinese police exports are often gbk or utf-8-sig)"
        )
    missing = [column for column in required if column not in header]
    if missing:
        hints = "; ".join(f"'{column}'{did_you_mean(column, header)}" for column in missing)
        raise InputError(
            f"{source}: column(s) named in the mapping are not in the header row: {hints}. "
            f"The header has: "
            f"{', '.join(header)}. Fix the column names in the mapping (or skip_lines if the "
            "header is not the first line)"
        )
