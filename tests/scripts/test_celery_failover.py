"""scripts/celery-failover.sh: two Celery workers in network namespaces of their own share the
clip store and warehouse; one is killed while it detects a clip. The run still succeeds, the
killed detection is redone on the other worker, the warehouse holds the events of a clean run,
no duplicate row and no half-written folder. A few minutes; needs root and ip netns, PostgreSQL
15, Redis and the model (.ci/run installs the Debian packages)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MODEL = Path(
    os.environ.get("CIVILITY_MODEL") or REPO.parent / "shared" / "models" / "yolo11n_openvino_model"
)


def missing() -> str | None:
    """Why this machine cannot run the proof, or None."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None or subprocess.run(["ip", "netns", "list"]).returncode != 0:
        return "`ip netns` is not available (iproute2, CAP_NET_ADMIN)"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (apt-get install redis-server)"
    if not Path("/usr/lib/postgresql/15/bin/initdb").is_file():
        return "PostgreSQL 15 is not installed (apt-get install postgresql-15)"
    if not MODEL.is_dir():
        return f"needs the shared model in {MODEL}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def run_tag() -> str:
    """Names this run's bridge and namespaces, so that a run beside it cannot collide."""
    return secrets.token_hex(2)


@pytest.fixture(scope="module")
def failover(run_tag: str) -> Iterator[dict]:
    if reason := missing():
        pytest.skip(reason)
    # Not under pytest's private temporary folder: PostgreSQL runs as its own user below it.
    work = Path(tempfile.mkdtemp(prefix="civility-failover-"))
    env = {
        **os.environ,
        "VENV": str(Path(sys.executable).parent.parent),
        "CIVILITY_MODEL": str(MODEL),
        "API_PORT": str(free_port()),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "RUN_TAG": run_tag,
    }
    script = REPO / "scripts" / "celery-failover.sh"
    try:
        result = subprocess.run(
            [str(script), str(work)], env=env, capture_output=True, text=True, timeout=1200
        )
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        assert lines, f"no figures (exit {result.returncode}):\n{result.stderr[-3000:]}"
        yield {"exit": result.returncode, **json.loads(lines[-1])}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_the_run_survives_the_killed_worker(failover, run_tag):
    assert failover["exit"] == 0
    assert failover["run_state"] == "success"
    assert failover["redone"]["state"] == "success"
    workers = {f"civ{run_tag}-w1", f"civ{run_tag}-w2"}
    assert failover["killed_hostname"] in workers
    assert failover["redone"]["hostname"] == (workers - {failover["killed_hostname"]}).pop()
    assert failover["redone"]["try_number"] > failover["killed_try"]


def test_the_warehouse_is_as_after_a_clean_run(failover):
    assert failover["events_equal_clean_run"]
    assert failover["count_events"] == failover["count_events_clean_run"] > 0
    assert failover["count_duplicate_rows"] == 0
    assert failover["partial_folders"] == []


def test_the_namespaces_and_links_are_removed(failover, run_tag):
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    links = subprocess.run(["ip", "-br", "link"], capture_output=True, text=True).stdout

    assert f"civ{run_tag}-w" not in namespaces
    assert f"civ-br{run_tag}" not in links and f"civ{run_tag}-w" not in links
