"""The clip store: registering under the clip id, records, what awaits analysis, forgetting."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from detectors.atomic import file_lock
from detectors.frames.source import ClipInfo
from orchestration.landing import Fetched
from orchestration.store import ClipStore, write_json
from orchestration.validate import AcceptedClip

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 16, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    return ClipStore(tmp_path / "store")


@pytest.fixture
def register(tmp_path, store, make_camera):
    """Register a fake clip (its bytes are ``content``) starting at ``start``, lasting 60 s."""

    def register_clip(content: bytes, start: datetime, sidecar: bool = False):
        folder = tmp_path / "fetch" / hashlib.sha256(content).hexdigest()[:6]
        folder.mkdir(parents=True)
        clip = folder / "cam_clip.mp4"
        clip.write_bytes(content)
        side = folder / "cam_clip.json" if sidecar else None
        if side:
            side.write_text("{}", encoding="utf-8")
        sha = hashlib.sha256(content).hexdigest()
        info = ClipInfo(clip, 640, 480, fps=10.0, frame_count=600)
        fetched = Fetched(f"landing/{content.decode()}.mp4", clip, sha, side, NOW)
        return store.register(fetched, AcceptedClip(info, make_camera(), start), NOW)

    return register_clip


def test_a_registered_clip_lives_under_its_id_with_its_record(store, register):
    record = register(b"a", MONDAY, sidecar=True)

    sha = hashlib.sha256(b"a").hexdigest()
    assert record.clip_id == sha[:16]
    assert record.sha256 == sha
    assert record.source == "landing/a.mp4"
    assert record.camera_id == "test-cam-01"
    assert record.duration_s == 60.0
    assert record.ended_at == MONDAY + timedelta(seconds=60)
    folder = store.clip_dir(record.clip_id)
    assert sorted(p.name for p in folder.iterdir()) == [
        "cam_clip.json",
        "cam_clip.mp4",
        "record.json",
    ]
    assert store.clip_path(record).read_bytes() == b"a"
    assert store.record(record.clip_id) == record


def test_an_unknown_clip_has_no_record(store):
    assert store.record("0123456789abcdef") is None


def test_pending_lists_clips_not_analysed_oldest_footage_first(store, register):
    late = register(b"late", MONDAY + timedelta(days=2))
    early = register(b"early", MONDAY)
    done = register(b"done", MONDAY + timedelta(days=1))
    store.mark_analysed(done.clip_id, {"load_id": "x"})

    assert store.pending() == [early.clip_id, late.clip_id]
    assert store.pending(limit=1) == [early.clip_id]


def test_marking_analysed_records_the_load_and_drops_the_staged_outputs(store, register):
    record = register(b"a", MONDAY)
    outputs = store.output_dir(record.clip_id)
    outputs.mkdir(parents=True)
    (outputs / "clip.parquet").write_bytes(b"x")

    store.mark_analysed(record.clip_id, {"load_id": "20261123T", "count_events": 2})

    assert store.analysed(record.clip_id) == {"load_id": "20261123T", "count_events": 2}
    assert not outputs.exists()


@pytest.mark.parametrize(
    ("offset_s", "is_in_backlog"),
    [
        (-61, False),  # ended just before the window
        (-30, True),  # overlaps its start
        (7 * 86400 - 1, True),  # starts in its last second
        (7 * 86400, False),  # starts as it ends
    ],
)
def test_backlog_holds_unanalysed_clips_overlapping_the_window(
    store, register, offset_s, is_in_backlog
):
    record = register(b"a", MONDAY + timedelta(seconds=offset_s))

    backlog = store.backlog(MONDAY, MONDAY + timedelta(days=7))

    assert backlog == ([record.clip_id] if is_in_backlog else [])


def test_an_analysed_clip_leaves_the_backlog(store, register):
    record = register(b"a", MONDAY)
    store.mark_analysed(record.clip_id, {})

    assert store.backlog(MONDAY, MONDAY + timedelta(days=7)) == []


def test_forgetting_removes_the_clip_and_its_outputs(store, register):
    record = register(b"a", MONDAY)
    store.output_dir(record.clip_id).mkdir(parents=True)

    store.forget(record.clip_id)

    assert store.record(record.clip_id) is None
    assert not store.output_dir(record.clip_id).exists()
    assert store.pending() == []


def test_json_is_replaced_whole(tmp_path):
    path = tmp_path / "a" / "doc.json"
    write_json(path, {"n": 1})
    write_json(path, {"n": 2, "at": NOW})

    assert (
        path.read_text(encoding="utf-8") == '{\n  "n": 2,\n  "at": "2026-11-23 08:00:00+00:00"\n}'
    )
    assert [p.name for p in path.parent.iterdir()] == ["doc.json"]


def test_a_failure_is_kept_and_counted_until_the_clip_is_analysed(store, register):
    record = register(b"a", MONDAY)

    store.record_failure(record.clip_id, {"stage": "detect", "error": "boom"})
    second = store.record_failure(record.clip_id, {"stage": "load", "error": "disk full"})

    assert second == {"stage": "load", "error": "disk full", "count_failures": 2}
    assert store.failures() == {record.clip_id: second}
    store.mark_analysed(record.clip_id, {"load_id": "x"})
    assert store.failure(record.clip_id) is None


def test_a_reanalysis_request_replaces_the_failure_and_goes_once_analysed(store, register):
    record = register(b"a", MONDAY)
    store.record_failure(record.clip_id, {"stage": "detect", "error": "boom"})

    store.request_reanalysis(record.clip_id, {"requested_at": NOW.isoformat()})

    assert store.failure(record.clip_id) is None
    assert store.reanalysis_request(record.clip_id) == {"requested_at": NOW.isoformat()}
    store.mark_analysed(record.clip_id, {"load_id": "x"})
    assert store.reanalysis_request(record.clip_id) is None


def test_the_previous_clip_is_the_same_cameras_last_before(store, register):
    first = register(b"first", MONDAY)
    second = register(b"second", MONDAY + timedelta(minutes=5))
    third = register(b"third", MONDAY + timedelta(minutes=10))

    assert store.previous_clip(third) == second
    assert store.previous_clip(first) is None


def test_the_footage_lock_lets_one_holder_in_at_a_time(store):
    path = store.root / ".locks" / f"{'a' * 16}.lock"
    with store.footage_lock("a" * 16), file_lock(path, wait=False) as is_free:
        assert not is_free
    with file_lock(path, wait=False) as is_free:
        assert is_free
