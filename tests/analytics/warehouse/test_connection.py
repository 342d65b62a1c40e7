import duckdb
import pytest

from analytics.warehouse import connect, load_clip, write_catalog
from analytics.warehouse.connection import apply_models
from analytics.warehouse.sql_files import layered_models
from detectors.config.errors import InputError

FACT_MARTS = [name for name, _ in layered_models() if name.startswith(("fct_", "dim_"))]
FACT_MARTS.remove("dim_courier_platforms")  # reference data, present from the start


@pytest.mark.parametrize("mart", FACT_MARTS)
def test_every_mart_answers_on_an_empty_warehouse(tmp_path, mart):
    (tmp_path / "wh").mkdir()
    assert connect(tmp_path / "wh").sql(f"select count(*) from {mart}").fetchall() == [(0,)]


def test_courier_platforms_come_from_the_shipped_profiles(tmp_path):
    (tmp_path / "wh").mkdir()
    names = connect(tmp_path / "wh").sql("select platform from dim_courier_platforms").fetchall()
    assert ("meituan",) in names and ("eleme",) in names


def test_models_are_created_whatever_their_order():
    con = duckdb.connect()
    con.execute("create table raw_numbers as select range as n from range(4)")
    apply_models(
        con,
        [
            ("doubled_sum", "select sum(doubled) as total from doubled"),
            ("doubled", "select n * 2 as doubled from raw_numbers"),
        ],
    )
    assert con.sql("select total from doubled_sum").fetchall() == [(12,)]


def test_a_broken_model_is_named():
    with pytest.raises(RuntimeError, match="model lonely"):
        apply_models(duckdb.connect(), [("lonely", "select * from nowhere")])


def test_a_missing_warehouse_says_how_to_make_one(tmp_path):
    with pytest.raises(InputError, match="civility warehouse load"):
        connect(tmp_path / "absent")


def test_weeks_limit_the_clips_read(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    load_clip(
        root, make_clip_outputs("w47", clip_id="a" * 16, started_at="2026-11-18T00:00:00+00:00")
    )
    load_clip(
        root, make_clip_outputs("w40", clip_id="b" * 16, started_at="2026-10-01T00:00:00+00:00")
    )

    everything = connect(root).sql("select count(*) from fct_clips").fetchall()[0][0]
    one_week = connect(root, weeks=["2026-W47"]).sql("select clip_id from fct_clips").fetchall()
    assert (everything, one_week) == (2, [("a" * 16,)])


def test_the_catalog_opens_read_only_and_survives_being_rewritten(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    load_clip(
        root, make_clip_outputs("one", clip_id="a" * 16, events=[{"rule": "wrong_way", "t_s": 1.0}])
    )
    catalog = write_catalog(root, root / "catalog.duckdb")
    reader = duckdb.connect(str(catalog), read_only=True)
    second = duckdb.connect(str(catalog), read_only=True)

    load_clip(
        root, make_clip_outputs("two", clip_id="b" * 16, events=[{"rule": "wrong_way", "t_s": 2.0}])
    )
    write_catalog(root, catalog)

    # Shells opened before the rewrite keep working: their views read the files as they are now.
    assert reader.sql("select count(*) from fct_violations").fetchall() == [(2,)]
    assert second.sql("select count(*) from fct_clips").fetchall() == [(2,)]
    fresh = duckdb.connect(str(catalog), read_only=True)
    assert fresh.sql("select count(*) from fct_clips").fetchall() == [(2,)]


def test_every_view_and_table_says_what_it_holds(tmp_path):
    (tmp_path / "wh").mkdir()
    con = connect(tmp_path / "wh")
    uncommented = con.sql(
        "select schema_name, view_name from duckdb_views() where not internal and not temporary "
        "and coalesce(comment, '') = '' union all select schema_name, table_name "
        "from duckdb_tables() where not temporary and coalesce(comment, '') = ''"
    ).fetchall()
    assert uncommented == []


def test_each_layer_has_its_schema_and_the_views_bind_without_a_search_path(tmp_path):
    (tmp_path / "wh").mkdir()
    con = connect(tmp_path / "wh")
    con.execute("set search_path = 'main'")
    schemas = dict(
        con.sql("select view_name, schema_name from duckdb_views() where not internal").fetchall()
    )
    assert (schemas["raw_events"], schemas["stg_events"]) == ("staging", "staging")
    assert (schemas["int_current_loads"], schemas["fct_violations"]) == ("intermediate", "main")
    for name, schema in schemas.items():
        con.sql(f"select * from {schema}.{name} limit 0").fetchall()
