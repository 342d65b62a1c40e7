"""Progress lines for logs without a terminal: one on start, one per period whatever the engine
is doing, one at the end saying how it ended."""

from __future__ import annotations

import threading

import pytest

from detectors.progress import ProgressLog


def test_lines_keep_coming_while_the_engine_is_busy_and_end_with_the_outcome():
    lines: list[str] = []
    two_beats = threading.Event()

    def write(line: str) -> None:
        lines.append(line)
        if len(lines) >= 3:
            two_beats.set()

    with ProgressLog("detect clip c0ffee", 60.0, write, every_s=0.01) as progress:
        progress(12.0)
        assert two_beats.wait(timeout=30)  # lines come although progress stays at 12 s

    assert lines[0] == "detect clip c0ffee: started, 60.0 s of video"
    assert lines[1].startswith("detect clip c0ffee: 12.0 of 60.0 s of video analysed (20%) in ")
    assert lines[-1].endswith("; done")


def test_the_last_line_says_an_error_stopped_it():
    lines: list[str] = []

    with pytest.raises(RuntimeError), ProgressLog("detect", 10.0, lines.append, every_s=60):
        raise RuntimeError("model gone")

    assert lines[-1].endswith("; stopped by an error")
    assert len(lines) == 2
