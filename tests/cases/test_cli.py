import json

from typer.testing import CliRunner

from civility.cli import app

runner = CliRunner()


def test_keygen_export_and_verify_from_the_command_line(case_warehouse, tmp_path, monkeypatch):
    root, _ = case_warehouse
    key = tmp_path / "keys" / "office.pem"
    made = runner.invoke(app, ["cases", "keygen", "--key", str(key), "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["fingerprint"].startswith("SHA256:")
    monkeypatch.setenv("CIVILITY_CASE_KEY", str(key))
    out = tmp_path / "export"
    arguments = [
        "cases",
        "export",
        "--week",
        "2026-W47",
        "--status",
        "confirmed",
        "--out",
        str(out),
    ]
    exported = runner.invoke(app, [*arguments, "--warehouse", str(root), "--json"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout)["count_cases"] == 3
    checked = runner.invoke(app, ["cases", "verify", str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["key_checked"] is True
    index = out / "index.csv"
    index.write_bytes(index.read_bytes().replace(b"MT-0042", b"MT-0043", 1))
    tampered = runner.invoke(app, ["cases", "verify", str(out), "--json"])
    assert tampered.exit_code == 1
    assert json.loads(tampered.stdout)["problems"] == [f"{index}: changed since it was signed"]


def test_notices_from_the_command_line(case_warehouse, tmp_path):
    root, _ = case_warehouse
    arguments = ["cases", "notices", "--week", "2026-W47", "--out", str(tmp_path / "n")]
    result = runner.invoke(app, [*arguments, "--warehouse", str(root), "--json"])
    assert result.exit_code == 0, result.output
    [notice] = json.loads(result.stdout)["notices"]
    assert (notice["platform"], notice["count_cases"]) == ("meituan", 2)


def test_a_bad_week_or_a_missing_key_is_an_error_naming_the_fix(
    case_warehouse, tmp_path, monkeypatch
):
    root, _ = case_warehouse
    monkeypatch.delenv("CIVILITY_CASE_KEY", raising=False)
    arguments = ["cases", "export", "--week", "2026-W47", "--out", str(tmp_path / "x")]
    result = runner.invoke(app, [*arguments, "--warehouse", str(root)])
    assert result.exit_code == 2 and "cases keygen" in result.output
    notices = ["cases", "notices", "--week", "W47", "--out", str(tmp_path / "n")]
    result = runner.invoke(app, [*notices, "--warehouse", str(root)])
    assert result.exit_code == 2 and "YYYY-Www" in result.output
