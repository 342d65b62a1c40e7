"""Progress of a long detection as plain lines, for logs that have no terminal to draw a bar in.

A line comes every ``every_s`` seconds from a background thread, whatever the engine is doing
(loading the model, analysing frames, writing evidence), so a log that stays silent for longer
means the process is stuck or gone, never just busy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

DEFAULT_EVERY_S = 15.0


class ProgressLog:
    """Use as the engine's progress callback (clip seconds analysed) inside ``with``."""

    def __init__(
        self,
        what: str,
        total_s: float,
        write: Callable[[str], object],
        every_s: float = DEFAULT_EVERY_S,
    ):
        self.what = what
        self.total_s = total_s
        self.write = write
        self.every_s = every_s
        self.analysed_s = 0.0
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="progress-log", daemon=True)

    def __call__(self, analysed_s: float) -> None:
        self.analysed_s = analysed_s

    def line(self) -> str:
        elapsed_s = time.monotonic() - self._started
        share = self.analysed_s / self.total_s if self.total_s > 0 else 0.0
        speed = self.analysed_s / elapsed_s if elapsed_s > 0 else 0.0
        return (
            f"{self.what}: {self.analysed_s:.1f} of {self.total_s:.1f} s of video analysed "
            f"({share:.0%}) in {elapsed_s:.0f} s ({speed:.2f}x real time)"
        )

    def __enter__(self) -> ProgressLog:
        self._started = time.monotonic()
        self.write(f"{self.what}: started, {self.total_s:.1f} s of video")
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.write(self.line() + ("; stopped by an error" if error else "; done"))

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s):
            self.write(self.line())
