"""Copying new warehouse events into the queue in the background, at start-up and then every
``sync_interval_s``, so that no page ever waits for the warehouse."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
# A first sync of a large warehouse takes minutes. Shutting down does not wait for it: each batch
# of clips is one transaction, so a sync cut short (the thread is a daemon) loses nothing, and
# the next start carries on from the clips already copied.
STOP_WAIT_S = 5.0


class QueueSyncer:
    def __init__(self, sync: Callable[[], object], interval_s: float):
        self._sync, self._interval_s = sync, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="review-queue-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=STOP_WAIT_S)
        if self._thread.is_alive():
            log.warning("review queue sync still running; stopping without waiting for it")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                log.info("review queue synced: %s", self._sync())
            except Exception:
                # A warehouse being written to, or not there yet: the queue keeps what it has.
                log.exception("review queue sync failed; retrying in %s s", self._interval_s)
            if not self._interval_s or self._stop.wait(self._interval_s):
                return
