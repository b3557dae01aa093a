"""Pieces the import wizard's steps share: wording helpers and the background job."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

NOT_FETCHED_HINT = ("Pages not fetched yet keep their address and what the file said about "
                    "them. Fetch them later with Fetch again (File menu), or import the same "
                    "file again: nothing is added twice.")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


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

    def start(self, fn, kind: str = "network", label: str = "") -> None:
        def done(result):
            self._timer.stop()
            self._poll()
            self.finished.emit(result)

        def failed(error) -> bool:
            self._timer.stop()
            self.failed.emit(error)
            return True
        self.op = self._ops.run(fn, kind=kind, label=label, on_success=done,
                                on_failure=failed)
        if not self.op.done:
            self._timer.start()

    def cancel(self) -> None:
        if self.running:
            self.op.cancel()

    def _poll(self) -> None:
        if self.op is not None:
            ctx = self.op.ctx
            self.progressed.emit(ctx.done, ctx.total, ctx.text)
