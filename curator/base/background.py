"""The one way long work in the core reports progress and hears a cancel.

A long call takes ``cancel`` (asked between steps: True means stop now) and ``progress``
(told ``done, total, text`` as it goes). The app passes its operation's own; the command
line passes a Ctrl+C flag and a printer.

Inside, the call wraps the two in a :class:`Task`::

    task = Task(cancel, progress)
    for n, item in enumerate(items):
        if task.cancelled():
            break
        ...
        task.progress(n + 1, len(items), "Fetching")

The rest of the kit builds on it: :mod:`curator.base.hosts` runs network work politely,
a few requests per site at a time, and :mod:`curator.base.processes` starts worker
processes that end with the process that started them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

CancelFn = Callable[[], bool] | None
ProgressFn = Callable[[int, int, str], None] | None


class Task:
    """One piece of long work as the code doing it sees it: told to stop, telling how far.

    ``cancelled()`` is true once the caller's *cancel* has said so, or the work itself
    called :meth:`stop` (say, a link check that finds the computer offline); it stays
    true from then on, so every thread of the work sees the same answer. It may be asked
    from any thread. ``progress`` passes ``done, total, text`` on to the caller's
    *progress*, if there is one, on the thread that calls it.
    """

    def __init__(self, cancel: CancelFn = None, progress: ProgressFn = None):
        self._cancel = cancel
        self._progress = progress
        self._stopped = threading.Event()

    def cancelled(self) -> bool:
        if not self._stopped.is_set() and self._cancel is not None and self._cancel():
            self._stopped.set()
        return self._stopped.is_set()

    def stop(self) -> None:
        """Stop the work from inside: from now on ``cancelled()`` is true."""
        self._stopped.set()

    def progress(self, done: int, total: int, text: str = "") -> None:
        if self._progress is not None:
            self._progress(done, total, text)

    def stage(self, text: str) -> ProgressFn:
        """A progress function for one step of the work that always says *text*."""
        if self._progress is None:
            return None
        return lambda done, total, _text="": self.progress(done, total, text)
