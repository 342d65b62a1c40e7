"""Import one police accident export (CSV + mapping YAML or preset) into the warehouse.

Every record ends up somewhere: accepted rows in ``accidents/records/<sha16>.parquet``, bad rows in
``accidents/rejected/<sha16>.csv`` with their line number and the reason, the counts in
``accidents/imports/<sha16>.json`` (sha16: first 16 hex digits of the file's SHA-256). The records
file is written last, atomically, so it marks a complete import. Importing the same file with the
same mapping again writes nothing; with a corrected mapping it replaces that file's rows. A file of
which no row can be imported is refused whole (InputError) and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analytics.accidents.mapping import AccidentMapping, LoadedMapping, load_mapping
from analytics.accidents.records import (
    IMPORTS_DIR,
    REJECTED_DIR,
    SourcedAccident,
    StoredImport,
    records_path,
    records_table,
    stored_imports,
    write_records,
)
from analytics.accidents.report import (
    ImportReport,
    ImportStatus,
    RejectedRow,
    counted_reasons,
    rejected_csv,
    report_document,
)
from analytics.accidents.rows import RowRejected, normalise_record, with_record_ids
from analytics.accidents.source import (
    check_header,
    decode_export,
    shown_with_escapes,
    split_records,
)
from detectors.atomic import write_atomically
from detectors.config.errors import InputError

# The deployment's zone (docs/airflow.md): a mapping without a timezone is read in it.
WAREHOUSE_TIMEZONE_ENV = "CIVILITY_BOARD_TIMEZONE"


@dataclass(frozen=True)
class ParsedExport:
    accepted: list[SourcedAccident]
    rejected: list[RejectedRow]
    rejection_reasons: list[tuple[int, str]]  # (line, reason summary), for counting
    warnings: list[tuple[int, str]]
    encoding: str


def parse_export(data: bytes, mapping: AccidentMapping, source: str) -> ParsedExport:
    """Split an export's bytes into accepted accidents and rejected rows (pure)."""
    text, encoding = decode_export(data, mapping.encoding)
    export = split_records(text, mapping.delimiter, mapping.skip_lines, source)
    check_header(export.header, mapping.required_columns(), encoding, source)
    accepted, rejected, reasons, warnings = [], [], [], []
    for record in export.records:
        try:
            normalised = normalise_record(record.fields, export.header, mapping)
        except RowRejected as exc:
            shown = shown_with_escapes(_as_csv_line(record.fields, mapping), encoding)
            rejected.append(RejectedRow(record.line, str(exc), shown))
            reasons += [(record.line, problem.summary) for problem in exc.problems]
            continue
        accepted.append(SourcedAccident(record.line, normalised.accident))
        warnings += [(record.line, warning.summary) for warning in normalised.warnings]
    identified = with_record_ids(item.accident for item in accepted)
    accepted = [
        SourcedAccident(item.line, accident)
        for item, accident in zip(accepted, identified, strict=True)
    ]
    return ParsedExport(accepted, rejected, reasons, warnings + _repeated_cases(accepted), encoding)


def _repeated_cases(accepted: list[SourcedAccident]) -> list[tuple[int, str]]:
    first_lines: dict[str, int] = {}
    repeated = []
    for item in accepted:
        if item.accident.case_key is None:
            continue
        if item.accident.record_id in first_lines:
            reason = "a case key repeats an earlier line of the file; the later line counts"
            repeated.append((item.line, reason))
        first_lines.setdefault(item.accident.record_id, item.line)
    return repeated


def import_accidents(
    root: str | Path,
    csv_path: str | Path,
    mapping_path: str | Path | None = None,
    imported_at: datetime | None = None,
    preset: str | None = None,
    default_timezone: str | None = None,
) -> ImportReport:
    """Import ``csv_path`` read with ``mapping_path`` and/or ``preset`` into the warehouse at
    ``root``. A mapping without a timezone takes ``default_timezone``, by default
    ``$CIVILITY_BOARD_TIMEZONE``, and the report says so."""
    root, csv_path = Path(root), Path(csv_path)
    loaded = load_mapping(
        mapping_path, preset, default_timezone or os.environ.get(WAREHOUSE_TIMEZONE_ENV)
    )
    if not csv_path.is_file():
        raise InputError(f"accident export {csv_path}: file not found; pass the CSV's path")
    data = csv_path.read_bytes()
    sha16 = hashlib.sha256(data).hexdigest()[:16]
    parsed = parse_export(data, loaded.mapping, str(csv_path))
    if not parsed.accepted:
        raise _nothing_to_import(csv_path, parsed)
    report = _report(root, csv_path, sha16, loaded, parsed, stored_imports(root))
    if report.status != "unchanged":
        _write_import(root, report, parsed, imported_at or datetime.now(UTC))
    return report


def _report(
    root: Path,
    csv_path: Path,
    sha16: str,
    loaded: LoadedMapping,
    parsed: ParsedExport,
    stored: dict[str, StoredImport],
) -> ImportReport:
    contents = {item.accident.record_id: item.accident.content_sha16 for item in parsed.accepted}
    others = sorted(
        (imported for file, imported in stored.items() if file != sha16),
        key=lambda imported: imported.imported_at or datetime.min.replace(tzinfo=UTC),
    )
    newest_elsewhere: dict[str, str | None] = {}
    for imported in others:  # oldest first, so the newest version is left standing
        newest_elsewhere |= {
            rid: imported.contents[rid] for rid in contents.keys() & imported.contents.keys()
        }
    status: ImportStatus = (
        "new"
        if sha16 not in stored
        else "unchanged"
        if stored[sha16].contents == contents
        else "replaced"
    )
    count_read = len(parsed.accepted) + len(parsed.rejected)
    share = len(parsed.rejected) / count_read
    return ImportReport(
        source_path=csv_path,
        file_sha16=sha16,
        status=status,
        mapping=loaded.label,
        source_name=loaded.mapping.source,
        encoding=parsed.encoding,
        count_read=count_read,
        count_accepted=len(parsed.accepted),
        count_rejected=len(parsed.rejected),
        count_already_present=len(newest_elsewhere),
        count_corrected=sum(
            1 for rid, old in newest_elsewhere.items() if old is not None and old != contents[rid]
        ),
        max_rejected_share=loaded.mapping.max_rejected_share,
        is_rejected_share_exceeded=share > loaded.mapping.max_rejected_share,
        records_path=records_path(root, sha16),
        rejected_path=root / REJECTED_DIR / f"{sha16}.csv" if parsed.rejected else None,
        report_path=root / IMPORTS_DIR / f"{sha16}.json",
        rejection_reasons=counted_reasons(parsed.rejection_reasons),
        warnings=counted_reasons(parsed.warnings),
        notices=loaded.notices,
        rejected=parsed.rejected,
    )


def _nothing_to_import(csv_path: Path, parsed: ParsedExport) -> InputError:
    if not parsed.rejected:
        return InputError(
            f"accident export {csv_path}: no rows below the header; nothing was imported. Is "
            "it the whole export?"
        )
    reasons = "; ".join(
        f"{reason.reason} ({reason.count} rows, e.g. line "
        f"{', '.join(map(str, reason.example_lines))})"
        for reason in counted_reasons(parsed.rejection_reasons, top=3)
    )
    return InputError(
        f"accident export {csv_path}: none of its {len(parsed.rejected)} rows could be "
        f"imported, so nothing was written. Most frequent reasons: {reasons}. Fix the mapping "
        "(or the export) and import again"
    )


def _write_import(root: Path, report: ImportReport, parsed: ParsedExport, at: datetime) -> None:
    rejected_path = root / REJECTED_DIR / f"{report.file_sha16}.csv"
    if report.rejected_path:
        text = rejected_csv(parsed.rejected)
        write_atomically(rejected_path, lambda temp: temp.write_text(text, encoding="utf-8-sig"))
    else:
        rejected_path.unlink(missing_ok=True)  # a corrected mapping may leave no bad rows
    summary = json.dumps(report_document(report, root, at), ensure_ascii=False)
    write_atomically(report.report_path, lambda temp: temp.write_text(summary, encoding="utf-8"))
    write_records(report.records_path, records_table(parsed.accepted, report.file_sha16, at))


def _as_csv_line(fields: list[str], mapping: AccidentMapping) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=mapping.delimiter, lineterminator="").writerow(fields)
    return buffer.getvalue()
