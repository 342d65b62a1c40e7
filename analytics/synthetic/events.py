"""Synthetic violations as the warehouse's ``events`` table: one row per violation in a cell.

Ids follow the engine's form ``<clip_id>-<rule>-<zone>-<track>-<frame>``; track numbers count up
within a clip, so ids are unique. Synthetic events have no evidence folder. Text columns are built
as codes into small vocabularies and turned into strings by Arrow, not Python.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.synthetic.cells import Cells, Clips
from analytics.synthetic.tables import (
    FPS,
    HEIGHT_PX,
    TIMESTAMP,
    WIDTH_PX,
    camera_ids,
    coded,
    table,
)
from analytics.synthetic.world import CROSSWALKS, LANES, PLATFORMS, World

RULES = ("pedestrian_red_light", "wrong_way")
ZONES = (*CROSSWALKS, *LANES)
CLASS_NAMES = ("person", "bicycle", "motorcycle")
SIGNAL_IDS = ("ped_north", "ped_south")  # the signals governing CROSSWALKS, in order
MOTORCYCLE_SHARE = 0.6  # e-bikes, which the detector calls motorcycles
DETAILS_JSON = json.dumps({"synthetic": True})


def event_table(
    world: World,
    clips: Clips,
    clip_ids: pa.Array,
    cells: list[Cells],
    rng: np.random.Generator,
    load_id: str,
) -> pa.Table:
    parts = [event_codes(part, rng) for part in cells]
    merged = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    order = np.lexsort((merged["frame_index"], merged["clip"]))  # clip by clip, in time order
    codes = {name: values[order] for name, values in merged.items()}
    clip = codes["clip"]
    count = len(clip)
    track_id = rank_within(clip) + 1
    event_clip_ids = clip_ids.take(pa.array(clip))
    rule = coded(RULES, codes["rule"])
    zone = coded(ZONES, codes["zone"])
    event_ids = pc.binary_join_element_wise(
        event_clip_ids,
        rule,
        zone,
        pc.cast(pa.array(track_id), pa.string()),
        pc.cast(pa.array(codes["frame_index"]), pa.string()),
        "-",
    )
    t_s = codes["frame_index"] / FPS
    is_wrong_way = codes["rule"] == RULES.index("wrong_way")
    is_courier = codes["platform"] >= 0
    columns = {
        "event_id": event_ids,
        "clip_id": event_clip_ids,
        "camera_id": camera_ids(world, clips.camera[clip]),
        "rule": rule,
        "zone_id": zone,
        "track_id": track_id,
        "class_name": coded(CLASS_NAMES, codes["class_name"]),
        "t_s": t_s,
        "t_end_s": np.where(is_wrong_way, t_s + rng.uniform(2, 9, count).round(1), np.nan),
        "occurred_at": pa.array(
            clips.started_us[clip] + (t_s * 1_000_000).astype(np.int64), TIMESTAMP
        ),
        "frame_index": codes["frame_index"],
        "x_px": rng.uniform(0, WIDTH_PX, count).round(1),
        "y_px": rng.uniform(HEIGHT_PX / 3, HEIGHT_PX, count).round(1),
        "confidence": rng.uniform(0.35, 0.95, count).round(4),
        "signal_id": coded(SIGNAL_IDS, np.where(is_wrong_way, -1, codes["zone"])),
        "signal_state": coded(("red",), np.where(is_wrong_way, -1, 0)),
        "courier_platform": coded(PLATFORMS[:-1], codes["platform"]),
        "courier_confidence": np.where(is_courier, rng.uniform(0.45, 0.95, count).round(3), np.nan),
        "is_courier": pa.array(np.ones(count, dtype=bool), mask=~is_courier),
        "details_json": pa.repeat(DETAILS_JSON, count),
    }
    return table("events", columns, count, load_id)


def event_codes(part: Cells, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Per violation of ``part``'s cells: clip, frame and the codes of its text columns."""
    cell = np.repeat(np.arange(len(part.clip)), part.count_violations)
    count = len(cell)
    is_red_light = part.rule == "pedestrian_red_light"
    riding = np.where(rng.random(count) < MOTORCYCLE_SHARE, 2, 1)
    platform = part.platform[cell]
    return {
        "clip": part.clip[cell],
        "frame_index": rng.integers(0, int(3600 * FPS), count),
        "rule": np.full(count, RULES.index(part.rule)),
        "zone": np.array([ZONES.index(zone) for zone in part.zones])[part.zone[cell]],
        "class_name": np.zeros(count, dtype=np.int64) if is_red_light else riding,
        # Unknown riders (the last platform) have no platform, as the engine reports them.
        "platform": np.where(platform == len(PLATFORMS) - 1, -1, platform),
    }


def rank_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths)
