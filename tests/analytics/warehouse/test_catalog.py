"""The catalog file: rebuilt only when the warehouse changed beyond what its views can see."""

from __future__ import annotations

from analytics.decisions.store import open_store
from analytics.warehouse import load_clip
from analytics.warehouse.catalog import catalog_path, fingerprint, open_catalog


def test_the_catalog_is_built_once_and_reused_while_nothing_changes(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    load_clip(root, make_clip_outputs("one", clip_id="a" * 16))
    open_catalog(root).close()
    built = catalog_path(root).stat().st_mtime_ns
    con = open_catalog(root)
    assert catalog_path(root).stat().st_mtime_ns == built
    assert con.execute("select count(*) from fct_clips").fetchone() == (1,)


def test_a_new_week_or_the_review_store_makes_it_stale(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    load_clip(root, make_clip_outputs("one", clip_id="a" * 16, started_at="2026-11-18T00:00:00Z"))
    before = fingerprint(root)
    load_clip(root, make_clip_outputs("two", clip_id="b" * 16, started_at="2026-10-01T00:00:00Z"))
    after_week = fingerprint(root)
    open_store(root).close()  # the review workbench's store appears
    assert len({before, after_week, fingerprint(root)}) == 3
    assert open_catalog(root).execute("select count(*) from fct_clips").fetchone() == (2,)


def test_another_load_of_a_known_week_needs_no_rebuild(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    when = "2026-11-18T00:00:00Z"
    load_clip(root, make_clip_outputs("one", clip_id="a" * 16, started_at=when))
    open_catalog(root).close()
    stamp = fingerprint(root)
    load_clip(root, make_clip_outputs("two", clip_id="b" * 16, started_at=when))
    assert fingerprint(root) == stamp
    assert open_catalog(root).execute("select count(*) from fct_clips").fetchone() == (2,)
