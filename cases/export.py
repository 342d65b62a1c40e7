"""``civility cases export``: one signed case package per confirmed violation of a week, and an
index for the penalty system.

    OUT/index.csv                     one row per case (UTF-8 with BOM, for spreadsheet tools)
    OUT/manifest.json, manifest.sig   the index and each case's manifest, signed
    OUT/cases/<case no>/evidence/     the evidence files as loaded (pictures, clip, event.json)
    OUT/cases/<case no>/record.json   the violation as the warehouse holds it
    OUT/cases/<case no>/decisions.json  the decision and its history (who said what, when)
    OUT/cases/<case no>/case.html, case.pdf  the case sheet (案件单), in Chinese
    OUT/cases/<case no>/manifest.json, manifest.sig  every file above, signed

Evidence is checked against the digests recorded at load as it is copied; a case whose
evidence is missing or changed is still exported, marked as such on its sheet and in the
index. The export appears whole or not at all (built beside OUT, then renamed). Cases are
written by one worker process per core (drawing a sheet is CPU work); a few cases need none.
"""

from __future__ import annotations

import csv
import functools
import json
import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from analytics.decisions.decisions import HistoryStep
from analytics.decisions.models import Decision
from analytics.decisions.policy import ReviewPolicy, load_policy
from analytics.warehouse.evidence import check_evidence, record_names, recorded_digests
from cases.manifest import MANIFEST, SIGNATURE, FileEntry, copy_hashed, entry_of, write_manifest
from cases.records import confirmed_cases, decisions_of
from cases.sheet import EvidenceLine, case_number, case_sheet, local_time, write_html, write_pdf
from cases.signing import fingerprint, key_path, load_private_key
from detectors.atomic import staged_folder
from detectors.config.errors import InputError
from review import labels

INDEX = "index.csv"
CASES_PER_WORKER_TASK = 16
MIN_CASES_FOR_WORKERS = 200  # below this, starting worker processes costs more than it saves
INDEX_COLUMNS = (
    "case_no",
    "event_id",
    "rule",
    "rule_name",
    "occurred_at_local",
    "district",
    "place",
    "courier_platform",
    "platform_name",
    "rider_code",
    "disposition",
    "disposition_name",
    "fine_yuan",
    "legal_basis",
    "first_reviewed_by",
    "second_reviewed_by",
    "decided_at_local",
    "evidence_state",
    "case_folder",
    "manifest_sha256",
)


@dataclass(frozen=True)
class ExportSummary:
    week: str
    folder: Path
    count_cases: int
    evidence_states: dict[str, int]
    signed_by: str
    runtime_s: float


def export_cases(
    root: Path,
    week: str,
    out: Path,
    key_file: str | Path | None = None,
    timezone: str = "Asia/Shanghai",
    policy: ReviewPolicy | None = None,
    workers: int | None = None,
) -> ExportSummary:
    started = time.perf_counter()
    key_file = key_path(key_file)
    key = load_private_key(key_file)
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{out} is not empty; export into a new folder (exports are never merged)")
    policy = policy or load_policy()
    cases = confirmed_cases(root, week, timezone)
    decisions = decisions_of(root, [case["event_id"] for case in cases])
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    header = {"week": week, "timezone": timezone, "exported_at": exported_at}
    workers = workers or min(os.cpu_count() or 1, 4)
    with staged_folder(out) as staging:
        (staging / "cases").mkdir()
        write = functools.partial(_write_case_task, root, staging, header, policy, key_file)
        tasks = [(case, *decisions[case["event_id"]]) for case in cases]
        if workers > 1 and len(cases) >= MIN_CASES_FOR_WORKERS:
            spawn = multiprocessing.get_context("spawn")  # no DuckDB threads forked
            with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
                rows = list(pool.map(write, tasks, chunksize=CASES_PER_WORKER_TASK))
        else:
            rows = [write(task) for task in tasks]
        _write_index(staging / INDEX, rows)
        listed = [entry_of(staging, INDEX)]
        for row in rows:
            listed += [
                entry_of(staging, f"{row['case_folder']}/{name}") for name in (MANIFEST, SIGNATURE)
            ]
        write_manifest(staging, {"kind": "export", **header, "count_cases": len(rows)}, listed, key)
    states = Counter(row["evidence_state"] for row in rows)
    return ExportSummary(
        week,
        out,
        len(rows),
        dict(sorted(states.items())),
        fingerprint(key.public_key()),
        round(time.perf_counter() - started, 2),
    )


def _write_case_task(
    root: Path,
    staging: Path,
    header: dict[str, str],
    policy: ReviewPolicy,
    key_file: Path,
    task: tuple[dict[str, Any], Decision | None, list[HistoryStep]],
) -> dict[str, Any]:
    case, decision, history = task
    key = load_private_key(key_file)  # once per task: loading a PEM key takes microseconds
    return write_case(root, staging, case, decision, history, header, policy, key)


def write_case(
    root: Path,
    staging: Path,
    case: dict[str, Any],
    decision: Decision | None,
    history: list[HistoryStep],
    header: dict[str, str],
    policy: ReviewPolicy,
    key: Ed25519PrivateKey,
) -> dict[str, Any]:
    """One case folder, signed; its row of the index."""
    case_no = case_number(case["event_id"], header["week"])
    folder = staging / "cases" / case_no
    folder.mkdir(parents=True)
    evidence = folder / "evidence"

    def copy_on_check(source: Path) -> str:
        """The check reads each evidence file once: that read is the copy."""
        evidence.mkdir(exist_ok=True)
        return copy_hashed(source, evidence / source.name)

    check = check_evidence(
        Path(root), case["evidence_path"], case["evidence_sha256_json"], copy_on_check
    )
    recorded = recorded_digests(case["evidence_sha256_json"]) or {}
    entries: list[FileEntry] = []
    lines = []
    for item in check.files:
        relative = f"evidence/{item.name}"
        name = labels.EVIDENCE_FILES.get(item.name, item.name)
        if item.sha256 is None:
            lines.append(EvidenceLine(name, relative, recorded.get(item.name, ""), "missing"))
            continue
        entries.append(entry_of(folder, relative, item.sha256))
        lines.append(EvidenceLine(name, relative, item.sha256, item.state))
    record = evidence / "event.json"
    names = record_names(record if check.is_intact else None)
    rule = policy.for_rule(case["rule"])
    _write_json(folder / "record.json", case)
    _write_json(
        folder / "decisions.json",
        {
            "decision": asdict(decision) if decision else None,
            "history": [asdict(step) for step in history],
        },
    )
    sheet = case_sheet(case, case_no, history, lines, check.state, names, rule, header["timezone"])
    write_html(sheet, folder / "case.html")
    write_pdf(sheet, folder, folder / "case.pdf")
    entries += [
        entry_of(folder, name)
        for name in ("record.json", "decisions.json", "case.html", "case.pdf")
    ]
    case_header = {"kind": "case", "case_no": case_no, "event_id": case["event_id"], **header}
    manifest_sha256 = write_manifest(folder, case_header, entries, key)
    return {
        "case_no": case_no,
        "event_id": case["event_id"],
        "rule": case["rule"],
        "rule_name": labels.RULES.get(case["rule"], case["rule"]),
        "occurred_at_local": case["occurred_local"],
        "district": case["district"],
        "place": names["camera"] or case["camera_name"],
        "courier_platform": case["courier_platform"],
        "platform_name": labels.platform(case["courier_platform"])
        if case["courier_platform"]
        else "",
        "rider_code": case["rider_code"],
        "disposition": case["disposition"],
        "disposition_name": labels.DISPOSITIONS.get(case["disposition"] or "", ""),
        "fine_yuan": case["fine_yuan"],
        "legal_basis": rule.legal_basis,
        "first_reviewed_by": decision.first_reviewed_by if decision else None,
        "second_reviewed_by": case["second_reviewed_by"],
        "decided_at_local": local_time(case["reviewed_at"], header["timezone"])
        if case["reviewed_at"]
        else "",
        "evidence_state": check.state,
        "case_folder": f"cases/{case_no}",
        "manifest_sha256": manifest_sha256,
    }


def _write_index(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, INDEX_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _write_json(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_jsonable)
    path.write_text(text + "\n", encoding="utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"case files hold no {type(value).__name__}")
