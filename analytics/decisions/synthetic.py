"""Synthetic queue events, shaped like ``fct_violations``: for the queue benchmark and the tests.

Deterministic: event ``i`` always has the same camera, rule, time and confidence, so counts
under a filter can be worked out by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from analytics.decisions.queue_sync import SOURCE_SCHEMA

START = datetime(2025, 3, 3, tzinfo=UTC)  # a Monday, 08:00 in Asia/Shanghai
EVENT_SPACING = timedelta(seconds=37)
EVENTS_PER_CLIP = 50
LOAD_ID = "20250303T000000000000Z-000000"
CAMERAS = 20
DISTRICTS = ("东城区", "西城区", "朝阳区", "海淀区")
PLATFORMS = ("meituan", "eleme", "jd", None)
DETAILS = {
    "pedestrian_red_light": {
        "outside_before_s": 0.8,
        "inside_after_s": 1.6,
        "speed_heights_per_s": 0.9,
    },
    "wrong_way": {
        "against_px": 120.0,
        "against_s": 2.5,
        "straightness": 0.9,
        "lane_direction": [0, -1],
    },
}


def synthetic_event(index: int) -> dict:
    """Event ``index``: even ones are red-light crossings, odd ones wrong-way rides (with a
    courier platform cycling meituan, eleme, jd, none); confidence runs 0.30-0.99."""
    rule = "pedestrian_red_light" if index % 2 == 0 else "wrong_way"
    camera = index % CAMERAS
    clip_id = f"clip{index // EVENTS_PER_CLIP:06d}"
    event_id = f"{clip_id}-{rule}-z{camera}-{index}-{index * 10}"
    is_wrong_way = rule == "wrong_way"
    return {
        "event_id": event_id,
        "clip_id": clip_id,
        "load_id": LOAD_ID,
        "camera_id": f"cam-{camera:02d}",
        "camera_name": f"合成路口 {camera:02d} 号摄像头",
        "intersection_id": f"x-{camera:02d}",
        "district": DISTRICTS[camera % len(DISTRICTS)],
        "rule": rule,
        "zone_id": f"z{camera}",
        "track_id": index,
        "class_name": "bicycle" if is_wrong_way else "person",
        "occurred_at": START + index * EVENT_SPACING,
        "t_s": 12.5,
        "confidence": round(0.30 + (index % 70) / 100, 2),
        "signal_id": None if is_wrong_way else f"ped-{camera:02d}",
        "signal_state": None if is_wrong_way else "red",
        "detected_platform": PLATFORMS[(index // 2) % len(PLATFORMS)] if is_wrong_way else None,
        "courier_confidence": 0.7 if is_wrong_way else None,
        "evidence_path": f"evidence/clip={clip_id}/load={LOAD_ID}/{event_id}",
        "evidence_sha256_json": None,  # synthetic events have no evidence files
        "details_json": json.dumps(DETAILS[rule]),
    }


def synthetic_events(count: int) -> pa.Table:
    return pa.Table.from_pylist([synthetic_event(i) for i in range(count)], schema=SOURCE_SCHEMA)
