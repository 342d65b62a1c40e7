"""Ingest fixtures: a deployment's folders under tmp_path, the test camera's YAML in its cameras
folder, and small clips dropped into the landing area (the shared factory's ``make_clip``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from orchestration.settings import Locations

CAMERA_ID = "test-cam-01"  # the shared test camera (tests/conftest.py)


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    env = {"CIVILITY_DATA": str(tmp_path / "data"), "CIVILITY_LANDING_SETTLE_S": "0"}
    return Locations.from_env(env)


@pytest.fixture
def landing(locations: Locations) -> Path:
    path = Path(locations.landing)
    path.mkdir(parents=True)
    return path


@pytest.fixture
def camera_file(locations: Locations, camera_dict) -> Path:
    locations.cameras.mkdir(parents=True, exist_ok=True)
    path = locations.cameras / f"{CAMERA_ID}.yaml"
    path.write_text(yaml.safe_dump(camera_dict()), encoding="utf-8")
    return path


@pytest.fixture
def drop_clip(landing: Path, make_clip) -> Callable[..., Path]:
    """Write a synthetic clip into the landing area as ``key``; ``sidecar`` (a dict) is written
    beside it. Clips of different ``frames`` counts are different footage."""

    def drop(key: str, sidecar: dict | None = None, **clip_options) -> Path:
        clip = make_clip(name=Path(key).name, **clip_options)
        target = landing / key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(clip, target)
        if sidecar is not None:
            target.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")
        return target

    return drop
