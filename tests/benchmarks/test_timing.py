"""The benchmarks' one clock: CPU time of this process or of its ended children, as asked."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.timing import CHILDREN, SELF, Clock, cpu_s, peak_rss_mb

BUSY_CHILD = [sys.executable, "-c", "sum(i * i for i in range(2_000_000))"]


def test_a_child_process_counts_only_where_children_are_asked_for():
    own, children, both = Clock(), Clock(CHILDREN), Clock(SELF, CHILDREN)
    before = cpu_s(CHILDREN)

    subprocess.run(BUSY_CHILD, check=True)

    child_cpu_s = cpu_s(CHILDREN) - before
    assert child_cpu_s > 0
    assert children.stop()["cpu_s"] == child_cpu_s
    assert both.stop()["cpu_s"] >= child_cpu_s
    assert own.stop()["cpu_s"] < both.stop()["cpu_s"]


def test_own_work_counts_in_this_process_and_not_in_its_children():
    own, children = Clock(), Clock(CHILDREN)

    sum(i * i for i in range(200_000))

    assert own.stop()["cpu_s"] > 0
    assert children.stop()["cpu_s"] == 0.0
    assert set(own.stop(3)) == {"wall_s", "cpu_s"}


def test_peak_memory_is_in_megabytes():
    data = b"x" * (64 * 2**20)  # written, so resident

    assert peak_rss_mb() >= len(data) / 2**20
