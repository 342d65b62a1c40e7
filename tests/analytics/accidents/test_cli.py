from typer.testing import CliRunner

from analytics.accidents.cli import accidents_app

GOOD = "2026-03-02 08:00,幸福路口,x-1,朝阳区,minor,,1,car+walker"


def invoke(*args: str):
    return CliRunner().invoke(accidents_app, [str(arg) for arg in args])


def test_import_reports_counts_and_the_first_bad_rows(tmp_path, write_export):
    csv_path, mapping_path = write_export([GOOD, "2026-03-02 09:00,b,x-1,d,pending,,,car"])
    result = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")

    assert result.exit_code == 0, result.output
    assert "(new import" in result.output
    assert "severity 'pending' is not a known severity" in result.output
    assert "1 row(s) rejected" in result.output
    assert len(list((tmp_path / "wh/accidents/records").glob("*.parquet"))) == 1

    again = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")
    assert again.exit_code == 0 and "nothing written" in again.output


def test_a_bad_mapping_exits_with_status_2(tmp_path, write_export, mapping_dict):
    csv_path, mapping_path = write_export([GOOD], mapping_dict(timezone="Mars/Olympus"))
    result = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")
    assert result.exit_code == 2
    assert "'Mars/Olympus' is not an IANA time zone name" in result.output
    assert not (tmp_path / "wh").exists()


def test_synthetic_writes_an_export_that_imports(tmp_path):
    result = invoke("synthetic", tmp_path / "demo", "--campaign-start", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert "7 malformed on purpose" in result.output
    [csv_path] = (tmp_path / "demo").glob("synthetic-accidents-*.csv")
    mapping_path = tmp_path / "demo" / "synthetic-accidents.mapping.yaml"
    imported = invoke("import", csv_path, "--mapping", mapping_path, "--warehouse", tmp_path / "wh")
    assert imported.exit_code == 0 and "rejected" in imported.output
