"""Board revisions: numbered, atomic, never overwritten."""

from __future__ import annotations

import json

import pytest

from analytics.board.revisions import (
    MANIFEST,
    board_revisions,
    claim_revision,
    publish_revision,
    revision_folder,
)


def write_manifest(content_hash: str):
    def write(folder, revision):
        record = {"published_at": f"t{revision}", "content_hash": content_hash}
        (folder / MANIFEST).write_text(json.dumps(record), encoding="utf-8")

    return write


def test_revisions_count_up_and_every_one_is_kept(tmp_path):
    first = publish_revision(tmp_path, "2026-W47", write_manifest("aaa"))
    second = publish_revision(tmp_path, "2026-W47", write_manifest("aaa"))
    assert first == revision_folder(tmp_path, "2026-W47", 1)
    assert second.name == "rev=002"
    assert [(r.revision, r.content_hash) for r in board_revisions(tmp_path)] == [
        (1, "aaa"),
        (2, "aaa"),
    ]
    assert (first / MANIFEST).is_file()


def test_a_failed_publication_leaves_nothing_and_frees_its_number(tmp_path):
    def fail(folder, revision):
        (folder / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        publish_revision(tmp_path, "2026-W47", fail)
    assert not revision_folder(tmp_path, "2026-W47", 1).exists()
    assert not any((tmp_path / ".staging").iterdir())
    assert publish_revision(tmp_path, "2026-W47", write_manifest("b")).name == "rev=001"


def test_a_number_claimed_by_a_killed_publisher_is_skipped_and_not_listed(tmp_path):
    assert claim_revision(tmp_path, "2026-W47") == 1  # then the publisher dies
    assert publish_revision(tmp_path, "2026-W47", write_manifest("c")).name == "rev=002"
    assert [r.revision for r in board_revisions(tmp_path, "2026-W47")] == [2]


def test_weeks_are_numbered_apart(tmp_path):
    publish_revision(tmp_path, "2026-W46", write_manifest("x"))
    assert publish_revision(tmp_path, "2026-W47", write_manifest("y")).name == "rev=001"
    assert [r.week for r in board_revisions(tmp_path)] == ["2026-W46", "2026-W47"]
