"""housekeeping on the pipeline's data: the finished week compacted without changing a figure,
what killed tasks left removed, the disk use reported."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_every_step_runs(pipeline):
    run = pipeline.runs["housekeeping"]

    assert run.state == "success"
    assert set(run.tasks.values()) == {"success"}


def test_the_finished_week_is_compacted_and_its_figures_stay(pipeline):
    from analytics.warehouse import connect

    con = connect(pipeline.data / "warehouse")

    assert [p.name for p in (pipeline.data / "warehouse" / "compacted").iterdir()] == [
        "week=2026-W47",
        "week=2026-W47.lock",
    ]
    assert con.sql("select distinct generation <> '' from int_current_loads").fetchall() == [
        (True,)
    ]
    events = dict(con.sql("select clip_id, count(*) from fct_violations group by 1").fetchall())
    assert events == {pipeline.clip_ids[0]: 3}


def test_what_killed_tasks_left_is_gone(pipeline):
    warehouse, store = pipeline.data / "warehouse", pipeline.data / "clips"

    assert list(warehouse.glob("clips/week=*/clip=*/.load=*.partial-*")) == []
    assert list((store / "outputs").iterdir()) == []


def test_the_disk_use_is_reported_for_the_summary(pipeline):
    report = json.loads((pipeline.data / "operations" / "housekeeping.json").read_text())

    assert set(report["disk"]) == {"store", "warehouse", "quarantine"}
    assert report["disk"]["warehouse"]["used_bytes"] > 0
