"""What every benchmark measures its runs with: CPU time, wall time and peak RSS.

Other engineers share the cores, so wall time swings with their load; CPU time (all threads of
the process) swings far less. ``CHILDREN`` counts child processes that have ended and been
waited for (``subprocess.run`` waits), as getrusage does.
"""

from __future__ import annotations

import resource
import time

SELF = resource.RUSAGE_SELF
CHILDREN = resource.RUSAGE_CHILDREN


def cpu_s(*who: int) -> float:
    """User and system CPU seconds so far of this process (``SELF``, the default) and/or its
    ended children (``CHILDREN``)."""
    usages = [resource.getrusage(one) for one in who or (SELF,)]
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def peak_rss_mb(who: int = SELF) -> float:
    """Peak resident memory in MB of this process, or of its largest ended child."""
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


class Clock:
    """Wall time and CPU time (of ``who``: this process by default) since it was made."""

    def __init__(self, *who: int):
        self._who = who or (SELF,)
        self._wall = time.perf_counter()
        self._cpu = cpu_s(*self._who)

    def stop(self, ndigits: int | None = None) -> dict[str, float]:
        spent = {
            "wall_s": time.perf_counter() - self._wall,
            "cpu_s": cpu_s(*self._who) - self._cpu,
        }
        return spent if ndigits is None else {k: round(v, ndigits) for k, v in spent.items()}
