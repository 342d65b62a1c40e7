"""Airflow for the DAG tests: a SQLite metadata DB in a temporary AIRFLOW_HOME, the repo's dags/.

Airflow reads its configuration when it is first imported, so the environment is set when this
file loads, before any test here imports Airflow. The DB is migrated once per session (with
``airflow db migrate``, as an operator would), only when a test runs a DAG.

``pipeline`` runs the clip DAGs once on demo clips cut from the rendered sample (real model, so
slow): ingest, analysis, both again, then the weekly board. The test files read its results.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
MODEL = REPO.parent / "shared" / "models" / "yolo11n_openvino_model"
# Named now, created by Airflow on first use (so a session that runs no DAG test leaves nothing).
AIRFLOW_HOME = Path(tempfile.gettempdir()) / f"civility-airflow-{os.getpid()}"
os.environ.update(
    AIRFLOW_HOME=str(AIRFLOW_HOME),
    AIRFLOW__CORE__LOAD_EXAMPLES="False",
    AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
)

# Two clips cut from the 24 s sample. A (12-20 s) holds three events of the sample's ground truth
# (red-light crossings at 13.7 and 16.4 s, a wrong-way ride from 15.5 s); B (0-8 s) holds none.
# B starts on Sunday 23:30 in Shanghai, 15:30 UTC: both lie in 2026-W47 there.
SPECS = [
    (12.0, 20.0, "2026-11-16T08:00:00+08:00", True),
    (0.0, 8.0, "2026-11-22T23:30:00+08:00", False),
]
# Sunday 23:30 UTC is Monday 07:30 in Shanghai: the week that just ended there is 2026-W47
# (in UTC it would still be W47 itself, and "last week" W46).
WEEKLY_LOGICAL_DATE = datetime.fromisoformat("2026-11-22T23:30:00+00:00")


@dataclass(frozen=True)
class DagResult:
    state: str
    tasks: dict[tuple[str, int], str]  # (task_id, map_index) -> state


@dataclass(frozen=True)
class PipelineRuns:
    data: Path
    clip_ids: list[str]  # of A and B
    first_key: str  # A's landing key
    duplicate_key: str  # A's footage landed again under another name
    corrupt_key: str
    runs: dict[str, DagResult]
    asset_extras: list[dict[str, Any]]  # of the registered-clips asset events
    files_after_first_runs: dict[str, tuple[int, int]]
    files_after_reruns: dict[str, tuple[int, int]]


@pytest.fixture(scope="session", autouse=True)
def _remove_airflow_home():
    yield
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def dags_folder() -> Path:
    return DAGS


@pytest.fixture(scope="session")
def dag_bag():
    """The repo's DAGs, with a migrated metadata DB and the detection pool behind them."""
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([airflow, "db", "migrate"], check=True, capture_output=True)
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.models.pool import Pool

    bag = BundleDagBag(DAGS, bundle_path=DAGS, bundle_name="dags-folder")
    from civility_common import DETECTION_POOL  # importable once the bag put dags/ on sys.path

    Pool.create_or_update_pool(DETECTION_POOL, 2, "detections at once", include_deferred=False)
    return bag


def run_dag(bag, dag_id: str, **test_options) -> DagResult:
    run = bag.get_dag(dag_id).test(**test_options)
    tasks = {(ti.task_id, ti.map_index): str(ti.state) for ti in run.get_task_instances()}
    return DagResult(str(run.state), tasks)


def civility_env(data: Path) -> dict[str, str]:
    return {
        "CIVILITY_DATA": str(data),
        "CIVILITY_LANDING": f"file://{data}/landing/clips",  # through ObjectStoragePath
        "CIVILITY_LANDING_SETTLE_S": "0",
        "CIVILITY_MODEL": str(MODEL),
        "CIVILITY_BOARD_CONFIG": str(data / "board.yaml"),
        "YOLO_OFFLINE": "1",
    }


def file_states(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="session")
def pipeline(dag_bag, tmp_path_factory) -> PipelineRuns:
    if not MODEL.is_dir():
        pytest.skip(f"needs the shared model in {MODEL}")
    from detectors.outputs import clip_id_for, file_sha256
    from orchestration.demo import DemoClip, clip_name, write_landing_demo

    data = tmp_path_factory.mktemp("civility")
    # The demo clips last seconds: a camera counts as covered with any footage here, where the
    # run's timing, not the coverage rule, is under test.
    (data / "board.yaml").write_text("min_camera_hours: 0\n", encoding="utf-8")
    landing = data / "landing" / "clips"
    specs = [DemoClip(a, b, datetime.fromisoformat(start), side) for a, b, start, side in SPECS]
    with pytest.MonkeyPatch.context() as patch:
        for name, value in civility_env(data).items():
            patch.setenv(name, value)
        demo = write_landing_demo(landing, data / "cameras", specs, tmp_path_factory.mktemp("w"))
        duplicate = landing / clip_name(datetime.fromisoformat("2026-11-18T09:00:00+08:00"))
        shutil.copy(demo.clips[0], duplicate)
        clip_ids = [clip_id_for(file_sha256(clip)) for clip in demo.clips]
        runs = {"ingest": run_dag(dag_bag, "clip_ingest")}
        runs["analysis"] = run_dag(dag_bag, "clip_analysis")
        after_first = file_states(data)
        runs["ingest_again"] = run_dag(dag_bag, "clip_ingest")
        runs["analysis_again"] = run_dag(dag_bag, "clip_analysis")
        after_reruns = file_states(data)
        runs["weekly"] = run_dag(dag_bag, "weekly_board", logical_date=WEEKLY_LOGICAL_DATE)
    return PipelineRuns(
        data=data,
        clip_ids=clip_ids,
        first_key=demo.clips[0].name,
        duplicate_key=duplicate.name,
        corrupt_key=demo.corrupt.name,
        runs=runs,
        asset_extras=registered_clip_events(),
        files_after_first_runs=after_first,
        files_after_reruns=after_reruns,
    )


def registered_clip_events() -> list[dict[str, Any]]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    query = (
        select(AssetEvent.extra)
        .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
        .where(AssetModel.name == "civility_registered_clips")
        .order_by(AssetEvent.id)
    )
    with create_session() as session:
        return list(session.scalars(query))
