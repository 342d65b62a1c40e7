"""The case step's test factory: a warehouse with one clip whose events have real evidence
files and load-time digests, decided in the review store (two red-light crossings confirmed,
one wrong-way ride confirmed by two reviewers, one rejected), and the office's key."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from analytics.decisions.decisions import decide
from analytics.decisions.models import DecisionChange
from analytics.decisions.policy import load_policy
from analytics.decisions.queue_sync import sync_from_warehouse
from analytics.decisions.store import store_session
from analytics.decisions.users import add_user
from analytics.warehouse import load_clip
from cases.signing import make_key

CLIP_ID = "c0ffee0000000001"
FILES = ("frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg", "closeup.jpg", "clip.mp4")
# (rule, t_s, platform, rider code, decision)
EVENTS = [
    ("pedestrian_red_light", 10.0, None, None, "fine"),
    ("pedestrian_red_light", 20.0, None, None, "reject"),
    ("wrong_way", 30.0, "meituan", "MT-0042", "warning"),
    ("wrong_way", 40.0, "meituan", "MT-0042", "education"),
]


@functools.cache
def _jpeg(shade: int) -> bytes:
    image = np.full((90, 160, 3), shade, np.uint8)
    cv2.rectangle(image, (40, 20), (120, 70), (0, 0, 255), 3)
    return cv2.imencode(".jpg", image)[1].tobytes()


def _evidence_files(event_id: str) -> dict[str, bytes]:
    files = {name: _jpeg(40 * index) for index, name in enumerate(FILES[:4])}
    files["clip.mp4"] = b"\x00\x00\x00\x18ftypmp42 not a real clip"
    record = {
        "event_id": event_id,
        "camera": {"name": "幸福路 × 工体北路 北向"},
        "zone": {"name": "西侧人行横道"},
        "signal": {"name": "西侧行人灯"},
    }
    files["event.json"] = json.dumps(record, ensure_ascii=False).encode("utf-8")
    return files


@pytest.fixture
def case_warehouse(tmp_path, make_clip_outputs):
    """(warehouse root, event ids in time order)."""
    events, contents = [], {}
    for index, (rule, t_s, platform, _, _) in enumerate(EVENTS):
        zone = "south" if rule == "pedestrian_red_light" else "nb"
        event_id = f"{CLIP_ID}-{rule}-{zone}-{index + 1}-{int(t_s * 10)}"
        contents[event_id] = _evidence_files(event_id)
        digests = {
            name: hashlib.sha256(data).hexdigest() for name, data in contents[event_id].items()
        }
        events.append(
            {
                "rule": rule,
                "t_s": t_s,
                "zone_id": zone,
                "courier_platform": platform,
                "signal_id": "ped_south" if rule == "pedestrian_red_light" else None,
                "signal_state": "red" if rule == "pedestrian_red_light" else None,
                "evidence_sha256_json": json.dumps(digests, sort_keys=True),
                "details_json": json.dumps({"against_px": 120.0, "against_s": 2.0}),
            }
        )
    outputs = make_clip_outputs(clip_id=CLIP_ID, events=events)
    for event_id, files in contents.items():
        for name, data in files.items():
            (outputs / "evidence" / event_id / name).write_bytes(data)
    root = tmp_path / "warehouse"
    load_clip(root, outputs)
    sync_from_warehouse(root)
    policy = load_policy()
    with store_session(root) as conn:
        li = add_user(conn, "li", "reviewer", "long enough")
        zhou = add_user(conn, "zhou", "reviewer", "long enough")
        for event_id, (rule, _, platform, rider, outcome) in zip(contents, EVENTS, strict=True):
            if outcome == "reject":
                change = DecisionChange(decision="rejected", reason_code="duplicate")
            else:
                change = DecisionChange(
                    decision="confirmed",
                    disposition=outcome,
                    fine_yuan=20 if outcome == "fine" else None,
                    courier_platform=platform,
                    rider_code=rider,
                )
            decide(conn, event_id, change, 0, li, _at(), policy, evidence="intact")
            if rule == "wrong_way":
                decide(conn, event_id, change, 1, zhou, _at(), policy, evidence="intact")
    return root, list(contents)


def _at():
    from datetime import UTC, datetime

    return datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def office_key(tmp_path) -> Path:
    private, _ = make_key(tmp_path / "keys" / "office.pem")
    return private
