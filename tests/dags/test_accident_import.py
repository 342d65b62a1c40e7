"""accident_import: a synthetic police export is imported with the folder's mapping, a file with
the wrong header is quarantined with the reason, and both leave the landing area."""

from __future__ import annotations

import json
from datetime import date

import pytest


@pytest.fixture(scope="module")
def accident_run(dag_bag, tmp_path_factory):
    from analytics.accidents.synthetic import write_synthetic_export

    data = tmp_path_factory.mktemp("accidents")
    landing = data / "landing" / "accidents"
    export = write_synthetic_export(landing, start=date(2026, 11, 2), end=date(2026, 11, 22))
    export.mapping_path.rename(landing / "mapping.yaml")
    (landing / "wrong-header.csv").write_text("编号,时间\n1,2026-11-20 08:00\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CIVILITY_DATA", str(data))
        patch.setenv("CIVILITY_LANDING_SETTLE_S", "0")
        run = dag_bag.get_dag("accident_import").test()
    tasks = {(ti.task_id, ti.map_index): str(ti.state) for ti in run.get_task_instances()}
    return data, export, str(run.state), tasks


def test_each_export_gets_its_own_successful_task(accident_run):
    _, _, state, tasks = accident_run

    assert state == "success"
    assert tasks == {
        ("find_exports", -1): "success",
        ("import_export", 0): "success",
        ("import_export", 1): "success",
    }


def test_the_export_is_in_the_warehouse_with_its_bad_rows_aside(accident_run):
    data, export, _, _ = accident_run

    [report_path] = (data / "warehouse" / "accidents" / "imports").glob("*.json")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["count_read"] == export.count_rows
    assert report["count_rejected"] == export.count_malformed
    assert len(list((data / "warehouse" / "accidents" / "records").glob("*.parquet"))) == 1


def test_the_wrong_header_is_quarantined_and_the_landing_keeps_only_the_mapping(accident_run):
    data, _, _, _ = accident_run

    [reason_path] = (data / "quarantine" / "accidents").glob("wrong-header-*.csv.reason.json")
    reason = json.loads(reason_path.read_text(encoding="utf-8"))
    assert reason["landing_key"] == "wrong-header.csv"
    assert "事故时间" in reason["reason"]
    landed = sorted(p.name for p in (data / "landing" / "accidents").iterdir())
    assert landed == ["mapping.yaml"]
