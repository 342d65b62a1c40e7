"""The review workbench's test factory: a warehouse folder with queued events and real evidence
files (JPEG stills, an H.264 clip, event.json), user accounts, and logged-in clients."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import av
import cv2
import duckdb
import numpy as np
import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from analytics.decisions.queue_sync import SOURCE_SCHEMA, sync_queue
from analytics.decisions.store import store_session
from analytics.decisions.synthetic import synthetic_event
from analytics.decisions.users import add_user
from review.app import create_app
from review.serving import served_in_thread
from review.settings import ReviewSettings

PASSWORD = "correct horse 42"
ACCOUNTS = {"li": "reviewer", "zhou": "reviewer", "wang": "supervisor", "zhao": "admin"}
STILLS = ("frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg", "closeup.jpg")
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    root = tmp_path / "warehouse"
    root.mkdir()
    return root


@pytest.fixture
def queue_events(warehouse: Path) -> Callable[[list[dict]], None]:
    """Put fct_violations-shaped rows into the queue through the real sync function."""

    def put(rows: list[dict]) -> None:
        duck = duckdb.connect()
        events = duck.from_arrow(pa.Table.from_pylist(rows, schema=SOURCE_SCHEMA))
        with store_session(warehouse) as conn:
            sync_queue(conn, events)
        duck.close()

    return put


@pytest.fixture
def write_evidence(warehouse: Path) -> Callable[[dict], dict]:
    """Evidence files of an event row in its evidence folder, as the engine writes them: four
    JPEGs, a 3 s H.264 clip and event.json (with display names of the camera, zone and signal);
    the row comes back with ``evidence_sha256_json``, the digests the warehouse loaded."""

    def write(event: dict) -> dict:
        folder = warehouse / event["evidence_path"]
        folder.mkdir(parents=True)
        for index, name in enumerate(STILLS):
            (folder / name).write_bytes(_jpeg(index * 40))
        (folder / "clip.mp4").write_bytes(_clip())
        files = {name: {"sha256": _digest(folder / name)} for name in (*STILLS, "clip.mp4")}
        record = {
            "event_id": event["event_id"],
            "camera": {"id": event["camera_id"], "name": f"幸福路口 {event['camera_id']}"},
            "zone": {"id": event["zone_id"], "name": f"西侧人行横道 {event['zone_id']}"},
            "signal": {"id": event["signal_id"], "name": "行人信号灯（北）"}
            if event["signal_id"]
            else None,
            "evidence": {"files": files},
        }
        (folder / "event.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        digests = {name: _digest(folder / name) for name in (*STILLS, "clip.mp4", "event.json")}
        return {**event, "evidence_sha256_json": json.dumps(digests, sort_keys=True)}

    return write


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def events(queue_events, write_evidence) -> list[dict]:
    """Three queued events with evidence: 0 and 2 red-light crossings, 1 a wrong-way ride."""
    rows = [write_evidence(synthetic_event(i)) for i in range(3)]
    queue_events(rows)
    return rows


@pytest.fixture
def accounts(warehouse: Path) -> dict[str, str]:
    with store_session(warehouse) as conn:
        for name, role in ACCOUNTS.items():
            add_user(conn, name, role, PASSWORD)
    return ACCOUNTS


@pytest.fixture
def settings(warehouse: Path) -> ReviewSettings:
    return ReviewSettings(warehouse=warehouse, sync_enabled=False)


@pytest.fixture
def app(settings: ReviewSettings):
    return create_app(settings)


@pytest.fixture
def client(app, accounts):
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def login(app, accounts) -> Callable[..., TestClient]:
    """A new client logged in as ``name`` (from ``client_ip``)."""
    opened: list[TestClient] = []

    def log_in(name: str, client_ip: str = "203.0.113.7") -> TestClient:
        test_client = TestClient(app, follow_redirects=False, client=(client_ip, 50000))
        opened.append(test_client)
        response = post_login(test_client, name, PASSWORD)
        assert response.status_code == 303, response.text
        return test_client

    yield log_in
    for test_client in opened:
        test_client.close()


@pytest.fixture
def serve():
    """``serve(app)``: the app on a free loopback port, served by uvicorn in a thread as
    ``civility review serve`` serves it; the base URL. Stopped after the test."""
    with contextlib.ExitStack() as servers:
        yield lambda app: servers.enter_context(served_in_thread(app))


def post_login(test_client: TestClient, name: str, password: str):
    token = csrf_token(test_client.get("/login").text)
    form = {"username": name, "password": password, "csrf_token": token}
    return test_client.post("/login", data=form)


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def page_token() -> Callable[[str], str]:
    return csrf_token


@pytest.fixture
def log_in_with() -> Callable:
    return post_login


@functools.cache
def _jpeg(shade: int) -> bytes:
    return cv2.imencode(".jpg", _picture(shade))[1].tobytes()


@functools.cache
def _clip() -> bytes:
    """3 s at 10 frames/s, H.264 in MP4 (moov first, as the engine writes it)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clip.mp4"
        _write_clip(path, frames=30, fps=10)
        return path.read_bytes()


def _picture(shade: int) -> np.ndarray:
    image = np.full((120, 160, 3), shade, np.uint8)
    cv2.rectangle(image, (40, 30), (120, 90), (0, 0, 255), 3)
    return image


def _write_clip(path: Path, frames: int, fps: int) -> None:
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for index in range(frames):
            image = _picture(0)
            cv2.circle(image, (10 + index * 4, 60), 8, (255, 255, 255), -1)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")))
        container.mux(stream.encode(None))
