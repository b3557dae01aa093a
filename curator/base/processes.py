"""Worker processes that end with the process that started them, however it ends.

Every process the core starts for heavy work comes from here, always with ``spawn`` (a
fresh interpreter: no copy of the parent's threads, locks, SQLite connections or Qt
state, and the same on Windows, macOS and Linux)::

    with WorkerPool(2) as pool:               # concurrent.futures, for independent calls
        future = pool.submit(read_page, body)

    group = Workers()                          # long-lived workers fed through queues
    proc = group.start(build_segments, folder, jobs, results)
    ...
    group.close()

Each worker watches its parent. If the parent dies (a crash, a kill, even SIGKILL), the
worker ends by itself instead of living on as an orphan: on Linux the kernel sends it
SIGKILL at once (``prctl(PR_SET_PDEATHSIG)``); everywhere a watchdog thread in the
worker ends it within about a second when the "lifeline" pipe from the parent closes (the
operating system closes it when the parent dies) or, on Linux and macOS, when its
parent process changes. Use :func:`context` for the queues and pipes workers share.
Targets and initialisers must be module-level functions (spawn imports them by name), and
a script that starts workers needs the ``if __name__ == "__main__":`` guard.

On Linux the kernel's "parent" is the *thread* that started the worker: start, use and
close a pool or group on one thread that outlives it (the core's callers do: each long
call makes its pool and closes it before it returns).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.process import BaseProcess

#: How often a worker's watchdog looks at its parent, in seconds.
WATCH_EVERY = 1.0
#: The exit code of a worker that ended because its parent had gone.
ORPHAN_EXIT = 3
_PR_SET_PDEATHSIG = 1


def context():
    """The one multiprocessing context of the core: ``spawn``."""
    return multiprocessing.get_context("spawn")


def _parent_gone(parent_pid: int) -> bool:
    # On Windows a process keeps its parent's pid when the parent dies: the pipe tells.
    return os.name != "nt" and os.getppid() != parent_pid


def _watch(parent_pid: int, lifeline) -> None:
    while True:
        try:
            if lifeline.poll(WATCH_EVERY):
                lifeline.recv()  # the parent never writes: only the pipe's end arrives
        except (EOFError, OSError):
            os._exit(ORPHAN_EXIT)
        if _parent_gone(parent_pid):
            os._exit(ORPHAN_EXIT)


def die_with_parent(parent_pid: int, lifeline) -> None:
    """In a worker: make sure this process ends as soon as its parent has gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if _parent_gone(parent_pid):  # it died before the line above took effect
        os._exit(ORPHAN_EXIT)
    threading.Thread(target=_watch, args=(parent_pid, lifeline), daemon=True,
                     name="curator-parent-watch").start()


def _pool_worker_start(parent_pid: int, lifeline, initializer, initargs) -> None:
    die_with_parent(parent_pid, lifeline)
    if initializer is not None:
        initializer(*initargs)


def _worker_main(parent_pid: int, lifeline, target, args) -> None:
    die_with_parent(parent_pid, lifeline)
    target(*args)


class WorkerPool(ProcessPoolExecutor):
    """A :class:`~concurrent.futures.ProcessPoolExecutor` of spawned, watched workers."""

    def __init__(self, max_workers: int, initializer: Callable | None = None,
                 initargs: tuple = ()):
        self._lifeline_in, self._lifeline = context().Pipe(duplex=False)
        super().__init__(max_workers, mp_context=context(), initializer=_pool_worker_start,
                         initargs=(os.getpid(), self._lifeline_in, initializer, initargs))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        self._lifeline.close()
        self._lifeline_in.close()


class Workers:
    """A group of spawned, watched worker processes sharing one lifeline."""

    def __init__(self) -> None:
        self._lifeline_in, self._lifeline = context().Pipe(duplex=False)
        self.processes: list[BaseProcess] = []

    def start(self, target: Callable, *args, name: str | None = None) -> BaseProcess:
        """Start ``target(*args)`` in a new worker process (a daemon of this one)."""
        proc = context().Process(target=_worker_main, name=name, daemon=True,
                                 args=(os.getpid(), self._lifeline_in, target, args))
        proc.start()
        self.processes.append(proc)
        return proc

    def close(self, wait: float = 0.0) -> None:
        """Cut the lifeline, give the workers *wait* seconds to end, then stop the rest.

        A worker still busy when the lifeline goes ends within about a second by itself.
        """
        self._lifeline.close()
        deadline = time.monotonic() + max(0.0, wait)
        for proc in self.processes:
            proc.join(timeout=max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=5)
        self._lifeline_in.close()
