"""Synthetic cells and clips as the warehouse's per-clip tables (schemas of docs/outputs.md),
every row carrying its ``load_id`` as compacted rows do.

Road users are not simulated one by one: the zone passage, track and signal tables stay empty and
the exposures are written as the counts the loader would have derived from the passages.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.synthetic.cells import Cells, Clips
from analytics.synthetic.world import PLATFORMS, World
from analytics.warehouse.layout import CLIP_TABLES
from analytics.warehouse.sources import empty_clip_table

SYNTHETIC = "synthetic"
FPS = 25.0
ANALYSIS_FPS = 10.0
WIDTH_PX, HEIGHT_PX = 1920, 1080
TIMESTAMP = pa.timestamp("us", tz="UTC")
_HEX_PAIRS = np.array([f"{byte:02x}".encode() for byte in range(256)], dtype="S2")


@functools.cache
def schema(name: str) -> pa.Schema:
    return empty_clip_table(name).schema.append(pa.field("load_id", pa.string()))


def empty_tables() -> dict[str, pa.Table]:
    return {name: schema(name).empty_table() for name in CLIP_TABLES}


def hex_strings(rng: np.random.Generator, count: int, digits: int) -> pa.Array:
    """``count`` random lowercase hex strings of ``digits`` digits, built without a Python loop."""
    pairs = _HEX_PAIRS[rng.integers(0, 256, size=(count, digits // 2), dtype=np.uint8)]
    offsets = np.arange(count + 1, dtype=np.int32) * digits
    return pa.StringArray.from_buffers(
        count, pa.py_buffer(offsets.tobytes()), pa.py_buffer(pairs.tobytes())
    )


def table(
    name: str, columns: dict[str, pa.Array | np.ndarray], rows: int, load_id: str
) -> pa.Table:
    """``columns`` as table ``name``: NaN and None are nulls, columns not given are all null."""
    fields = schema(name)
    arrays = []
    for field in fields:
        value = columns.get(field.name)
        if field.name == "load_id":
            arrays.append(pa.repeat(load_id, rows))
        elif value is None:
            arrays.append(pa.nulls(rows, field.type))
        elif isinstance(value, pa.Array):
            arrays.append(value.cast(field.type))
        else:
            arrays.append(pa.array(value, field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=fields)


def clip_table(
    world: World, clips: Clips, rng: np.random.Generator, load_id: str
) -> tuple[pa.Array, pa.Table]:
    count = len(clips)
    sha = hex_strings(rng, count, 64)
    clip_ids = pc.utf8_slice_codeunits(sha, 0, 16)
    started = pa.array(clips.started_us, TIMESTAMP)
    frames = np.full(count, int(3600 * FPS))
    columns = {
        "clip_id": clip_ids,
        "clip_sha256": sha,
        "clip_path": pc.binary_join_element_wise(
            SYNTHETIC, camera_ids(world, clips.camera), clip_ids, "/"
        ),
        "camera_id": camera_ids(world, clips.camera),
        "camera_name": pa.array(world.camera_names).take(pa.array(clips.camera)),
        "intersection_id": pa.array(world.intersection_ids).take(pa.array(clips.camera)),
        "district": pa.array(world.districts).take(pa.array(clips.camera)),
        "grid_cell": pa.array(world.grid_cells).take(pa.array(clips.camera)),
        "timezone": pa.repeat("Asia/Shanghai", count),
        "started_at": started,
        "width_px": np.full(count, WIDTH_PX),
        "height_px": np.full(count, HEIGHT_PX),
        "fps": np.full(count, FPS),
        "count_frames_declared": frames,
        "count_frames_decoded": frames,
        "count_frames_analysed": np.full(count, int(3600 * ANALYSIS_FPS)),
        "duration_s": np.full(count, 3600.0),
        "analysis_fps": np.full(count, ANALYSIS_FPS),
        "is_partial": np.zeros(count, dtype=bool),
        "model_version": pa.repeat(SYNTHETIC, count),
        "config_hash": pa.repeat(SYNTHETIC, count),
        "engine_version": pa.repeat(SYNTHETIC, count),
        "runtime_s": rng.uniform(900, 1500, count).round(3),
        "processed_at": pa.array(clips.started_us + 2 * 3600 * 1_000_000, TIMESTAMP),
    }
    return clip_ids, table("clip", columns, count, load_id)


def exposure_table(
    world: World, clips: Clips, clip_ids: pa.Array, cells: list[Cells], load_id: str
) -> pa.Table:
    """Cells with at least one road user, as the loader's hourly exposure counts."""
    parts = []
    for part in cells:
        seen = part.count_exposures > 0
        clip = part.clip[seen]
        columns = {
            "clip_id": clip_ids.take(pa.array(clip)),
            "camera_id": camera_ids(world, clips.camera[clip]),
            "rule": pa.repeat(part.rule, len(clip)),
            "zone_id": coded(part.zones, part.zone[seen]),
            "courier_platform": platform_names(part.platform[seen]),
            "hour_at": pa.array(clips.started_us[clip], TIMESTAMP),
            "count_exposures": part.count_exposures[seen],
        }
        parts.append(table("exposures", columns, len(clip), load_id))
    return pa.concat_tables(parts)


def camera_ids(world: World, camera: np.ndarray) -> pa.Array:
    return pa.array(world.camera_ids).take(pa.array(camera))


def platform_names(platform: np.ndarray) -> pa.Array:
    """Platform indexes as the engine's names; unknown riders and non-lane rules (-1) as nulls."""
    return coded(PLATFORMS, platform)


def coded(values: Sequence[str | None], codes: np.ndarray) -> pa.Array:
    """``values[codes]`` as an Arrow string array; a negative code is a null."""
    codes = np.asarray(codes)
    return pa.array(values, pa.string()).take(pa.array(codes, mask=codes < 0))
