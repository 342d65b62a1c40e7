"""Accident exports in the landing area: the mapping that reads each, import or quarantine.
A stand-in importer records its calls (the real one runs in tests/dags)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from detectors.config.errors import InputError
from orchestration.accidents import import_export, mapping_key
from orchestration.quarantine import reason_path


@dataclass
class Report:
    status: str = "new"
    count_read: int = 3
    count_accepted: int = 2
    count_rejected: int = 1


class Importer:
    def __init__(self, error: str | None = None):
        self.error = error
        self.calls: list[tuple[Path, str, str]] = []

    def __call__(self, root: Path, csv_path: Path, mapping_path: Path) -> Report:
        self.calls.append((root, csv_path.read_text(), mapping_path.read_text()))
        if self.error:
            raise InputError(self.error)
        return Report()


@pytest.fixture
def area(tmp_path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_own_mapping_comes_before_the_folder_mapping(area):
    write(area / "pd" / "a.csv", "")
    write(area / "pd" / "a.yaml", "")
    write(area / "pd" / "b.csv", "")
    write(area / "pd" / "mapping.yaml", "")
    write(area / "c.csv", "")

    assert mapping_key(area, "pd/a.csv") == "pd/a.yaml"
    assert mapping_key(area, "pd/b.csv") == "pd/mapping.yaml"
    assert mapping_key(area, "c.csv") is None


def test_an_imported_export_is_archived_with_its_mapping(area, locations):
    write(area / "a.csv", "rows")
    write(area / "a.yaml", "own mapping")
    write(area / "mapping.yaml", "shared mapping")
    importer = Importer()

    outcome = import_export(area, "a.csv", locations, importer)

    assert outcome == {
        "key": "a.csv",
        "status": "new",
        "count_read": 3,
        "count_accepted": 2,
        "count_rejected": 1,
    }
    archive = locations.store / "accident-exports" / hashlib.sha256(b"rows").hexdigest()[:16]
    assert importer.calls == [(locations.warehouse, "rows", "own mapping")]
    assert (archive / "a.csv").read_text() == "rows"
    assert (archive / "mapping.yaml").read_text() == "own mapping"
    assert sorted(p.name for p in area.iterdir()) == ["mapping.yaml"]  # the shared one stays


def test_an_export_refused_whole_is_quarantined_with_the_reason(area, locations):
    write(area / "a.csv", "rows")
    write(area / "mapping.yaml", "shared mapping")

    outcome = import_export(area, "a.csv", locations, Importer("header lacks 事故时间"))

    tag = hashlib.sha256(b"rows").hexdigest()[:8]
    moved = locations.quarantine / "accidents" / f"a-{tag}.csv"
    assert outcome == {
        "key": "a.csv",
        "status": "quarantined",
        "reason": "header lacks 事故时间",
        "file": str(moved),
    }
    assert (moved.parent / f"mapping-{tag}.yaml").read_text() == "shared mapping"
    assert json.loads(reason_path(moved).read_text())["reason"] == "header lacks 事故时间"
    assert list((locations.store / "accident-exports").iterdir()) == []
    assert sorted(p.name for p in area.iterdir()) == ["mapping.yaml"]


def test_an_export_without_mapping_is_quarantined_unread(area, locations):
    write(area / "a.csv", "rows")
    importer = Importer()

    outcome = import_export(area, "a.csv", locations, importer)

    assert outcome["status"] == "quarantined"
    assert "no mapping YAML; put a.yaml beside it or a mapping.yaml" in outcome["reason"]
    assert importer.calls == []
    assert list(area.iterdir()) == []
