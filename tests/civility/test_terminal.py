"""Shared console helpers: a clip's progress without a terminal is plain lines on stderr."""

from __future__ import annotations

from civility.terminal import clip_progress


def test_without_a_terminal_progress_is_plain_lines_on_stderr(capsys):
    with clip_progress("detect clip.mp4", 10.0) as progress:
        progress(5.0)

    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == ""
    assert lines[0] == "detect clip.mp4: started, 10.0 s of video"
    assert lines[-1].startswith("detect clip.mp4: 5.0 of 10.0 s of video analysed (50%)")
    assert lines[-1].endswith("; done")
