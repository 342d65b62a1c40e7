"""Folders that appear whole: replaced by default, first-come for a shared cache."""

from __future__ import annotations

from detectors.atomic import staged_folder


def _stage(final, text, shared=False):
    with staged_folder(final, shared=shared) as staging:
        (staging / "content.txt").write_text(text)


def test_a_staged_folder_replaces_the_one_in_place(tmp_path):
    final = tmp_path / "out"
    _stage(final, "first")
    _stage(final, "second")

    assert (final / "content.txt").read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_shared_folder_lands_when_none_is_there(tmp_path):
    final = tmp_path / "cache"
    _stage(final, "first", shared=True)

    assert (final / "content.txt").read_text() == "first"


def test_a_shared_folder_keeps_the_copy_that_landed_first(tmp_path):
    final = tmp_path / "cache"
    _stage(final, "first", shared=True)
    _stage(final, "second", shared=True)

    assert (final / "content.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]  # the later copy is dropped


def test_staging_folders_are_leftovers_except_beside_a_shared_folder(tmp_path):
    in_progress = tmp_path / ".cache.partial-other"
    in_progress.mkdir()
    _stage(tmp_path / "cache", "mine", shared=True)
    assert in_progress.is_dir()  # another process may still be writing it

    _stage(tmp_path / "cache", "mine")
    assert not in_progress.exists()
