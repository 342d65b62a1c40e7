"""Landing areas: which files are ready, fetching them with their SHA-256, removing them; on a
local folder and on an fsspec memory filesystem (what an object store looks like)."""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import UTC, datetime

import pytest
from upath import UPath

from orchestration.landing import (
    CLIP_SUFFIXES,
    copy_hashing,
    fetched,
    remove_from_landing,
    return_to_landing,
    settled_keys,
)

NOW = 1_800_000_000.0


def touch(path, data: bytes = b"clip", mtime: float = NOW - 3600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def memory_area():
    area = UPath(f"memory://landing-{uuid.uuid4().hex}")
    area.mkdir(parents=True)
    yield area
    area.fs.rm(area.path, recursive=True)


def test_clips_are_listed_by_key_in_order_with_their_folders(tmp_path):
    touch(tmp_path / "b.mp4")
    touch(tmp_path / "cam-01" / "a.MOV")
    touch(tmp_path / "a.json")
    touch(tmp_path / "notes.txt")

    assert settled_keys(tmp_path, CLIP_SUFFIXES, 60, NOW) == ["b.mp4", "cam-01/a.MOV"]


def test_hidden_files_and_folders_are_uploads_in_progress(tmp_path):
    touch(tmp_path / ".a.mp4")
    touch(tmp_path / ".upload" / "b.mp4")
    touch(tmp_path / "c.mp4")

    assert settled_keys(tmp_path, CLIP_SUFFIXES, 60, NOW) == ["c.mp4"]


def test_a_clip_or_sidecar_written_within_the_settle_time_waits(tmp_path):
    touch(tmp_path / "fresh.mp4", mtime=NOW - 59)
    touch(tmp_path / "old.mp4", mtime=NOW - 61)
    touch(tmp_path / "old-fresh-sidecar.mp4", mtime=NOW - 600)
    touch(tmp_path / "old-fresh-sidecar.json", mtime=NOW - 10)

    assert settled_keys(tmp_path, CLIP_SUFFIXES, 60, NOW) == ["old.mp4"]


def test_fetch_copies_clip_and_sidecar_and_hashes_the_clip(tmp_path):
    area = tmp_path / "landing"
    touch(area / "cam" / "x.mp4", b"footage")
    touch(area / "cam" / "x.json", b"{}")
    incoming = tmp_path / "incoming"

    with fetched(area, "cam/x.mp4", incoming) as clip:
        assert clip.key == "cam/x.mp4"
        assert clip.path.name == "x.mp4"
        assert clip.path.read_bytes() == b"footage"
        assert clip.sha256 == hashlib.sha256(b"footage").hexdigest()
        assert clip.sidecar.read_bytes() == b"{}"
        assert clip.modified_at == datetime.fromtimestamp(NOW - 3600, UTC)
        folder = clip.path.parent

    assert not folder.exists()
    assert (area / "cam" / "x.mp4").exists()  # fetching never touches the landing area


def test_a_clip_without_sidecar_fetches_none(tmp_path):
    touch(tmp_path / "x.mp4")

    with fetched(tmp_path, "x.mp4", tmp_path / "incoming") as clip:
        assert clip.sidecar is None


def test_fetch_folders_left_by_killed_tasks_are_cleared_a_day_later(tmp_path):
    incoming = tmp_path / "incoming"
    stale, recent = incoming / "fetch-stale", incoming / "fetch-recent"
    for folder, age_s in ((stale, 25 * 3600), (recent, 3600)):
        folder.mkdir(parents=True)
        mtime = os.stat(folder).st_mtime - age_s
        os.utime(folder, (mtime, mtime))
    touch(tmp_path / "x.mp4")

    with fetched(tmp_path, "x.mp4", incoming):
        pass

    assert not stale.exists()
    assert recent.exists()


def test_removing_takes_the_sidecar_along(tmp_path):
    touch(tmp_path / "x.mp4")
    touch(tmp_path / "x.json")
    touch(tmp_path / "y.mp4")

    remove_from_landing(tmp_path, "x.mp4")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["y.mp4"]


def test_an_object_store_area_lists_fetches_and_removes(memory_area, tmp_path):
    (memory_area / "cam-01").mkdir()
    (memory_area / "cam-01" / "x.mp4").write_bytes(b"footage")
    (memory_area / "cam-01" / "x.json").write_bytes(b"{}")

    keys = settled_keys(memory_area, CLIP_SUFFIXES, 60, NOW)
    with fetched(memory_area, keys[0], tmp_path) as clip:
        assert clip.path.read_bytes() == b"footage"
        assert clip.sidecar.read_bytes() == b"{}"
    remove_from_landing(memory_area, keys[0])

    assert keys == ["cam-01/x.mp4"]
    assert list((memory_area / "cam-01").iterdir()) == []


def test_a_file_returns_to_landing_under_its_key_with_the_suffix_given(memory_area, tmp_path):
    local = touch(tmp_path / "anything.tmp", b"footage")
    sidecar = touch(tmp_path / "other.tmp", b"{}")

    return_to_landing(memory_area, "cam-01/x.mp4", sidecar, ".json")
    return_to_landing(memory_area, "cam-01/x.mp4", local, ".mp4")

    assert (memory_area / "cam-01" / "x.mp4").read_bytes() == b"footage"
    assert (memory_area / "cam-01" / "x.json").read_bytes() == b"{}"


def test_copy_hashing_streams_any_size(tmp_path):
    data = bytes(range(256)) * 9000  # over 2 MB: more than one read
    touch(tmp_path / "big.bin", data)

    digest = copy_hashing(tmp_path / "big.bin", tmp_path / "copy.bin")

    assert digest == hashlib.sha256(data).hexdigest()
    assert (tmp_path / "copy.bin").read_bytes() == data
