"""Worker processes: always spawned, and never outliving the process that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curator.base import processes
from tests.support.processes import alive, still_running

ROOT = Path(__file__).resolve().parents[2]
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")


def test_a_pool_spawns_its_workers():
    with processes.WorkerPool(1) as pool:
        assert pool._mp_context.get_start_method() == "spawn"
        assert pool.submit(os.getpid).result(timeout=60) != os.getpid()


def test_cutting_the_lifeline_ends_a_busy_worker_by_itself():
    group = processes.Workers()
    proc = group.start(time.sleep, 600)
    deadline = time.monotonic() + 60
    while proc.pid is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # let the worker reach its sleep and its watchdog start
    group.close(wait=30)  # the watchdog ends it; terminate() would give -SIGTERM
    assert proc.exitcode == processes.ORPHAN_EXIT


CHILD = """
import os, sys, time
from curator.base.processes import WorkerPool, Workers
pool = WorkerPool(2)
pids = {pool.submit(os.getpid).result() for _ in range(4)}
group = Workers()
pids.add(group.start(time.sleep, 600).pid)
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(600)
"""


@POSIX_ONLY
def test_workers_end_when_their_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE)
    try:
        line = parent.stdout.readline()
        pids = [int(p) for p in line.split()]
        assert len(pids) >= 2 and all(alive(p) for p in pids)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        parent.stdout.close()
    assert still_running(pids, within=30) == []
