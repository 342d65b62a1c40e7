"""clip_analysis with the real model: both registered clips detected and loaded into the
warehouse; a second run changes nothing. With a camera file broken after ingest, that camera's
clip fails alone, listed with its reason, and is analysed once the file is fixed; changing a
camera's configuration re-analyses its clips, replacing their rows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_each_clip_is_detected_and_loaded_by_its_own_mapped_group(pipeline):
    run = pipeline.runs["analysis"]

    assert run.state == "success"
    assert run.tasks == {
        ("due_clips", -1): "success",
        ("analyse.detect", 0): "success",
        ("analyse.detect", 1): "success",
        ("analyse.load", 0): "success",
        ("analyse.load", 1): "success",
        ("report", -1): "success",
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
    assert run.tasks[("due_clips", -1)] == "success"
    assert run.tasks[("analyse.detect", -1)] == "skipped"  # expanded over no clips
    assert run.tasks[("report", -1)] == "success"


def test_rerunning_ingest_and_analysis_changes_no_file(pipeline):
    assert pipeline.files_after_reruns == pipeline.files_after_first_runs


def test_a_broken_camera_fails_its_clip_alone_and_the_others_load(broken_camera):
    run = broken_camera.runs["analysis"]

    assert run.state == "failed"
    assert [run.tasks[("analyse.detect", i)] for i in range(5)] == ["success"] * 4 + ["failed"]
    assert [run.tasks[("analyse.load", i)] for i in range(5)] == ["success"] * 4 + [
        "upstream_failed"
    ]
    assert run.tasks[("report", -1)] == "failed"
    assert sorted(broken_camera.loaded_after_failure) == sorted(broken_camera.clip_ids[:4])


def test_the_failed_clip_is_listed_with_its_reason(broken_camera):
    report = broken_camera.report

    assert report["analysed"] == broken_camera.clip_ids[:4]
    [failed] = report["failed"]
    assert (failed["clip_id"], failed["stage"]) == (broken_camera.clip_ids[4], "detect")
    assert "timezone" in failed["error"] and "Mars/Olympus" in failed["error"]


def test_the_clip_is_analysed_once_its_camera_file_is_fixed(broken_camera):
    run = broken_camera.runs["analysis_fixed"]

    assert run.state == "success"
    assert run.tasks[("analyse.detect", 0)] == "success"
    assert ("analyse.detect", 1) not in run.tasks  # the four others were not due
    assert sorted(warehouse_clips(broken_camera.data)) == sorted(broken_camera.clip_ids)


def test_a_camera_configuration_change_replaces_its_clips_results(broken_camera):
    from analytics.warehouse import connect

    run = broken_camera.runs["analysis_changed"]
    con = connect(broken_camera.data / "warehouse")
    changed = broken_camera.clip_ids[4]

    assert run.state == "success"
    assert ("analyse.detect", 1) not in run.tasks
    [(name,)] = con.sql(
        "select camera_name from fct_clips where clip_id = ?", params=[changed]
    ).fetchall()
    assert name.endswith("(renamed)")
    loads = con.sql("select count(*) from raw_clip where clip_id = ?", params=[changed])
    assert loads.fetchall() == [(2,)]  # the older load stays until vacuum, unseen by the marts
    assert con.sql("select count(*), count(distinct clip_id) from fct_clips").fetchall() == [(5, 5)]


def warehouse_clips(data) -> list[str]:
    from analytics.warehouse import connect

    return [
        row[0]
        for row in connect(data / "warehouse").sql("select clip_id from fct_clips").fetchall()
    ]
