"""The analyst's connection cannot write, change a view or read outside the warehouse."""

from __future__ import annotations

import duckdb
import pytest

from analytics.query.access import QueryRefused, analyst_connection, checked_statements
from detectors.config.errors import InputError


@pytest.mark.parametrize(
    "statement",
    [
        "copy (select 1) to 'x.csv'",
        "copy fct_violations to 'compacted/x.parquet'",
        "drop view fct_violations",
        "create table t as select 1",
        "create or replace view fct_violations as select 1",
        "attach 'other.duckdb'",
        "install httpfs",
        "pragma show_tables",
        "export database 'dump'",
        "explain analyze copy (select 1) to 'x.csv'",
        "set variable x = 1; copy (select 1) to 'x.csv'",
    ],
)
def test_statements_that_are_not_queries_are_refused_before_anything_runs(
    loaded_warehouse, files_of, statement
):
    con = analyst_connection(loaded_warehouse)
    before = files_of()
    with pytest.raises(QueryRefused, match="refused"):
        checked_statements(con, statement)
    assert files_of() == before


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from fct_violations",
        "with v as (from fct_violations) select rule from v",
        "describe fct_violations",
        "show tables",
        "summarize dim_cameras",
        "explain select * from fct_clips",
        "set variable board_min_exposures = 100; select getvariable('board_min_exposures')",
    ],
)
def test_queries_and_variables_pass(loaded_warehouse, statement):
    con = analyst_connection(loaded_warehouse)
    *earlier, last = checked_statements(con, statement)
    for part in earlier:
        con.execute(part.query)
    con.execute(last.query).fetchall()


def test_files_outside_the_warehouse_cannot_be_read_nor_settings_unlocked(
    loaded_warehouse, tmp_path
):
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    con = analyst_connection(loaded_warehouse)
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"select * from read_csv('{outside}')")
    with pytest.raises(duckdb.Error, match="locked"):
        con.execute("set enable_external_access = true")


def test_the_views_still_read_the_warehouse_files(loaded_warehouse):
    con = analyst_connection(loaded_warehouse)
    assert con.execute("select count(*) from fct_violations").fetchone() == (3,)


def test_the_analyst_lists_the_marts_and_not_the_layers_under_them(loaded_warehouse):
    con = analyst_connection(loaded_warehouse)
    listed = {name for (name,) in con.sql("show tables").fetchall()}
    assert {"fct_violations", "board_rankings", "dim_cameras"} <= listed
    assert not any(name.startswith(("raw_", "stg_", "int_")) for name in listed)


def test_nonsense_is_an_input_error_naming_the_parse_failure(loaded_warehouse):
    with pytest.raises(InputError, match="does not parse"):
        checked_statements(analyst_connection(loaded_warehouse), "selec 1")


def test_a_warehouse_the_analyst_cannot_write_is_queried_all_the_same(
    loaded_warehouse, monkeypatch
):
    from analytics.warehouse import catalog

    def cannot_write(root, path=None):
        raise PermissionError(f"{root}: read-only")

    monkeypatch.setattr(catalog, "write_catalog", cannot_write)
    con = analyst_connection(loaded_warehouse)
    assert con.execute("select count(*) from fct_violations").fetchone() == (3,)
    with pytest.raises(duckdb.PermissionException):
        con.execute("select * from read_csv('/etc/passwd')")
    assert "raw_events" not in {name for (name,) in con.sql("show tables").fetchall()}
