"""The shared test factory: cameras, synthetic tracks, detections and clips.

Everything is served as fixtures (``make_track``, ``make_camera`` ...) rather than importable
helpers, so that the tests work in pytest's importlib import mode. Scenes use one 640 x 480
test camera:

- crosswalk ``south`` (x 200-440, y 300-360), governed by signal ``ped_south``;
- crosswalk ``north`` (x 200-440, y 120-170), governed by signal ``ped_north``;
- lane ``nb`` (x 40-180, y 20-470), legal direction up the image, bicycles and motorcycles;
- lane ``eb_bikes`` (x 460-630, y 40-280), legal direction to the right, bicycles only.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import supervision as sv

from detectors.config.camera import CameraConfig
from detectors.detections.detector import CLASS_NAMES
from detectors.signals.states import SignalState
from detectors.tracks.history import Observation, Track

# ultralytics (imported lazily, by the tracker) must never write settings into $HOME or reach for
# the network during tests. None of the imports above loads it.
os.environ.setdefault("YOLO_CONFIG_DIR", "/tmp/yolo_cfg")
os.environ.setdefault("YOLO_OFFLINE", "1")
# The detector keeps shape-fixed copies of the model there (detectors/detections/fixed_shape.py).
os.environ.setdefault("CIVILITY_CACHE_DIR", "/tmp/civility-test-cache")

CLASS_IDS = {name: class_id for class_id, name in CLASS_NAMES.items()}

CAMERA: dict[str, Any] = {
    "camera_id": "test-cam-01",
    "name": "Test junction, synthetic",
    "intersection_id": "test-x-01",
    "district": "Test district",
    "timezone": "Asia/Ho_Chi_Minh",
    "frame_size": [640, 480],
    "crosswalks": [
        {
            "id": "south",
            "polygon": [[200, 300], [440, 300], [440, 360], [200, 360]],
            "signal": "ped_south",
        },
        {
            "id": "north",
            "polygon": [[200, 120], [440, 120], [440, 170], [200, 170]],
            "signal": "ped_north",
        },
    ],
    "lanes": [
        {
            "id": "nb",
            "polygon": [[40, 470], [180, 470], [180, 20], [40, 20]],
            "direction": [0, -1],
            "classes": ["bicycle", "motorcycle"],
        },
        {
            "id": "eb_bikes",
            "polygon": [[460, 40], [630, 40], [630, 280], [460, 280]],
            "direction": [1, 0],
            "classes": ["bicycle"],
        },
    ],
    "signals": [
        {"id": "ped_south", "kind": "pedestrian", "source": "timeline", "timeline": [[0.0, "red"]]},
        {
            "id": "ped_north",
            "kind": "pedestrian",
            "source": "timeline",
            "timeline": [[0.0, "green"]],
        },
        {"id": "veh_main", "kind": "vehicle", "source": "vision", "roi": [600, 10, 20, 50]},
        {
            "id": "veh_plan",
            "kind": "vehicle",
            "source": "plan",
            "plan": {
                "cycle_s": 90,
                "offset_s": 12,
                "phases": [["red", 60], ["green", 25], ["amber", 5]],
            },
        },
    ],
}


def _camera_dict(**overrides: Any) -> dict[str, Any]:
    """A deep copy of the test camera's YAML data with top-level fields replaced."""
    data = copy.deepcopy(CAMERA)
    data.update(copy.deepcopy(overrides))
    return data


def _camera(**overrides: Any) -> CameraConfig:
    return CameraConfig.model_validate(_camera_dict(**overrides))


def _line(start: Sequence[float], end: Sequence[float], n: int) -> list[tuple[float, float]]:
    """``n`` evenly spaced points from ``start`` to ``end``, both included."""
    xs, ys = np.linspace(start[0], end[0], n), np.linspace(start[1], end[1], n)
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def _state_at(spec: str | Sequence[tuple[float, str]], t_s: float) -> SignalState:
    if isinstance(spec, str):
        return SignalState(spec)
    state = SignalState.UNKNOWN
    for change_s, value in spec:
        if t_s >= change_s:
            state = SignalState(value)
    return state


def _per_point(value: Any, n: int) -> list[Any]:
    if isinstance(value, (list, tuple)):
        assert len(value) == n, f"{len(value)} values for {n} points"
        return list(value)
    return [value] * n


def _track(
    points: Sequence[tuple[float, float] | None],
    cls: str = "person",
    signals: Mapping[str, str | Sequence[tuple[float, str]]] | None = None,
    *,
    fps: float = 10.0,
    t0: float = 0.0,
    height: float | Sequence[float] = 60.0,
    width: float | None = None,
    confidence: float | Sequence[float] = 0.8,
    riding: bool | Sequence[bool] = False,
    walker_height: float | Sequence[float] = 0.0,
    track_id: int = 1,
) -> Track:
    """A track whose box bottom-centre (feet, or wheels) follows ``points``, one per frame.

    ``None`` in ``points`` is a frame where the road user went undetected (time still advances).
    ``signals`` maps a signal id to a constant state (``"red"``) or to its changes
    (``[(0.0, "green"), (2.0, "red")]``, unknown before the first); absent ids are not reported.
    ``height``, ``confidence``, ``riding`` and ``walker_height`` (a person walking beside a
    two-wheeler) are one value for all points or one per point.
    """
    n = len(points)
    heights, confidences, ridings, walkers = (
        _per_point(v, n) for v in (height, confidence, riding, walker_height)
    )
    observations = []
    for i, point in enumerate(points):
        if point is None:
            continue
        t_s = t0 + i / fps
        x, y = point
        half_w = (width if width is not None else heights[i] * 0.5) / 2
        observations.append(
            Observation(
                t_s=t_s,
                frame_index=round(t_s * fps),
                xyxy=(x - half_w, y - heights[i], x + half_w, y),
                confidence=confidences[i],
                class_id=CLASS_IDS[cls],
                on_two_wheeler=ridings[i],
                signals={sid: _state_at(spec, t_s) for sid, spec in (signals or {}).items()},
                walker_height=walkers[i],
            )
        )
    return Track(track_id, observations)


def _detections(
    boxes: Sequence[Sequence[float]],
    classes: Sequence[str],
    confidence: float | Sequence[float] = 0.9,
    tracker_ids: Sequence[int] | None = None,
) -> sv.Detections:
    """One frame's detections; ``classes`` are names (person, bicycle, motorcycle)."""
    n = len(boxes)
    return sv.Detections(
        xyxy=np.array(boxes, dtype=float).reshape(-1, 4),
        confidence=np.array(_per_point(confidence, n), dtype=float),
        class_id=np.array([CLASS_IDS[c] for c in classes], dtype=int),
        tracker_id=None if tracker_ids is None else np.array(tracker_ids, dtype=int),
    )


def clip_level(index: int) -> int:
    """The grey level of synthetic clip frame ``index``: frames are told apart by brightness."""
    return 20 + (index * 7) % 220


def _write_clip(
    folder: Path,
    name: str = "clip.mp4",
    frames: int = 30,
    fps: float = 10.0,
    size: tuple[int, int] = (64, 48),
    fourcc: str = "mp4v",
    gaps_ms: Sequence[int] | None = None,
) -> Path:
    """A small clip whose frame ``i`` is flat grey at ``clip_level(i)``.

    With ``gaps_ms`` the clip has a variable frame rate: MPEG-4 frames that many milliseconds
    apart (one more frame than gaps; ``frames`` and ``fourcc`` are then ignored).
    """
    path = folder / name
    if gaps_ms is not None:
        return _write_variable_rate_clip(path, gaps_ms, fps, size)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    assert writer.isOpened(), f"cv2 cannot write {fourcc} clips here"
    for index in range(frames):
        writer.write(np.full((size[1], size[0], 3), clip_level(index), np.uint8))
    writer.release()
    return path


def _write_variable_rate_clip(
    path: Path, gaps_ms: Sequence[int], fps: float, size: tuple[int, int]
) -> Path:
    import av  # PyAV: cv2.VideoWriter cannot write uneven frame times

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=round(fps))
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.time_base = stream.codec_context.time_base = Fraction(1, 1000)
        pts = 0
        for index, gap in enumerate([*gaps_ms, 0]):
            image = np.full((size[1], size[0], 3), clip_level(index), np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
            frame.pts, frame.time_base = pts, Fraction(1, 1000)
            container.mux(stream.encode(frame))
            pts += gap
        container.mux(stream.encode(None))
    return path


@pytest.fixture
def camera_dict() -> Callable[..., dict[str, Any]]:
    return _camera_dict


@pytest.fixture
def make_camera() -> Callable[..., CameraConfig]:
    return _camera


@pytest.fixture
def line() -> Callable[..., list[tuple[float, float]]]:
    return _line


@pytest.fixture
def make_track() -> Callable[..., Track]:
    return _track


@pytest.fixture
def make_detections() -> Callable[..., sv.Detections]:
    return _detections


class NobodyDetector:
    """Stands in for ``Detector`` where the scene holds no road users (the clip's other parts,
    its signals or the pipeline around the engine, are under test)."""

    version = "nobody@0"

    class settings:  # noqa: N801 - stands in for DetectorSettings
        image_size = 640

    def detect(self, image: np.ndarray) -> sv.Detections:
        return sv.Detections.empty()

    def detect_tiles(self, image: np.ndarray, tiles: object) -> sv.Detections:
        return sv.Detections.empty()


@pytest.fixture
def nobody_detector() -> NobodyDetector:
    return NobodyDetector()


@pytest.fixture
def make_clip(tmp_path: Path) -> Callable[..., Path]:
    return lambda **kwargs: _write_clip(tmp_path, **kwargs)


@pytest.fixture
def frame_level() -> Callable[[int], int]:
    return clip_level


def _write_clip_outputs(
    folder: Path,
    clip_id: str = "c0ffee0000000001",
    started_at: str | None = "2026-11-16T00:00:00+00:00",
    camera_id: str = "cam-a",
    intersection_id: str = "x-a",
    district: str = "朝阳区",
    events: Sequence[Mapping[str, Any]] = (),
    passages: Sequence[Mapping[str, Any]] = (),
) -> Path:
    """A ``civility detect`` output folder written directly: the tables the warehouse loads.

    ``events`` items give at least ``rule`` and ``t_s``; ``passages`` items at least
    ``road_user``, ``zone_kind`` and ``entered_s``. Every event gets an evidence folder.
    """
    from datetime import datetime, timedelta

    import pyarrow as pa
    import pyarrow.parquet as pq

    from detectors.outputs import SCHEMAS

    start = datetime.fromisoformat(started_at) if started_at else None

    def at(t_s: float) -> datetime | None:
        return start + timedelta(seconds=t_s) if start else None

    keys = {"clip_id": clip_id, "camera_id": camera_id}
    clip = {
        **keys,
        "clip_sha256": clip_id * 4,
        "clip_path": f"/clips/{clip_id}.mp4",
        "camera_name": f"camera {camera_id}",
        "intersection_id": intersection_id,
        "district": district,
        "timezone": "Asia/Shanghai",
        "started_at": start,
        "duration_s": 60.0,
        "is_partial": False,
        "engine_version": "test",
        "processed_at": datetime.fromisoformat("2026-11-20T00:00:00+00:00"),
    }
    event_rows = []
    for index, event in enumerate(events):
        zone = event.get("zone_id", "south")
        event_id = f"{clip_id}-{event['rule']}-{zone}-{index + 1}-{int(event['t_s'] * 10)}"
        evidence = folder / "evidence" / event_id
        evidence.mkdir(parents=True)
        (evidence / "event.json").write_text("{}")
        event_rows.append(
            {
                **keys,
                "event_id": event_id,
                "zone_id": zone,
                "track_id": index + 1,
                "occurred_at": at(event["t_s"]),
                "evidence_dir": f"evidence/{event_id}",
                **event,
            }
        )
    passage_rows = [
        {
            **keys,
            "track_id": index + 1,
            "zone_id": "south",
            "left_s": passage["entered_s"] + 2.0,
            "entered_at": at(passage["entered_s"]),
            **passage,
        }
        for index, passage in enumerate(passages)
    ]
    rows = {
        "clip": [clip],
        "events": event_rows,
        "track_summaries": [],
        "zone_passages": passage_rows,
        "signal_timeline": [],
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, table_rows in rows.items():
        table = pa.Table.from_pylist(table_rows, schema=SCHEMAS[name])
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


@pytest.fixture
def make_clip_outputs(tmp_path: Path) -> Callable[..., Path]:
    """``make_clip_outputs(name, **fields)``: a detect output folder under tmp_path/outputs."""
    return lambda name="clip", **fields: _write_clip_outputs(tmp_path / "outputs" / name, **fields)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its lowest cost (the default takes ~0.5 s a hash): tests log in often, and the
    cost is not under test."""
    from argon2 import PasswordHasher

    from analytics.decisions import users

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    dummy = cheap.hash("nobody")
    monkeypatch.setattr(users, "_hasher", lambda: cheap)
    monkeypatch.setattr(users, "_dummy_hash", lambda: dummy)


@dataclass
class Received:
    at: datetime  # UTC, when it arrived
    body: Any  # a webhook call's JSON document; an email's message


@dataclass
class Receiver:
    """A local stand-in for an alert channel; ``received`` grows as things arrive."""

    address: str  # URL of a webhook, host:port of a mail server
    received: list[Received] = field(default_factory=list)

    def bodies(self) -> list[Any]:
        return [item.body for item in self.received]


@pytest.fixture(scope="session")
def webhook_receiver() -> Iterator[Receiver]:
    """An HTTP server on loopback that keeps every JSON document POSTed to it."""
    receiver = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            receiver.received.append(Received(datetime.now(UTC), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.address = f"http://127.0.0.1:{server.server_address[1]}/alerts"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def smtp_receiver() -> Iterator[Receiver]:
    """A mail server on loopback (aiosmtpd) that keeps every message sent to it."""
    from aiosmtpd.controller import Controller

    receiver = Receiver("")

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            receiver.received.append(Received(datetime.now(UTC), message))
            return "250 OK"

    with socket.socket() as probe:  # a free port: the controller needs one up front
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    receiver.address = f"127.0.0.1:{port}"
    yield receiver
    controller.stop()
