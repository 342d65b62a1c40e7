"""The DuckDB warehouse: immutable Parquet facts under layered SQL views (docs/warehouse.md)."""

from analytics.warehouse.compaction import VacuumReport, compact_week, vacuum, write_compacted
from analytics.warehouse.connection import connect, write_catalog
from analytics.warehouse.layout import warehouse_root
from analytics.warehouse.load import LoadResult, load_clip

__all__ = [
    "LoadResult",
    "VacuumReport",
    "compact_week",
    "connect",
    "load_clip",
    "vacuum",
    "warehouse_root",
    "write_catalog",
    "write_compacted",
]
