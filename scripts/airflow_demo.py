"""Drive a running Airflow through its REST API: the demo behind scripts/airflow-standalone.sh and
scripts/celery-demo.sh (docs/airflow.md).

``prepare`` drops sample clips into the landing area of ``$CIVILITY_DATA``; ``run`` logs in
(``POST /auth/token`` with the simple auth manager's generated admin password, then a JWT
bearer token on ``/api/v2``), creates the detection pool, unpauses the DAGs, triggers
``clip_ingest``, waits for it and for the ``clip_analysis`` run its asset event starts, then
publishes the week's board with ``weekly_board`` and checks that its folder appeared. It prints
the timings, and one JSON line for scripts.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import httpx
import typer
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "dags"))
from civility_common import DETECTION_POOL  # noqa: E402  (the DAGs' own module, from dags/)

DAG_IDS = ("clip_ingest", "clip_analysis", "weekly_board")
FINISHED = {"success", "failed"}
PASSWORDS = "simple_auth_manager_passwords.json.generated"
T = TypeVar("T")
app = typer.Typer(add_completion=False, no_args_is_help=True)
console = Console(stderr=True)


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

    def first_run_since(self, dag_id: str, since: datetime, timeout_s: float) -> str:
        """The id of the first run of ``dag_id`` queued after ``since`` (e.g. by an asset)."""
        params = {"order_by": "run_after", "run_after_gte": since.isoformat()}

        def runs() -> list[dict[str, Any]]:
            return self.call("GET", f"/dags/{dag_id}/dagRuns", params=params)["dag_runs"]

        return poll(runs, bool, timeout_s, f"a {dag_id} run started")[0]["dag_run_id"]


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
    console.print(f"landed {len(demo.clips)} clips and 1 corrupt clip in {locations.landing}")


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

    passwords = json.loads(
        (airflow_home / "simple_auth_manager_passwords.json.generated").read_text()
    )
    airflow = Airflow(url, "admin", passwords["admin"])
    airflow.wait_for_dags(DAG_IDS, timeout_s)
    airflow.set_pool(DETECTION_POOL, pool_slots)
    started = time.monotonic()
    since = datetime.now(UTC)
    # Unpausing starts clip_ingest at once too; either run may be the one that finds the clips.
    airflow.unpause("clip_ingest", "clip_analysis")
    ingest = airflow.wait_for_run("clip_ingest", airflow.trigger("clip_ingest"), timeout_s)
    analysis_id = airflow.first_run_since("clip_analysis", since, timeout_s)
    analysis = airflow.wait_for_run("clip_analysis", analysis_id, timeout_s)
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


def show(figures: dict[str, Any]) -> None:
    table = Table(title="Airflow demo")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in figures.items():
        table.add_row(name, str(value))
    console.print(table)


if __name__ == "__main__":
    app()
