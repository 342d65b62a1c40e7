"""``civility sql``: refusals, the row cap, input from a file or stdin, --out, the prompt."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from civility.cli import app

runner = CliRunner()


def sql(warehouse, *arguments, stdin=None):
    return runner.invoke(app, ["sql", "--warehouse", str(warehouse), *arguments], input=stdin)


@pytest.mark.parametrize(
    "query",
    [
        "copy (select 1) to 'x.csv'",
        "drop view fct_violations",
        "select * from read_csv('/etc/passwd')",
    ],
)
def test_writes_drops_and_foreign_files_are_refused_and_nothing_is_written(
    loaded_warehouse, files_of, tmp_path, monkeypatch, query
):
    monkeypatch.chdir(tmp_path)
    before = files_of()
    result = sql(loaded_warehouse, query)
    assert result.exit_code == 2
    assert "refused" in result.output
    assert files_of() == before and not (tmp_path / "x.csv").exists()


def test_rows_are_capped_and_the_cap_is_reported(loaded_warehouse):
    capped = sql(loaded_warehouse, "select * from fct_violations", "--limit", "2", "--json")
    assert capped.exit_code == 0, capped.output
    shown = json.loads(capped.stdout)
    assert (shown["count_rows"], shown["is_truncated"], len(shown["rows"])) == (2, True, 2)
    every = sql(loaded_warehouse, "select * from fct_violations", "--all", "--json")
    every = json.loads(every.stdout)
    assert (every["count_rows"], every["is_truncated"]) == (3, False)


def test_the_query_comes_from_a_file_or_stdin(loaded_warehouse, tmp_path):
    query = "set variable wanted = 'wrong_way';\nselect count(*) as n from fct_violations\n"
    query += "where rule = getvariable('wanted');\n"
    (tmp_path / "count.sql").write_text(query)
    from_file = sql(loaded_warehouse, "--file", str(tmp_path / "count.sql"), "--json")
    from_stdin = sql(loaded_warehouse, "-", "--json", stdin=query)
    for result in (from_file, from_stdin):
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["rows"] == [{"n": 3}]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".jsonl"])
def test_out_writes_every_row_to_the_named_file(loaded_warehouse, tmp_path, suffix):
    out = tmp_path / f"violations{suffix}"
    result = sql(loaded_warehouse, "select event_id, rule from fct_violations", "--out", str(out))
    assert result.exit_code == 0, result.output
    if suffix == ".parquet":
        assert pq.read_table(out).num_rows == 3
    elif suffix == ".json":
        assert len(json.loads(out.read_text())) == 3
    else:
        assert len(out.read_text().splitlines()) == (4 if suffix == ".csv" else 3)


def test_out_never_writes_into_the_warehouse(loaded_warehouse, files_of):
    before = files_of()
    result = sql(loaded_warehouse, "select 1", "--out", str(loaded_warehouse / "clips" / "x.csv"))
    assert result.exit_code == 2 and "inside the warehouse" in result.output
    assert files_of() == before
