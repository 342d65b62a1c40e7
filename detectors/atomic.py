"""Files and folders that appear whole or not at all: the evidence of an event, the outputs of a
clip, a report, an imported accident file.

A folder is built under a hidden name beside its final place, flushed to disk, and renamed into
place; a run killed half-way leaves only a hidden staging folder, removed by the next run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[Path], T]) -> T:
    """Call ``write(temp_path)`` then rename the temp file over ``path``: whole or not at all.
    Returns what ``write`` returned (e.g. how many rows it wrote)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.partial-*"):  # left by a killed import
        stale.unlink(missing_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.partial-", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        written = write(temp)
        temp.chmod(0o644)  # mkstemp makes it private; the review app and board read it too
        with temp.open("rb") as flushed:
            os.fsync(flushed.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return written


@contextmanager
def staged_folder(final: Path, shared: bool = False) -> Iterator[Path]:
    """Yield an empty staging folder: on success it replaces ``final``, on error it is removed.

    ``shared``: a cache folder that several processes may make at once, all alike. Staging
    folders beside it may then be another process's work in progress, not leftovers, and the
    first copy to land stays (another process may be reading it); later copies are dropped.
    """
    parent, name = final.parent, final.name
    parent.mkdir(parents=True, exist_ok=True)
    if not shared:
        for stale in parent.glob(f".{name}.partial-*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=parent))
    try:
        yield staging
        staging.chmod(0o755)  # mkdtemp makes it private; readers such as the review app need it
        _fsync_tree(staging)
        if shared:
            _move_unless_there(staging, final)
        else:
            _swap_into_place(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def file_lock(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive OS lock (flock) on ``path`` inside the block; yield whether it is held
    (always, when ``wait``). The kernel releases it when its holder dies, so a killed process
    leaves no stale lock; NFSv4 and CephFS honour it across machines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True


def _swap_into_place(staging: Path, final: Path) -> None:
    # A directory cannot be renamed over a non-empty one: retire the old folder first. A crash in
    # between leaves no folder under the final name, never a half-written one.
    retired = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    _fsync_path(final.parent)
    shutil.rmtree(retired, ignore_errors=True)


def _move_unless_there(staging: Path, final: Path) -> None:
    # rename() onto a non-empty directory fails, atomically: whoever lands first wins.
    try:
        staging.rename(final)
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
        shutil.rmtree(staging, ignore_errors=True)
        return
    _fsync_path(final.parent)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        _fsync_path(path)
    _fsync_path(folder)


def _fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
