"""The DuckDB warehouse: immutable Parquet facts under layered SQL views (docs/warehouse.md).

Names are imported on first use, so that reaching the catalog (``civility sql``) does not load
pyarrow and the loaders.
"""

from importlib import import_module
from typing import Any

_HOMES = {
    "VacuumReport": "compaction",
    "compact_week": "compaction",
    "vacuum": "compaction",
    "write_compacted": "compaction",
    "write_catalog": "catalog",
    "connect": "connection",
    "warehouse_root": "layout",
    "LoadResult": "load",
    "load_clip": "load",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
