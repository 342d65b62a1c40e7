"""Where the pipeline's files live, from environment variables with defaults.

Every location has its own variable; unset ones fall under one data folder, ``$CIVILITY_DATA``
(default ``~/civility-data``), so a single variable moves a whole installation. The landing
areas may be object-store URLs (``s3://bucket/landing``, ``file:///srv/landing``); everything
else is a local or shared (NFS, CSI volume) folder, because the engine and DuckDB read plain
files. The model is the engine's own setting, ``$CIVILITY_MODEL``.

Read when a task runs, never when Airflow parses a DAG file: workers and the DAG processor may
see different environments, and parsing must stay cheap.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

DATA_ENV = "CIVILITY_DATA"
DEFAULT_DATA = "~/civility-data"

# variable -> (field, default relative to the data folder)
_LOCATIONS = {
    "CIVILITY_LANDING": ("landing", "landing/clips"),
    "CIVILITY_ACCIDENT_LANDING": ("accident_landing", "landing/accidents"),
    "CIVILITY_CLIP_STORE": ("store", "clips"),
    "CIVILITY_CAMERAS": ("cameras", "cameras"),
    "CIVILITY_WAREHOUSE": ("warehouse", "warehouse"),
    "CIVILITY_QUARANTINE": ("quarantine", "quarantine"),
    "CIVILITY_OPERATIONS": ("operations", "operations"),
}


class Locations(BaseModel):
    """The folders (and landing URLs) one deployment works in."""

    model_config = ConfigDict(frozen=True)

    landing: str  # clip landing area: a folder or an object-store URL
    landing_conn_id: str | None = None  # Airflow connection for an object-store landing
    accident_landing: str  # accident CSVs and their mapping YAML
    store: Path  # registered clips, their registry records and detection outputs
    cameras: Path  # one <camera_id>.yaml per camera
    warehouse: Path
    quarantine: Path  # refused files, each with a .reason.json beside it
    operations: Path  # what the pipeline reports: board outcomes, housekeeping, daily summaries
    settle_s: float = 60.0  # a landing file younger than this may still be uploading

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Locations:
        env = os.environ if environ is None else environ
        data = Path(env.get(DATA_ENV) or DEFAULT_DATA).expanduser()
        values: dict[str, object] = {
            field: env.get(variable) or str(data / default)
            for variable, (field, default) in _LOCATIONS.items()
        }
        for field in ("landing", "accident_landing"):
            if "://" not in str(values[field]):
                values[field] = str(Path(str(values[field])).expanduser())
        for field in ("store", "cameras", "warehouse", "quarantine", "operations"):
            values[field] = Path(str(values[field])).expanduser()
        values["landing_conn_id"] = env.get("CIVILITY_LANDING_CONN_ID") or None
        if env.get("CIVILITY_LANDING_SETTLE_S"):
            values["settle_s"] = float(env["CIVILITY_LANDING_SETTLE_S"])
        return cls.model_validate(values)
