"""Drive a running Airflow through its REST API: the demos behind scripts/airflow-standalone.sh,
scripts/celery-demo.sh and scripts/celery-failover.sh (docs/airflow.md).

``prepare`` drops sample clips into the landing area of ``$CIVILITY_DATA``; ``run`` logs in
(``POST /auth/token`` with the admin password of the simple auth manager's password file, then a
JWT bearer token on ``/api/v2``), creates the detection pool, unpauses the DAGs, triggers
``clip_ingest``, waits for it and for the ``clip_analysis`` run its asset event starts, then
publishes the week's board with ``weekly_board`` and checks that its folder appeared. It prints
the timings, and one JSON line for scripts. ``failover`` ingests and analyses the same way, but
kills a worker while it detects a clip, then checks that the run still finished with the events
a clean run finds and nothing half-written left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import httpx
import typer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "dags"))
from civility_common import DETECTION_POOL  # noqa: E402  (the DAGs' own module, from dags/)

from civility.terminal import errors, table  # noqa: E402

DAG_IDS = ("clip_ingest", "clip_analysis", "weekly_board")
FINISHED = {"success", "failed"}
PASSWORDS = "simple_auth_manager_passwords.json.generated"
T = TypeVar("T")
app = typer.Typer(add_completion=False, no_args_is_help=True)


class Airflow:
    """The few REST calls the demo needs, with a JWT bearer token."""

    def __init__(self, url: str, username: str, password: str):
        self.http = httpx.Client(base_url=url, timeout=30)
        response = self.http.post("/auth/token", json={"username": username, "password": password})
        response.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.http.request(method, f"/api/v2{path}", **kwargs)
        response.raise_for_status()
        return response.json() if response.content else {}

    def set_pool(self, name: str, slots: int) -> None:
        body = {"slots": slots, "description": "detections at once", "include_deferred": False}
        if self.http.get(f"/api/v2/pools/{name}").status_code == 200:
            self.call("PATCH", f"/pools/{name}", json={**body, "pool": name})  # a full body
        else:
            self.call("POST", "/pools", json={**body, "name": name})

    def wait_for_dags(self, dag_ids: tuple[str, ...], timeout_s: float) -> None:
        """Until the DAG processor has parsed every DAG file."""

        def parsed() -> bool:
            return all(self.http.get(f"/api/v2/dags/{d}").status_code == 200 for d in dag_ids)

        poll(parsed, bool, timeout_s, f"DAGs {dag_ids} parsed")

    def unpause(self, *dag_ids: str) -> None:
        for dag_id in dag_ids:
            self.call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        body = {"logical_date": None, "conf": conf or {}}
        return self.call("POST", f"/dags/{dag_id}/dagRuns", json=body)["dag_run_id"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout_s: float) -> dict[str, Any]:
        def run() -> dict[str, Any]:
            return self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")

        return poll(run, lambda r: r["state"] in FINISHED, timeout_s, f"{dag_id} {run_id} done")

    def runs_since(self, dag_id: str, since: datetime) -> list[dict[str, Any]]:
        """The runs of ``dag_id`` queued or started at or after ``since``: the one an asset event
        queued, and a scheduled sweep that unpausing started (its cron time lies before), which
        ever of them finds the clips."""
        runs = {}
        for bound in ("run_after_gte", "start_date_gte"):
            params = {"order_by": "run_after", bound: since.isoformat()}
            for run in self.call("GET", f"/dags/{dag_id}/dagRuns", params=params)["dag_runs"]:
                runs[run["dag_run_id"]] = run
        return list(runs.values())

    def wait_for_runs_since(
        self, dag_id: str, since: datetime, timeout_s: float
    ) -> list[dict[str, Any]]:
        """Until the run an asset event queued since ``since`` (it sees every registered clip)
        and every other run since then have finished; those runs."""

        def all_finished(runs: list[dict[str, Any]]) -> bool:
            queued_by_asset = any(run["run_type"] == "asset_triggered" for run in runs)
            return queued_by_asset and all(run["state"] in FINISHED for run in runs)

        return poll(
            lambda: self.runs_since(dag_id, since),
            all_finished,
            timeout_s,
            f"{dag_id} runs since {since:%H:%M:%S} done",
        )

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances"
        return self.call("GET", path, params={"limit": 1000})["task_instances"]


def poll(fetch: Callable[[], T], is_done: Callable[[T], bool], timeout_s: float, what: str) -> T:
    """``fetch()`` every 2 s until ``is_done`` says yes; TimeoutError naming ``what``."""
    deadline = time.monotonic() + timeout_s
    while not is_done(value := fetch()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout_s:.0f} s for {what}")
        time.sleep(2)
    return value


def run_seconds(run: dict[str, Any]) -> float:
    start, end = (datetime.fromisoformat(run[key]) for key in ("start_date", "end_date"))
    return (end - start).total_seconds()


@app.command()
def prepare(clips: Annotated[int, typer.Option(help="How many sample clips, 1-9.")] = 3) -> None:
    """Drop ``clips`` clips cut from the rendered sample (plus a corrupt one) into the landing
    area, and the sample camera into the cameras folder, of ``$CIVILITY_DATA``."""
    from orchestration.demo import demo_specs, write_landing_demo
    from orchestration.settings import Locations

    locations = Locations.from_env()
    work = locations.store.parent / "demo-work"
    demo = write_landing_demo(Path(locations.landing), locations.cameras, demo_specs(clips), work)
    refused = ", ".join(demo.refused)
    errors.print(f"landed {len(demo.clips)} clips and 3 to refuse ({refused}) in:")
    errors.print(locations.landing, highlight=False)


@app.command()
def run(
    url: Annotated[str, typer.Option(help="Airflow API server.")] = "http://127.0.0.1:8080",
    airflow_home: Annotated[Path, typer.Option(envvar="AIRFLOW_HOME")] = Path("airflow"),
    pool_slots: Annotated[int, typer.Option(help="Slots of the detection pool.")] = 4,
    week: Annotated[str, typer.Option(help="The board to publish.")] = "2026-W47",
    timeout_s: Annotated[float, typer.Option(help="Give up on a run after this long.")] = 1200,
) -> None:
    """Ingest, analyse and publish the landed clips through the REST API; print the timings."""
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    airflow = logged_in(url, airflow_home, pool_slots, timeout_s)
    started = time.monotonic()
    ingest, since = ingest_then_analysis(airflow, timeout_s)
    analysis = analysis_of(airflow.wait_for_runs_since("clip_analysis", since, timeout_s))
    # Unpaused only now: it also starts the scheduled run of its latest Monday, and that one must
    # not find the clips still being analysed.
    airflow.unpause("weekly_board")
    board = airflow.trigger("weekly_board", conf={"week": week})
    board = airflow.wait_for_run("weekly_board", board, timeout_s)
    total_s = time.monotonic() - started

    states = {"ingest": ingest["state"], "analysis": analysis["state"], "board": board["state"]}
    locations = Locations.from_env()
    count_clips = sum(1 for r in ClipStore(locations.store).records())
    folder = locations.warehouse / "boards" / f"week={week}"
    figures = {
        "states": {
            "ingest": ingest["state"],
            "analysis": analysis["state"],
            "board": board["state"],
        },
        "count_clips": count_clips,
        "ingest_s": run_seconds(ingest),
        "analysis_s": run_seconds(analysis),
        "board_s": run_seconds(board),
        "total_s": round(total_s, 1),
        "clips_per_minute": round(count_clips / (run_seconds(analysis) / 60), 2),
        "board_folder": str(max(folder.glob("rev=*"), default="")),
    }
    show(figures)
    print(json.dumps(figures))
    if set(states.values()) != {"success"} or not folder.is_dir():
        raise typer.Exit(1)


def logged_in(url: str, airflow_home: Path, pool_slots: int, timeout_s: float) -> Airflow:
    """A session as admin once every DAG is parsed, with the detection pool set."""
    passwords = json.loads((airflow_home / PASSWORDS).read_text())
    airflow = Airflow(url, "admin", passwords["admin"])
    airflow.wait_for_dags(DAG_IDS, timeout_s)
    airflow.set_pool(DETECTION_POOL, pool_slots)
    return airflow


def start_ingest(airflow: Airflow) -> tuple[str, datetime]:
    """Unpause the clip DAGs and trigger clip_ingest; its run id, and the time from which
    clip_analysis runs (asset-triggered or a sweep) take on its clips."""
    since = datetime.now(UTC)
    # Unpausing starts clip_ingest at once too; either run may be the one that finds the clips.
    airflow.unpause("clip_ingest", "clip_analysis")
    return airflow.trigger("clip_ingest"), since


def ingest_then_analysis(airflow: Airflow, timeout_s: float) -> tuple[dict[str, Any], datetime]:
    """``start_ingest`` and wait for the ingest run; that run and the time it started from."""
    ingest_id, since = start_ingest(airflow)
    return airflow.wait_for_run("clip_ingest", ingest_id, timeout_s), since


def analysis_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The analysis as one run: failed if any run failed, from the first start to the last end."""
    states = {run["state"] for run in runs}
    return {
        "state": "success" if states == {"success"} else "failed",
        "start_date": min(run["start_date"] for run in runs),
        "end_date": max(run["end_date"] for run in runs),
    }


@app.command()
def failover(
    url: Annotated[str, typer.Option(help="Airflow API server.")],
    worker: Annotated[list[str], typer.Option(help="Host name of a worker (two or more).")],
    kill: Annotated[str, typer.Option(help="Shell command that kills worker {worker}.")],
    airflow_home: Annotated[Path, typer.Option(envvar="AIRFLOW_HOME")] = Path("airflow"),
    pool_slots: Annotated[int, typer.Option(help="Slots of the detection pool.")] = 4,
    into_s: Annotated[float, typer.Option(help="Kill this long into a detection.")] = 3.0,
    timeout_s: Annotated[float, typer.Option(help="Give up on a run after this long.")] = 900,
) -> None:
    """Kill the first of the workers seen detecting a clip, while it detects; check that the
    analysis still finished, with the events of a clean run and no half-written folder. One JSON
    line; exit 1 if not."""
    from orchestration.settings import Locations

    airflow = logged_in(url, airflow_home, pool_slots, timeout_s)
    # Not waiting for the ingest run: the analysis its clips start may be under way before it ends.
    _, since = start_ingest(airflow)

    def detections_running() -> list[tuple[str, dict[str, Any]]]:
        return [
            (run["dag_run_id"], ti)
            for run in airflow.runs_since("clip_analysis", since)
            if run["state"] not in FINISHED
            for ti in airflow.task_instances("clip_analysis", run["dag_run_id"])
            if ti["task_id"] == "analyse.detect"
            and ti["state"] == "running"
            and ti["hostname"] in worker
        ]

    [(analysis_id, target)] = poll(
        detections_running, bool, timeout_s, f"a detection running on one of {', '.join(worker)}"
    )[:1]
    victim = target["hostname"]
    time.sleep(into_s)
    killed_at = time.monotonic()
    subprocess.run(kill.format(worker=victim), shell=True, check=True)
    errors.print(f"killed {victim} {into_s:g} s into detecting map index {target['map_index']}")
    analysis = airflow.wait_for_run("clip_analysis", analysis_id, timeout_s)
    recovered_s = time.monotonic() - killed_at
    # A sweep run may hold other clips: the warehouse is compared once every run has finished.
    airflow.wait_for_runs_since("clip_analysis", since, timeout_s)
    final = {
        (ti["task_id"], ti["map_index"]): ti
        for ti in airflow.task_instances("clip_analysis", analysis_id)
    }
    redone = final[("analyse.detect", target["map_index"])]
    figures = {
        "run_state": analysis["state"],
        "killed_hostname": victim,
        "killed_map_index": target["map_index"],
        "killed_try": target["try_number"],
        "redone": {k: redone[k] for k in ("state", "try_number", "hostname")},
        "recovered_s": round(recovered_s, 1),
        **warehouse_check(Locations.from_env()),
    }
    print(json.dumps(figures))
    failed = (
        figures["run_state"] != "success"
        or redone["hostname"] == victim
        or not figures["events_equal_clean_run"]
        or figures["count_duplicate_rows"]
        or figures["partial_folders"]
    )
    if failed:
        raise typer.Exit(1)


def warehouse_check(locations: Any) -> dict[str, Any]:
    """The warehouse's events against a clean detection of every registered clip (same model,
    in this process), duplicates in the marts, half-written folders anywhere in the data."""
    import tempfile

    from analytics.warehouse import connect
    from detectors.detections.detector import Detector, DetectorSettings, default_model
    from detectors.process import process_clip
    from orchestration.store import ClipStore
    from orchestration.validate import camera_for

    con = connect(locations.warehouse)
    loaded = {event_id for (event_id,) in con.sql("select event_id from fct_violations").fetchall()}
    [(count_rows, count_distinct)] = con.sql(
        "select count(*), count(distinct event_id) from fct_violations"
    ).fetchall()
    store = ClipStore(locations.store)
    detector = Detector(DetectorSettings(model=default_model()))
    clean: set[str] = set()
    with tempfile.TemporaryDirectory() as scratch:
        for record in store.records():
            camera = camera_for(record.camera_id, locations.cameras)
            out = Path(scratch) / record.clip_id
            processed = process_clip(
                store.clip_path(record), camera, out, detector, clip_start=record.started_at
            )
            clean |= {violation.event_id for violation in processed.result.violations}
    data = locations.store.parent
    partial = sorted(str(p) for p in data.rglob(".*.partial-*"))
    return {
        "count_clips": len(store.records()),
        "count_events": len(loaded),
        "count_events_clean_run": len(clean),
        "events_equal_clean_run": loaded == clean,
        "count_duplicate_rows": count_rows - count_distinct,
        "partial_folders": partial,
    }


def show(figures: dict[str, Any]) -> None:
    shown = table("figure", "value", title="Airflow demo")
    for name, value in figures.items():
        shown.add_row(name, str(value))
    errors.print(shown)


if __name__ == "__main__":
    app()
