"""Accident exports in their landing area: each CSV with the mapping YAML that reads it.

A CSV's mapping is ``<stem>.yaml`` beside it, else ``mapping.yaml`` in its folder (one police
system, one mapping). An imported CSV is archived with the mapping that read it under
``STORE/accident-exports/<sha16>/``; one the importer refuses as a whole (unreadable, wrong
header, bad mapping) is quarantined with the reason. Rows the importer rejects one by one are
its business: it keeps them aside in the warehouse and the file counts as imported.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from detectors.config.errors import InputError
from orchestration.landing import copy_hashing, fetched, remove_from_landing
from orchestration.quarantine import quarantine
from orchestration.settings import Locations
from orchestration.store import ClipStore

SHARED_MAPPING = "mapping.yaml"
# import_accidents(warehouse root, csv path, mapping path) -> its report
Importer = Callable[[Path, Path, Path], Any]


def mapping_key(area: Any, key: str) -> str | None:
    """The landing key of the mapping that reads the CSV ``key``, None if there is none."""
    own = (area / key).with_suffix(".yaml")
    if own.is_file():
        return own.relative_to(area).as_posix()
    shared = (area / key).with_name(SHARED_MAPPING)
    return shared.relative_to(area).as_posix() if shared.is_file() else None


def import_export(
    area: Any, key: str, locations: Locations, importer: Importer, now: datetime | None = None
) -> dict[str, Any]:
    """Import the CSV ``key`` of ``area``; return what happened as a small JSON-able dict."""
    now = now or datetime.now(UTC)
    mapping = mapping_key(area, key)
    with fetched(area, key, ClipStore(locations.store).incoming) as export:
        archive = locations.store / "accident-exports" / export.sha256[:16]
        archive.mkdir(parents=True, exist_ok=True)
        csv_path = Path(shutil.move(export.path, archive / export.path.name))
        files = [csv_path]
        try:
            if mapping is None:
                raise _no_mapping(key)
            files.append(archive / "mapping.yaml")
            copy_hashing(area / mapping, files[-1])
            report = importer(locations.warehouse, csv_path, files[-1])
        except InputError as error:
            folder = locations.quarantine / "accidents"
            moved = quarantine(files, folder, str(error), export.sha256, now, {"landing_key": key})
            shutil.rmtree(archive)
            outcome = {
                "key": key,
                "status": "quarantined",
                "reason": str(error),
                "file": str(moved),
            }
        else:
            outcome = {"key": key, "status": str(report.status), **_counts(report)}
    remove_from_landing(area, key)
    if mapping and Path(mapping).name != SHARED_MAPPING:
        (area / mapping).unlink()
    return outcome


def _no_mapping(key: str) -> InputError:
    return InputError(
        f"accident export {key}: no mapping YAML; put {Path(key).stem}.yaml beside it or a "
        f"{SHARED_MAPPING} in its folder (see analytics/accidents/mapping.example.yaml; for a "
        "common layout one line names a preset, e.g. `preset: nyc-crashes`)"
    )


def _counts(report: Any) -> dict[str, int]:
    names = ("count_read", "count_accepted", "count_rejected")
    return {name: getattr(report, name) for name in names}
