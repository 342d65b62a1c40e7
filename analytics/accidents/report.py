"""What an import did, for the person who ran it and for the warehouse's record of imports.

``ImportReport`` counts every row (accepted + rejected = read), names the most frequent reasons
for rejections and warnings with example line numbers, and says whether more rows were rejected
than the mapping allows (``max_rejected_share``): then ``civility accidents import`` exits 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

ImportStatus = Literal["new", "unchanged", "replaced"]
TOP_REASONS = 10
EXAMPLE_LINES = 3


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    record: str  # the record as it stood in the file, undecodable bytes shown as \xNN


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    count: int  # rows giving this reason
    example_lines: list[int]  # the first few of them


@dataclass(frozen=True)
class ImportReport:
    source_path: Path
    file_sha16: str
    status: ImportStatus  # new file, same file and rows as before, or same file re-read
    mapping: str  # the mapping file, or the preset
    source_name: str
    encoding: str  # the one of the mapping's encodings the file was read in
    count_read: int
    count_accepted: int
    count_rejected: int
    count_already_present: int  # accepted rows that other imports hold too (counted once)
    count_corrected: int  # of those, cases whose content changed: this version now counts
    max_rejected_share: float
    is_rejected_share_exceeded: bool
    records_path: Path
    rejected_path: Path | None
    report_path: Path
    rejection_reasons: list[ReasonCount] = field(default_factory=list)
    warnings: list[ReasonCount] = field(default_factory=list)  # rows kept, with these caveats
    notices: list[str] = field(default_factory=list)  # defaults the import took
    rejected: list[RejectedRow] = field(default_factory=list)


def counted_reasons(
    flagged: Iterable[tuple[int, str]], top: int = TOP_REASONS
) -> list[ReasonCount]:
    """(line, reason) pairs as reasons counted over distinct lines, most frequent first."""
    lines: dict[str, list[int]] = {}
    for line, reason in flagged:
        seen = lines.setdefault(reason, [])
        if not seen or seen[-1] != line:
            seen.append(line)
    ranked = sorted(lines.items(), key=lambda item: (-len(item[1]), item[1][0]))
    return [
        ReasonCount(reason, len(found), found[:EXAMPLE_LINES]) for reason, found in ranked[:top]
    ]


def rejected_csv(rejected: list[RejectedRow]) -> str:
    """The rejected rows as CSV text: source_line, reason, record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source_line", "reason", "record"])
    writer.writerows((row.line, row.reason, row.record) for row in rejected)
    return buffer.getvalue()


def report_document(report: ImportReport, root: Path, at: datetime) -> dict:
    """The import's summary as stored in ``accidents/imports/<sha16>.json``."""

    def relative(path: Path | None) -> str | None:
        return str(path.relative_to(root)) if path else None

    def reasons(counted: list[ReasonCount]) -> list[dict]:
        return [vars(reason) for reason in counted]

    return {
        "source_path": str(report.source_path),
        "mapping": report.mapping,
        "source_name": report.source_name,
        "encoding": report.encoding,
        "file_sha16": report.file_sha16,
        "status": report.status,
        "imported_at": at.isoformat(),
        "count_read": report.count_read,
        "count_accepted": report.count_accepted,
        "count_rejected": report.count_rejected,
        "count_already_present": report.count_already_present,
        "count_corrected": report.count_corrected,
        "is_rejected_share_exceeded": report.is_rejected_share_exceeded,
        "rejection_reasons": reasons(report.rejection_reasons),
        "warnings": reasons(report.warnings),
        "notices": report.notices,
        "records_path": relative(report.records_path),
        "rejected_path": relative(report.rejected_path),
    }
