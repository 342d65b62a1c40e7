"""A small loaded warehouse for the analyst's access (civility sql): one clip, three violations."""

from __future__ import annotations

import pytest

from analytics.warehouse import load_clip


@pytest.fixture
def loaded_warehouse(tmp_path, make_clip_outputs):
    root = tmp_path / "warehouse"
    events = [{"rule": "wrong_way", "t_s": float(second)} for second in (1, 2, 3)]
    load_clip(root, make_clip_outputs("one", clip_id="a" * 16, events=events))
    return root


@pytest.fixture
def files_of(loaded_warehouse):
    """Every file of the warehouse with its bytes, to show that nothing was written (but the
    catalog, which civility sql writes on first use)."""

    def snapshot() -> dict[str, bytes]:
        return {
            str(path.relative_to(loaded_warehouse)): path.read_bytes()
            for path in sorted(loaded_warehouse.rglob("*"))
            if path.is_file() and path.name != "catalog.duckdb"
        }

    return snapshot
