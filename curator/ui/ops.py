"""Background work for the app: run a library call off the GUI thread, show progress,
allow cancel, and bring the result (or a readable error) back to the GUI thread.

Two executors, as the architecture asks: one single worker for SQLite writes and index
commits (so writes never race), and a small pool for the network. Results come back one
way only: a queued signal on a long-lived QObject.

Every write the app makes runs here, and this is the one place the app learns what changed:
before the work, on its worker thread, the runner takes a mark in the library's audit log
(:meth:`~curator.library.Library.change_mark`); after it, success or not, it reads what was
written since (:meth:`~curator.library.Library.changes_since`). Back on the GUI thread it
emits :attr:`Operations.changed` once with those :class:`~curator.storage.changes.Changes`,
after the work's own callback; the sidebar, the list, the table and the details pane all
refresh from that signal and nowhere else. Bulk work says ``changes="all"`` instead.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QStatusBar, QWidget

from curator.base.errors import Cancelled
from curator.storage.changes import EVERYTHING, Changes

DIALOG_DELAY_MS = 500
POLL_MS = 100


@dataclass
class OpContext:
    """Handed to the background function: it reports progress and checks for cancel."""

    label: str = ""
    done: int = 0
    total: int = 0
    text: str = ""
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self.done, self.total, self.text = done, total, text


class _Bridge(QObject):
    """Lives on the GUI thread; worker threads emit, Qt queues the call to the GUI thread."""

    finished = Signal(int, object, object)


class Op:
    """One piece of background work under way."""

    def __init__(self, token: int, ctx: OpContext, on_success, on_failure, show_progress):
        self.token = token
        self.ctx = ctx
        self.on_success = on_success
        self.on_failure = on_failure
        self.show_progress = show_progress
        self.started = time.monotonic()
        self.dialog: QProgressDialog | None = None
        self.done = False
        self.future: Future | None = None
        #: What the work changed, set on the worker thread before the result is handed over.
        self.changes: Changes | None = None

    def cancel(self) -> None:
        self.ctx.cancel()


class Operations(QObject):
    """Runs library calls in the background for one window.

    Signals:
        busy_changed(bool): whether any operation is under way.
        error(str, str): an operation failed; (message, details) for the error dialog.
        changed(Changes): an operation wrote to the library (emitted on the GUI thread,
            once per operation, after its on_success or on_failure).
    """

    busy_changed = Signal(bool)
    error = Signal(str, str)
    changed = Signal(object)

    def __init__(self, parent: QWidget, status_bar: QStatusBar | None = None,
                 network_workers: int = 4, library: Callable[[], Any] | None = None):
        super().__init__(parent)
        self._parent = parent
        self._status = status_bar
        #: The library whose audit log says what changed (the window's current one).
        self._library = library
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="curator-writer")
        self._network = ThreadPoolExecutor(network_workers, thread_name_prefix="curator-net")
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="curator-reader")
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._ops: dict[int, Op] = {}
        self._tokens = itertools.count(1)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        #: Tests set this to run everything on the calling thread, deterministically.
        self.synchronous = False
        self._closed = False

    # -- starting work ---------------------------------------------------------------------
    def run(self, fn: Callable[[OpContext], Any], *,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], bool | None] | None = None,
            kind: str = "write", label: str = "", show_progress: bool = False,
            changes: str | None = None) -> Op:
        """Run ``fn(ctx)`` in the background.

        *kind* picks the executor: "write" (database and index writes, one at a time),
        "network" (fetching, and writing what was fetched) or "read" (searches and long
        queries). *on_failure* may return True to say it handled the error; otherwise the
        error dialog shows it. With *show_progress*, the status bar shows *label* and a
        dialog with Cancel appears if the work takes longer than half a second.

        *changes* says how the work reports what it changed: "log" (read from the audit
        log; the default for writes and network work), "all" (bulk work: anything may have
        changed) or "none" (the default for reads, which change nothing).
        """
        ctx = OpContext(label=label)
        op = Op(next(self._tokens), ctx, on_success, on_failure, show_progress)
        if self._closed:  # the window is closing: start nothing new
            op.done = True
            return op
        self._ops[op.token] = op
        work = self._tracked(fn, op, changes or ("none" if kind == "read" else "log"))
        if self.synchronous:
            try:
                result, error = work(ctx), None
            except BaseException as exc:  # delivered like a background failure
                result, error = None, exc
            self._finish(op.token, result, error)
            return op
        executor = {"write": self._writer, "network": self._network, "read": self._reader}[kind]
        future: Future = executor.submit(work, ctx)
        op.future = future
        future.add_done_callback(lambda f, t=op.token: self._deliver(t, f))
        if show_progress and label and self._status is not None:
            self._status.showMessage(label + "…")
        if not self._timer.isActive():
            self._timer.start()
        self.busy_changed.emit(True)
        return op

    def _tracked(self, fn: Callable[[OpContext], Any], op: Op, how: str):
        """*fn* wrapped to note what it changed in ``op.changes`` (on the worker thread)."""
        if how == "none":
            return fn
        if how == "all" or self._library is None:
            def everything(ctx):
                try:
                    return fn(ctx)
                finally:
                    op.changes = EVERYTHING
            return everything
        if how != "log":
            raise ValueError(f"unknown changes {how!r}")
        lib = self._library()

        def logged(ctx):
            mark = lib.change_mark()
            try:
                return fn(ctx)
            finally:
                try:
                    op.changes = lib.changes_since(mark)
                except Exception:  # the library went away meanwhile: refresh it all
                    op.changes = EVERYTHING
        return logged

    def _deliver(self, token: int, future: Future) -> None:
        # Worker thread: hand over to the GUI thread through the queued signal.
        if future.cancelled():  # dropped unstarted as the window closed
            return
        error = future.exception()
        self._bridge.finished.emit(token, None if error else future.result(), error)

    # -- on the GUI thread -----------------------------------------------------------------
    def _finish(self, token: int, result: Any, error: BaseException | None) -> None:
        op = self._ops.pop(token, None)
        if op is None or self._closed:
            return
        op.done = True
        if op.dialog is not None:
            op.dialog.hide()
            op.dialog.deleteLater()
            op.dialog = None
        if self._status is not None and op.show_progress:
            self._status.clearMessage()
        if not self._ops:
            self._timer.stop()
            self.busy_changed.emit(False)
        try:
            self._callback(op, result, error)
        finally:
            if op.changes is not None and not op.changes.empty and not self._closed:
                self.changed.emit(op.changes)

    def _callback(self, op: Op, result: Any, error: BaseException | None) -> None:
        if error is None:
            if op.on_success is not None:
                op.on_success(result)
            return
        handled = op.on_failure(error) if op.on_failure is not None else None
        if handled or isinstance(error, Cancelled):
            return
        from curator.ui.errors import describe
        message, details = describe(error)
        self.error.emit(message, details)

    def _poll(self) -> None:
        now = time.monotonic()
        for op in list(self._ops.values()):
            if not op.show_progress:
                continue
            ctx = op.ctx
            if self._status is not None:
                counted = f" {ctx.done} of {ctx.total}" if ctx.total else ""
                self._status.showMessage(f"{ctx.label}…{counted} {ctx.text}".rstrip())
            if op.dialog is None and (now - op.started) * 1000 >= DIALOG_DELAY_MS:
                op.dialog = self._make_dialog(op)
            if op.dialog is not None:
                op.dialog.setMaximum(ctx.total or 0)
                op.dialog.setValue(min(ctx.done, ctx.total) if ctx.total else 0)
                if ctx.text:
                    op.dialog.setLabelText(f"{ctx.label}…\n{ctx.text}")

    def _make_dialog(self, op: Op) -> QProgressDialog:
        dialog = QProgressDialog(op.ctx.label + "…", "Cancel", 0, op.ctx.total or 0,
                                 self._parent)
        dialog.setWindowTitle("Curator")
        dialog.setAccessibleName(op.ctx.label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(op.cancel)
        dialog.show()
        return dialog

    def pending(self) -> int:
        return len(self._ops)

    def cancel_all(self) -> None:
        for op in self._ops.values():
            op.cancel()

    def shutdown(self, wait: bool = True, last: Callable[[], Any] | None = None) -> None:
        """Stop for good (the window is closing): ask all work to stop and wait for it.

        Reads and network work not started yet are dropped; writes already asked for still
        run (long ones see the cancel and stop early). *last* (closing the library) runs on
        the writer after them, so the GUI thread never writes, even when closing.
        """
        self._closed = True
        self.cancel_all()
        self._timer.stop()
        for ex in (self._network, self._reader):
            ex.shutdown(wait=wait, cancel_futures=True)
        if last is not None:
            self._writer.submit(last)
        self._writer.shutdown(wait=wait)
