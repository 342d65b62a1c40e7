"""Stopping a demo run by its sessions: a task process that moved to its own process group and
outlived its parent (what Airflow's task processes do) is stopped; another session is not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run_processes.py"
# A "service" in a session of its own that starts a "task": the task leaves for a process group
# of its own and writes its pid; the service then waits to be killed.
SERVICE = """
import os, subprocess, sys, time
task = (
    "import os, sys, time; os.setpgid(0, 0); "
    "open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"
)
subprocess.Popen([sys.executable, "-c", task, sys.argv[1]])
time.sleep(600)
"""


def wait_for(path: Path) -> int:
    for _ in range(600):
        if path.is_file() and path.read_text():
            return int(path.read_text())
        time.sleep(0.05)
    raise TimeoutError(f"{path} never written")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_an_orphaned_task_in_its_own_group_is_stopped_with_its_session(tmp_path):
    service = subprocess.Popen(
        [sys.executable, "-c", SERVICE, str(tmp_path / "task.pid")], start_new_session=True
    )
    other = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True
    )
    try:
        task = wait_for(tmp_path / "task.pid")
        assert os.getpgid(task) == task != os.getpgid(service.pid)
        service.kill()  # the service dies first: its task is re-parented, still running
        service.wait()
        assert alive(task)

        listed = subprocess.run(
            [sys.executable, str(SCRIPT), "list", str(service.pid)], capture_output=True, text=True
        )
        stopped = subprocess.run(
            [sys.executable, str(SCRIPT), "stop", str(service.pid), "--grace-s", "10"],
            capture_output=True,
            text=True,
        )

        assert listed.stdout.split() == [str(task)]
        assert stopped.returncode == 0, stopped.stderr
        assert not alive(task)
        assert other.poll() is None  # another session is left alone
    finally:
        for process in (service, other):
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
