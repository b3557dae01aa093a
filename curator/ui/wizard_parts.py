"""Pieces the import wizard's steps share: the page ids, what a step may ask of the
wizard, wording helpers and the background job."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar

from curator.base.words import plural  # noqa: F401 (the import pages count with it)

PAGE_SOURCE, PAGE_COLUMNS, PAGE_PREVIEW, PAGE_RUN, PAGE_REPORT = range(5)

NOT_FETCHED_HINT = ("Pages not fetched yet keep their address and what the file said about "
                    "them. Fetch them later with Fetch again (File menu), or import the same "
                    "file again: nothing is added twice.")


class ImportHost(Protocol):
    """What the wizard's steps use of the wizard (so the steps need not import it)."""

    lib: Any
    ops: Any
    settings: Any
    preview: Any
    report: Any
    themes: list[tuple[str, str]]
    imported: SignalInstance

    def next(self) -> None: ...
    def currentId(self) -> int: ...  # noqa: N802 (Qt's name)
    def isVisible(self) -> bool: ...  # noqa: N802


def _big(label: QLabel, factor: float = 1.3, bold: bool = False) -> QLabel:
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    label.setFont(font)
    return label


def _text_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setAccessibleName(name)
    return label


def _busy_row(busy_name: str, state_name: str) -> tuple[QHBoxLayout, QProgressBar, QLabel]:
    """A row with a spinner (hidden until work starts) and a line saying what is going on."""
    row = QHBoxLayout()
    spinner = QProgressBar()
    spinner.setRange(0, 0)
    spinner.setMaximumWidth(90)
    spinner.setTextVisible(False)
    spinner.setAccessibleName(busy_name)
    spinner.hide()
    state = _text_label("", state_name)
    row.addWidget(spinner)
    row.addWidget(state, 1)
    return row, spinner, state


class _Job(QObject):
    """One background call with polled progress, for the import and the fetch steps.

    Signals: progressed(done, total, words), finished(result), failed(error).
    """

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, ops, parent=None):
        super().__init__(parent)
        self._ops = ops
        self.op = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        return self.op is not None and not self.op.done

    def start(self, fn, kind: str = "network", label: str = "",
              changes: str | None = None) -> None:
        def done(result):
            self._timer.stop()
            self._poll()
            self.finished.emit(result)

        def failed(error) -> bool:
            self._timer.stop()
            self.failed.emit(error)
            return True
        self.op = self._ops.run(fn, kind=kind, label=label, on_success=done,
                                on_failure=failed, changes=changes)
        if not self.op.done:
            self._timer.start()

    def cancel(self) -> None:
        if self.running:
            self.op.cancel()

    def _poll(self) -> None:
        if self.op is not None:
            ctx = self.op.ctx
            self.progressed.emit(ctx.done, ctx.total, ctx.text)
