"""Import one police accident export (CSV + mapping YAML) into the warehouse.

Every record ends up somewhere: accepted rows in ``accidents/records/<sha16>.parquet``, bad rows in
``accidents/rejected/<sha16>.csv`` with their line number and the reason, the counts in
``accidents/imports/<sha16>.json`` (sha16: first 16 hex digits of the file's SHA-256). The records
file is written last, atomically, so it marks a complete import. Importing the same file with the
same mapping again writes nothing; with a corrected mapping it replaces that file's rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from analytics.accidents.mapping import AccidentMapping, load_mapping
from analytics.accidents.records import (
    IMPORTS_DIR,
    REJECTED_DIR,
    SourcedAccident,
    records_path,
    records_table,
    stored_record_ids,
    write_records,
)
from analytics.accidents.rows import RowRejected, normalise_record, with_record_ids
from analytics.accidents.source import check_header, decode, shown_with_escapes, split_records
from detectors.atomic import write_atomically
from detectors.config.errors import InputError

ImportStatus = Literal["new", "unchanged", "replaced"]


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    record: str  # the record as it stood in the file, undecodable bytes shown as \xNN


@dataclass(frozen=True)
class ParsedExport:
    accepted: list[SourcedAccident]
    rejected: list[RejectedRow]


@dataclass(frozen=True)
class ImportReport:
    source_path: Path
    file_sha16: str
    status: ImportStatus  # new file, same file and rows as before, or same file re-mapped
    count_read: int
    count_accepted: int
    count_rejected: int
    count_already_present: int  # accepted rows the warehouse already held (counted once)
    records_path: Path
    rejected_path: Path | None
    report_path: Path
    rejected: list[RejectedRow] = field(default_factory=list)


def parse_export(data: bytes, mapping: AccidentMapping, source: str) -> ParsedExport:
    """Split an export's bytes into accepted accidents and rejected rows (pure)."""
    text = decode(data, mapping.encoding)
    export = split_records(text, mapping.delimiter, mapping.skip_lines, source)
    check_header(export.header, mapping.required_columns(), mapping.encoding, source)
    accepted, rejected = [], []
    for record in export.records:
        try:
            accident = normalise_record(record.fields, export.header, mapping)
        except RowRejected as exc:
            shown = shown_with_escapes(_as_csv_line(record.fields, mapping), mapping.encoding)
            rejected.append(RejectedRow(record.line, str(exc), shown))
            continue
        accepted.append(SourcedAccident(record.line, accident))
    identified = with_record_ids(item.accident for item in accepted)
    accepted = [
        SourcedAccident(item.line, accident)
        for item, accident in zip(accepted, identified, strict=True)
    ]
    return ParsedExport(accepted, rejected)


def import_accidents(
    root: str | Path,
    csv_path: str | Path,
    mapping_path: str | Path,
    imported_at: datetime | None = None,
) -> ImportReport:
    """Import ``csv_path`` read with ``mapping_path`` into the warehouse at ``root``."""
    root, csv_path = Path(root), Path(csv_path)
    mapping = load_mapping(mapping_path)
    if not csv_path.is_file():
        raise InputError(f"accident export {csv_path}: file not found; pass the CSV's path")
    data = csv_path.read_bytes()
    sha16 = hashlib.sha256(data).hexdigest()[:16]
    parsed = parse_export(data, mapping, str(csv_path))
    stored = stored_record_ids(root)
    new_ids = {item.accident.record_id for item in parsed.accepted}
    already = set().union(*stored.values()) & new_ids
    status: ImportStatus = (
        "new" if sha16 not in stored else "unchanged" if stored[sha16] == new_ids else "replaced"
    )
    report = ImportReport(
        source_path=csv_path,
        file_sha16=sha16,
        status=status,
        count_read=len(parsed.accepted) + len(parsed.rejected),
        count_accepted=len(parsed.accepted),
        count_rejected=len(parsed.rejected),
        count_already_present=len(already),
        records_path=records_path(root, sha16),
        rejected_path=root / REJECTED_DIR / f"{sha16}.csv" if parsed.rejected else None,
        report_path=root / IMPORTS_DIR / f"{sha16}.json",
        rejected=parsed.rejected,
    )
    if status != "unchanged":
        _write_import(root, report, parsed, Path(mapping_path), imported_at or datetime.now(UTC))
    return report


def _write_import(
    root: Path, report: ImportReport, parsed: ParsedExport, mapping_path: Path, at: datetime
) -> None:
    rejected_path = root / REJECTED_DIR / f"{report.file_sha16}.csv"
    if report.rejected_path:
        text = rejected_csv(parsed.rejected)
        write_atomically(rejected_path, lambda temp: temp.write_text(text, encoding="utf-8-sig"))
    else:
        rejected_path.unlink(missing_ok=True)  # a corrected mapping may leave no bad rows
    summary = json.dumps(report_document(report, root, mapping_path, at), ensure_ascii=False)
    write_atomically(report.report_path, lambda temp: temp.write_text(summary, encoding="utf-8"))
    write_records(report.records_path, records_table(parsed.accepted, report.file_sha16, at))


def rejected_csv(rejected: list[RejectedRow]) -> str:
    """The rejected rows as CSV text: source_line, reason, record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source_line", "reason", "record"])
    writer.writerows((row.line, row.reason, row.record) for row in rejected)
    return buffer.getvalue()


def report_document(report: ImportReport, root: Path, mapping_path: Path, at: datetime) -> dict:
    def relative(path: Path | None) -> str | None:
        return str(path.relative_to(root)) if path else None

    return {
        "source_path": str(report.source_path),
        "mapping_path": str(mapping_path),
        "file_sha16": report.file_sha16,
        "status": report.status,
        "imported_at": at.isoformat(),
        "count_read": report.count_read,
        "count_accepted": report.count_accepted,
        "count_rejected": report.count_rejected,
        "count_already_present": report.count_already_present,
        "records_path": relative(report.records_path),
        "rejected_path": relative(report.rejected_path),
    }


def _as_csv_line(fields: list[str], mapping: AccidentMapping) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=mapping.delimiter, lineterminator="").writerow(fields)
    return buffer.getvalue()
