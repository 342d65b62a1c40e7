"""The processes of one demo run, and stopping all of them and nothing else.

The demo scripts start every service in a session of its own (``setsid``) and list the
sessions' ids in ``WORK/run.sessions``. A process keeps its session whatever happens to it:
Airflow's task processes move to process groups of their own (which a ``kill -- -PGID`` of the
service misses) and overwrite their environment with their titles, and are re-parented to init
when their parent dies first, but they stay in the session they were born in. So the run's
processes are exactly those whose session is listed, and stopping the run reaches `detect` tasks
too.

    python scripts/run_processes.py list WORK/run.sessions
    python scripts/run_processes.py stop WORK/run.sessions [--grace-s 30]
    python scripts/run_processes.py stop 12345 12377        # these sessions only
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path


def session_of(pid: int) -> int | None:
    """The session id of a process (field 6 of /proc/PID/stat), None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
    return None if fields[0] == "Z" else int(fields[3])  # a zombie is already dead


def in_sessions(sessions: set[int]) -> list[int]:
    mine = {os.getpid(), os.getppid()}
    pids = (int(path.name) for path in Path("/proc").iterdir() if path.name.isdigit())
    return sorted(pid for pid in pids if pid not in mine and session_of(pid) in sessions)


def stop(sessions: set[int], grace_s: float) -> list[int]:
    """SIGTERM every process of the sessions at once, SIGKILL what is left after ``grace_s``."""
    pids = in_sessions(sessions)
    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while (left := in_sessions(sessions)) and time.monotonic() < deadline:
        time.sleep(0.5)
    _signal(left, signal.SIGKILL)
    return sorted(set(pids) | set(left))


def _signal(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # ended meanwhile
            os.kill(pid, sig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["list", "stop"])
    parser.add_argument("sessions", nargs="+", help="session ids, or a file of them")
    parser.add_argument("--grace-s", type=float, default=30.0)
    args = parser.parse_args()
    sessions = {
        int(word)
        for given in args.sessions
        for word in (given.split() if given.isdigit() else Path(given).read_text().split())
    }
    pids = in_sessions(sessions) if args.action == "list" else stop(sessions, args.grace_s)
    print(" ".join(map(str, pids)))
    if args.action == "stop" and (survivors := in_sessions(sessions)):
        sys.exit(f"still running after SIGKILL: {survivors}")


if __name__ == "__main__":
    main()
