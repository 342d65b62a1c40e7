"""Every DAG file parses without errors, cheaply, with tags, retries and failure alerts on every
task, one run at a time, and the analysis swept by time as well as by new clips.

Parsing happens in a fresh interpreter, as in Airflow's DAG processor, so that the modules it
loads can be inspected: the engine's heavy libraries must wait until a task runs. (Parse time is
a benchmark figure, not a test: docs/airflow.md.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY_MODULES = ["cv2", "torch", "ultralytics", "openvino", "duckdb", "pyarrow", "supervision"]
PARSE = """
import json, sys
from pathlib import Path
from airflow.dag_processing.dagbag import BundleDagBag
dags, heavy = Path(sys.argv[1]), json.loads(sys.argv[2])
bag = BundleDagBag(dags, bundle_path=dags, bundle_name="dags-folder")
print(json.dumps({
    "import_errors": bag.import_errors,
    "loaded": sorted(m for m in heavy if m in sys.modules),
    "dags": {
        dag_id: {
            "tags": sorted(dag.tags),
            "doc_md": dag.doc_md or "",
            "max_active_runs": dag.max_active_runs,
            "schedule": type(dag.timetable).__name__,
            "tasks": {
                task.task_id: {
                    "retries": task.retries,
                    "backoff": task.retry_exponential_backoff,
                    "pool": task.pool,
                    "alerts": [c.__name__ for c in task.on_failure_callback or []],
                }
                for task in dag.tasks
            },
        }
        for dag_id, dag in bag.dags.items()
    },
}))
"""


@pytest.fixture(scope="module")
def parsed(dags_folder) -> dict:
    command = [sys.executable, "-c", PARSE, str(dags_folder), json.dumps(HEAVY_MODULES)]
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_dag_files_have_no_import_errors(parsed):
    assert parsed["import_errors"] == {}
    assert sorted(parsed["dags"]) == [
        "accident_import",
        "clip_analysis",
        "clip_ingest",
        "daily_summary",
        "housekeeping",
        "weekly_board",
    ]


def test_parsing_loads_no_engine_library(parsed):
    assert parsed["loaded"] == []


def test_every_dag_is_tagged_and_documented(parsed):
    for dag_id, dag in parsed["dags"].items():
        assert "traffic-civility" in dag["tags"], dag_id
        assert dag["doc_md"].strip().startswith(f"### {dag_id}:"), dag_id


def test_every_task_retries_with_exponential_backoff(parsed):
    for dag_id, dag in parsed["dags"].items():
        for task_id, task in dag["tasks"].items():
            assert task["retries"] >= 2, f"{dag_id}.{task_id}"
            assert task["backoff"] == 2.0, f"{dag_id}.{task_id}"


# A clip's tasks are told about by the run's report, once per failed clip (tests/dags).
TOLD_BY_THE_REPORT = {("clip_analysis", "analyse.detect"), ("clip_analysis", "analyse.load")}


def test_every_task_tells_someone_when_it_fails_for_good(parsed):
    for dag_id, dag in parsed["dags"].items():
        for task_id, task in dag["tasks"].items():
            expected = [] if (dag_id, task_id) in TOLD_BY_THE_REPORT else ["alert_on_failure"]
            assert task["alerts"] == expected, f"{dag_id}.{task_id}"


def test_no_dag_runs_twice_at_once(parsed):
    for dag_id, dag in parsed["dags"].items():
        assert dag["max_active_runs"] == 1, dag_id


def test_the_analysis_runs_on_new_clips_and_on_a_clock(parsed):
    assert parsed["dags"]["clip_analysis"]["schedule"] == "AssetOrTimeSchedule"


def test_each_clip_is_detected_in_the_pool_then_loaded_in_its_own_group(parsed):
    pools = {
        task_id: task["pool"] for task_id, task in parsed["dags"]["clip_analysis"]["tasks"].items()
    }

    assert pools == {
        "due_clips": "default_pool",
        "analyse.detect": "civility_detection",
        "analyse.load": "default_pool",
        "report": "default_pool",
    }
