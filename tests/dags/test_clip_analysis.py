"""clip_analysis with the real model: both registered clips detected and loaded into the
warehouse; a second run changes nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_each_clip_is_detected_and_loaded_by_its_own_mapped_tasks(pipeline):
    run = pipeline.runs["analysis"]

    assert run.state == "success"
    assert run.tasks == {
        ("pending_clips", -1): "success",
        ("detect", 0): "success",
        ("detect", 1): "success",
        ("load", 0): "success",
        ("load", 1): "success",
    }


def test_the_warehouse_holds_both_clips_and_the_events_of_the_sample_truth(pipeline):
    from analytics.warehouse import connect

    con = connect(pipeline.data / "warehouse")
    clips = con.sql("select clip_id from fct_clips order by started_at").fetchall()
    events = dict(con.sql("select clip_id, count(*) from fct_violations group by 1").fetchall())

    a, b = pipeline.clip_ids
    assert clips == [(a,), (b,)]
    assert (events.get(a, 0), events.get(b, 0)) == (3, 0)


def test_staged_outputs_are_gone_once_loaded(pipeline):
    outputs = pipeline.data / "clips" / "outputs"

    assert not outputs.exists() or list(outputs.iterdir()) == []


def test_a_second_run_finds_nothing_to_do(pipeline):
    run = pipeline.runs["analysis_again"]

    assert run.state == "success"
    assert run.tasks[("pending_clips", -1)] == "success"
    assert run.tasks[("detect", -1)] == "skipped"  # expanded over no clips


def test_rerunning_ingest_and_analysis_changes_no_file(pipeline):
    assert pipeline.files_after_reruns == pipeline.files_after_first_runs
