import json
from pathlib import Path

from typer.testing import CliRunner

from analytics.accidents.cli import accidents_app
from civility.terminal import console

GOOD = "2026-03-02 08:00,幸福路口,x-1,朝阳区,minor,,1,car+walker"


def invoke(*args: str):
    return CliRunner().invoke(accidents_app, [str(arg) for arg in args])


def test_import_reports_counts_and_the_most_frequent_reasons(tmp_path, write_export):
    rows = [GOOD] * 9 + ["2026-03-02 09:00,b,x-1,d,pending,,,car"]
    csv_path, mapping_path = write_export(rows)
    arguments = ("--mapping", mapping_path, "--warehouse", tmp_path / "wh", "--json")
    result = invoke("import", csv_path, *arguments)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["status"], report["count_read"], report["count_rejected"]) == ("new", 10, 1)
    [reason] = report["rejection_reasons"]
    assert "severity has a word that is not a known severity" in reason["reason"]
    assert reason["example_lines"] == [11]
    assert len(list((tmp_path / "wh/accidents/records").glob("*.parquet"))) == 1

    again = json.loads(invoke("import", csv_path, *arguments).stdout)
    assert (again["status"], again["count_accepted"]) == ("unchanged", 9)


def test_more_rejected_than_allowed_exits_1_after_importing_the_rest(tmp_path, write_export):
    csv_path, mapping_path = write_export([GOOD, "2026-03-02 09:00,b,x-1,d,pending,,,car"])
    result = invoke(
        "import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh", "--json"
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["count_accepted"], report["is_rejected_share_exceeded"]) == (1, True)
    assert report["rejection_reasons"][0]["example_lines"] == [3]


def test_a_file_with_only_a_header_exits_2(tmp_path, write_export):
    csv_path, mapping_path = write_export([])
    result = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")
    assert result.exit_code == 2
    assert "no rows below the header; nothing was imported" in result.output
    assert not (tmp_path / "wh").exists()


def test_presets_are_listed_and_a_preset_needs_no_mapping(tmp_path):
    listed = invoke("presets", "--json")
    assert set(json.loads(listed.stdout)) == {"nyc-crashes", "stats19", "cn-accident-register"}
    header = "CRASH DATE,CRASH TIME,BOROUGH,ZIP CODE,LATITUDE,LONGITUDE,ON STREET NAME,"
    header += "CROSS STREET NAME,OFF STREET NAME,NUMBER OF PERSONS INJURED,"
    header += "NUMBER OF PERSONS KILLED,COLLISION_ID"
    csv_path = tmp_path / "crashes.csv"
    csv_path.write_text(f"{header}\n04/14/2020,13:45,BROOKLYN,11201,,,,,1 MAIN ST,1,0,42\n")
    result = invoke("import", csv_path, "--preset", "nyc-crashes", "--warehouse", tmp_path / "wh")
    assert result.exit_code == 2
    assert "column(s) named in the mapping are not in the header row" in result.output
    assert "'VEHICLE TYPE CODE 1'" in result.output


def test_a_bad_mapping_exits_with_status_2(tmp_path, write_export, mapping_dict):
    csv_path, mapping_path = write_export([GOOD], mapping_dict(timezone="Asia/Beijing"))
    result = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")
    assert result.exit_code == 2
    assert "'Asia/Beijing' is not an IANA time zone name (did you mean 'Asia/Shanghai'?)" in (
        result.output
    )
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
