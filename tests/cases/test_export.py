import csv
import hashlib
import json

import pytest

from cases.export import INDEX_COLUMNS, export_cases
from cases.sheet import case_number
from cases.verify import verify
from detectors.config.errors import InputError

WEEK = "2026-W47"


def test_every_confirmed_violation_of_the_week_becomes_a_signed_case(
    case_warehouse, office_key, tmp_path
):
    root, ids = case_warehouse
    out = tmp_path / "export"
    summary = export_cases(root, WEEK, out, office_key)
    assert summary.count_cases == 3  # the rejected event is no case
    assert summary.evidence_states == {"intact": 3}
    numbers = sorted(path.name for path in (out / "cases").iterdir())
    assert numbers == sorted(case_number(event_id, WEEK) for event_id in (ids[0], ids[2], ids[3]))
    case = out / "cases" / case_number(ids[0], WEEK)
    assert sorted(path.name for path in case.iterdir()) == [
        "case.html",
        "case.pdf",
        "decisions.json",
        "evidence",
        "manifest.json",
        "manifest.sig",
        "record.json",
    ]
    assert sorted(path.name for path in (case / "evidence").iterdir()) == [
        "clip.mp4",
        "closeup.jpg",
        "event.json",
        "frame_1_before.jpg",
        "frame_2_at.jpg",
        "frame_3_after.jpg",
    ]
    assert (case / "case.pdf").read_bytes().startswith(b"%PDF")
    assert verify(out).ok


def test_the_index_gives_the_penalty_system_one_row_per_case(case_warehouse, office_key, tmp_path):
    root, ids = case_warehouse
    export_cases(root, WEEK, tmp_path / "export", office_key)
    with open(tmp_path / "export" / "index.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(INDEX_COLUMNS)
    by_event = {row["event_id"]: row for row in rows}
    fine = by_event[ids[0]]
    assert (fine["rule_name"], fine["disposition_name"], fine["fine_yuan"]) == (
        "行人闯红灯",
        "罚款",
        "20",
    )
    assert fine["occurred_at_local"] == "2026-11-16 08:00:10"
    assert fine["place"] == "幸福路 × 工体北路 北向"
    assert "第八十九条" in fine["legal_basis"]
    rider = by_event[ids[2]]
    assert (rider["platform_name"], rider["rider_code"], rider["second_reviewed_by"]) == (
        "美团外卖",
        "MT-0042",
        "zhou",
    )
    assert rider["first_reviewed_by"] == "li" and rider["evidence_state"] == "intact"


def test_the_case_keeps_the_record_and_who_decided_what(case_warehouse, office_key, tmp_path):
    root, ids = case_warehouse
    export_cases(root, WEEK, tmp_path / "export", office_key)
    case = tmp_path / "export" / "cases" / case_number(ids[2], WEEK)
    record = json.loads((case / "record.json").read_text(encoding="utf-8"))
    assert (record["event_id"], record["disposition"], record["rider_code"]) == (
        ids[2],
        "warning",
        "MT-0042",
    )
    decisions = json.loads((case / "decisions.json").read_text(encoding="utf-8"))
    assert [(step["action"], step["changed_by"]) for step in decisions["history"]] == [
        ("decide", "li"),
        ("second_review", "zhou"),
    ]
    html = (case / "case.html").read_text(encoding="utf-8")
    for text in (
        "文明交通违法案件单",
        "非机动车逆行",
        "MT-0042",
        "警告",
        "复核（第 2 版）",
        "西侧人行横道",
    ):
        assert text in html
    assert 'src="evidence/frame_2_at.jpg"' in html
    assert "<script" not in html


def test_changed_evidence_is_exported_but_marked(case_warehouse, office_key, tmp_path):
    root, ids = case_warehouse
    folder = root / "evidence" / f"clip={ids[0].split('-')[0]}"
    [picture] = folder.glob(f"load=*/{ids[0]}/frame_2_at.jpg")
    picture.write_bytes(b"retouched")
    summary = export_cases(root, WEEK, tmp_path / "export", office_key)
    assert summary.evidence_states == {"intact": 2, "tampered": 1}
    html = (tmp_path / "export" / "cases" / case_number(ids[0], WEEK) / "case.html").read_text(
        "utf-8"
    )
    assert "与入库时记录的校验值不符" in html
    case = tmp_path / "export" / "cases" / case_number(ids[0], WEEK)
    assert (case / "evidence" / "frame_2_at.jpg").read_bytes() == b"retouched"  # as found
    listed = json.loads((case / "manifest.json").read_text("utf-8"))["files"]
    retouched = hashlib.sha256(b"retouched").hexdigest()
    assert {"path": "evidence/frame_2_at.jpg", "sha256": retouched, "bytes": 9} in listed


def test_an_export_goes_into_a_new_folder_and_needs_the_key(
    case_warehouse, office_key, tmp_path, monkeypatch
):
    root, _ = case_warehouse
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "old.txt").write_text("x")
    with pytest.raises(InputError, match="not empty"):
        export_cases(root, WEEK, taken, office_key)
    monkeypatch.delenv("CIVILITY_CASE_KEY", raising=False)
    with pytest.raises(InputError, match="cases keygen"):
        export_cases(root, WEEK, tmp_path / "new", None)
    with pytest.raises(InputError, match="YYYY-Www"):
        export_cases(root, "2026-47", tmp_path / "new", office_key)


def test_a_week_without_confirmed_cases_exports_an_empty_signed_index(
    case_warehouse, office_key, tmp_path
):
    root, _ = case_warehouse
    summary = export_cases(root, "2026-W30", tmp_path / "empty", office_key)
    assert summary.count_cases == 0
    assert verify(tmp_path / "empty").ok
