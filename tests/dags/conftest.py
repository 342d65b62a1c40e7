"""Airflow for the DAG tests: a SQLite metadata DB in a temporary AIRFLOW_HOME, the repo's dags/.

Airflow reads its configuration when it is first imported, so the environment is set when this
file loads, before any test here imports Airflow: metrics go to a StatsD receiver on loopback
(``statsd_lines``), retries wait one second. The DB is migrated once per session (with
``airflow db migrate``, as an operator would), only when a test runs a DAG. Alerts go to the
shared webhook and mail receivers (tests/conftest.py).

``pipeline`` runs the clip DAGs once on demo clips cut from the rendered sample (real model, so
slow): ingest, analysis, both again, then the weekly board three ways. ``broken_camera`` runs
five short clips, one of them on a camera whose file breaks after ingest. The test files read
their results.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
MODEL = Path(
    os.environ.get("CIVILITY_MODEL") or REPO.parent / "shared" / "models" / "yolo11n_openvino_model"
)
# Named now, created by Airflow on first use (so a session that runs no DAG test leaves nothing).
AIRFLOW_HOME = Path(tempfile.gettempdir()) / f"civility-airflow-{os.getpid()}"
STATSD = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
STATSD.bind(("127.0.0.1", 0))
STATSD_LINES: list[str] = []
os.environ.update(
    AIRFLOW_HOME=str(AIRFLOW_HOME),
    AIRFLOW__CORE__LOAD_EXAMPLES="False",
    AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
    AIRFLOW__METRICS__STATSD_ON="True",
    AIRFLOW__METRICS__STATSD_HOST="127.0.0.1",
    AIRFLOW__METRICS__STATSD_PORT=str(STATSD.getsockname()[1]),
    CIVILITY_RETRY_DELAY_S="1",
)


def _receive_statsd() -> None:
    while True:
        packet = STATSD.recv(65535)
        STATSD_LINES.extend(packet.decode(errors="replace").splitlines())


threading.Thread(target=_receive_statsd, name="statsd-receiver", daemon=True).start()

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
    refused_keys: dict[str, str]  # landing keys by the refusal they must get
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
def statsd_lines() -> list[str]:
    """Every metric line Airflow sent to StatsD in this session, growing as they come."""
    return STATSD_LINES


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


def civility_env(data: Path, webhook: Any, smtp: Any) -> dict[str, str]:
    host, port = smtp.address.split(":")
    return {
        "CIVILITY_DATA": str(data),
        "CIVILITY_LANDING": f"file://{data}/landing/clips",  # through ObjectStoragePath
        "CIVILITY_LANDING_SETTLE_S": "0",
        "CIVILITY_MODEL": str(MODEL),
        "CIVILITY_BOARD_CONFIG": str(data / "board.yaml"),
        "CIVILITY_ALERT_WEBHOOK": webhook.address,
        "CIVILITY_ALERT_EMAIL": "ops@example.org",
        "CIVILITY_SMTP_HOST": host,
        "CIVILITY_SMTP_PORT": port,
        "CIVILITY_MIN_FREE_GB": "0",
        "YOLO_OFFLINE": "1",
    }


def file_states(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="session")
def pipeline(dag_bag, tmp_path_factory, webhook_receiver, smtp_receiver) -> PipelineRuns:
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
        for name, value in civility_env(data, webhook_receiver, smtp_receiver).items():
            patch.setenv(name, value)
        demo = write_landing_demo(landing, data / "cameras", specs, tmp_path_factory.mktemp("w"))
        duplicate = landing / clip_name(datetime.fromisoformat("2026-11-18T09:00:00+08:00"))
        shutil.copy(demo.clips[0], duplicate)
        clip_ids = [clip_id_for(file_sha256(clip)) for clip in demo.clips]
        earlier_events = len(registered_clip_events())  # of other fixtures' runs
        runs = {"ingest": run_dag(dag_bag, "clip_ingest")}
        runs["analysis"] = run_dag(dag_bag, "clip_analysis")
        after_first = file_states(data)
        runs["ingest_again"] = run_dag(dag_bag, "clip_ingest")
        runs["analysis_again"] = run_dag(dag_bag, "clip_analysis")
        after_reruns = file_states(data)
        # Each run at its own logical date (one run per date), all in the hour W47 ended.
        weekly = [WEEKLY_LOGICAL_DATE + timedelta(minutes=minutes) for minutes in (0, 1, 2)]
        runs["weekly"] = run_dag(dag_bag, "weekly_board", logical_date=weekly[0])
        runs["weekly_again"] = run_dag(dag_bag, "weekly_board", logical_date=weekly[1])
        runs["weekly_future"] = run_dag(
            dag_bag, "weekly_board", logical_date=weekly[2], run_conf={"week": "2099-W01"}
        )
        # What a SIGKILLed load and a SIGKILLed detection leave behind, for housekeeping.
        clip_folder = next((data / "warehouse" / "clips").glob("week=*/clip=*"))
        (clip_folder / ".load=20261201T000000000000Z-dead00.partial-x").mkdir()
        stale = data / "clips" / "outputs" / f".{clip_ids[0]}.partial-y"
        stale.mkdir(parents=True)
        os.utime(stale, (0, 0))
        runs["housekeeping"] = run_dag(dag_bag, "housekeeping")
        runs["daily_summary"] = run_dag(dag_bag, "daily_summary")
    return PipelineRuns(
        data=data,
        clip_ids=clip_ids,
        first_key=demo.clips[0].name,
        duplicate_key=duplicate.name,
        refused_keys={kind: path.name for kind, path in demo.refused.items()},
        runs=runs,
        asset_extras=registered_clip_events()[earlier_events:],
        files_after_first_runs=after_first,
        files_after_reruns=after_reruns,
    )


@dataclass(frozen=True)
class BrokenCameraRuns:
    data: Path
    clip_ids: list[str]  # four clips of the sample camera, then the broken camera's
    runs: dict[str, DagResult]
    failure: dict[str, Any]  # the broken camera's clip's failure record
    report: dict[str, Any]  # analysis_report of the five clips after the failed run
    loaded_after_failure: list[str]  # clip ids in fct_clips then


BROKEN_CAMERA = "sample-broken-02"


@pytest.fixture(scope="session")
def broken_camera(dag_bag, tmp_path_factory, webhook_receiver, smtp_receiver) -> BrokenCameraRuns:
    """Five 2 s clips, the last on a second camera whose file gets a bad time zone after ingest;
    then the file is fixed; then the camera is renamed (a configuration change)."""
    if not MODEL.is_dir():
        pytest.skip(f"needs the shared model in {MODEL}")
    from analytics.warehouse import connect
    from detectors.outputs import clip_id_for, file_sha256
    from orchestration.analysis import analysis_report
    from orchestration.demo import DemoClip, write_landing_demo
    from orchestration.store import ClipStore

    data = tmp_path_factory.mktemp("broken-camera")
    cameras = data / "cameras"
    monday = datetime.fromisoformat("2026-11-23T08:00:00+08:00")
    specs = [DemoClip(2.0 * i, 2.0 * i + 2.0, monday + timedelta(hours=i), True) for i in range(5)]
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in civility_env(data, webhook_receiver, smtp_receiver).items():
            patch.setenv(name, value)
        demo = write_landing_demo(data / "landing" / "clips", cameras, specs, data / "work")
        camera = yaml.safe_load(next(cameras.glob("*.yaml")).read_text(encoding="utf-8"))
        camera_file = cameras / f"{BROKEN_CAMERA}.yaml"
        good = {**camera, "camera_id": BROKEN_CAMERA}
        camera_file.write_text(yaml.safe_dump(good), encoding="utf-8")
        sidecar = demo.clips[4].with_suffix(".json")
        bound = {**json.loads(sidecar.read_text(encoding="utf-8")), "camera_id": BROKEN_CAMERA}
        sidecar.write_text(json.dumps(bound), encoding="utf-8")
        clip_ids = [clip_id_for(file_sha256(clip)) for clip in demo.clips]
        runs["ingest"] = run_dag(dag_bag, "clip_ingest")
        camera_file.write_text(yaml.safe_dump({**good, "timezone": "Mars/Olympus"}), "utf-8")
        runs["analysis"] = run_dag(dag_bag, "clip_analysis")
        store = ClipStore(data / "clips")
        failure = store.failure(clip_ids[4])
        report = analysis_report(store, clip_ids)
        loaded = connect(data / "warehouse").sql("select clip_id from fct_clips").fetchall()
        camera_file.write_text(yaml.safe_dump(good), encoding="utf-8")
        runs["analysis_fixed"] = run_dag(dag_bag, "clip_analysis")
        renamed = {**good, "name": f"{good['name']} (renamed)"}
        camera_file.write_text(yaml.safe_dump(renamed), encoding="utf-8")
        runs["analysis_changed"] = run_dag(dag_bag, "clip_analysis")
    return BrokenCameraRuns(data, clip_ids, runs, failure, report, [c for (c,) in loaded])


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
