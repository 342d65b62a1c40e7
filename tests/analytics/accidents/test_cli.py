import json
from pathlib import Path

from typer.testing import CliRunner

from analytics.accidents.cli import accidents_app
from civility.terminal import console

GOOD = "2026-03-02 08:00,幸福路口,x-1,朝阳区,minor,,1,car+walker"


def invoke(*args: str):
    return CliRunner().invoke(accidents_app, [str(arg) for arg in args])


def test_import_reports_counts_and_the_first_bad_rows(tmp_path, write_export):
    csv_path, mapping_path = write_export([GOOD, "2026-03-02 09:00,b,x-1,d,pending,,,car"])
    arguments = ("--mapping", mapping_path, "--warehouse", tmp_path / "wh", "--json")
    result = invoke("import", csv_path, *arguments)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["status"], report["count_accepted"], report["count_rejected"]) == ("new", 1, 1)
    [bad_row] = report["rejected"]
    assert bad_row["line"] == 3
    assert "severity 'pending' is not a known severity" in bad_row["reason"]
    assert len(list((tmp_path / "wh/accidents/records").glob("*.parquet"))) == 1

    again = json.loads(invoke("import", csv_path, *arguments).stdout)
    assert (again["status"], again["count_accepted"]) == ("unchanged", 1)


def test_a_bad_mapping_exits_with_status_2(tmp_path, write_export, mapping_dict):
    csv_path, mapping_path = write_export([GOOD], mapping_dict(timezone="Mars/Olympus"))
    result = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")
    assert result.exit_code == 2
    assert "'Mars/Olympus' is not an IANA time zone name" in result.output
    assert not (tmp_path / "wh").exists()


def test_synthetic_writes_an_export_that_imports(tmp_path):
    result = invoke("synthetic", tmp_path / "demo", "--campaign-start", "2026-03-01", "--json")
    assert result.exit_code == 0, result.output
    export = json.loads(result.stdout)
    [csv_path] = (tmp_path / "demo").glob("synthetic-accidents-*.csv")
    assert Path(export["csv_path"]) == csv_path and export["count_malformed"] == 7
    mapping_path = Path(export["mapping_path"])
    imported = invoke(
        "import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh", "--json"
    )
    assert imported.exit_code == 0, imported.output
    report = json.loads(imported.stdout)
    assert report["count_rejected"] == 7
    assert report["count_accepted"] + report["count_rejected"] == report["count_read"]
    assert len(report["rejected"]) == 7 and all(row["reason"] for row in report["rejected"])
    assert Path(report["records_path"]).is_file()


def test_paths_are_printed_whole_in_a_narrow_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(console, "width", 40)
    deep = tmp_path.joinpath(*[f"folder-{n:02d}" for n in range(12)])

    result = invoke("synthetic", deep)

    assert result.exit_code == 0, result.output
    [csv_path] = deep.glob("synthetic-accidents-*.csv")
    lines = result.output.splitlines()
    assert f"synthetic export: {csv_path}" in lines
    assert f"mapping: {deep / 'synthetic-accidents.mapping.yaml'}" in lines
