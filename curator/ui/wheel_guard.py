"""No changes by accident: the mouse wheel changes a box only when the box has focus.

Scrolling down a form with the wheel must not change the Type (or a number) that happens
to pass under the pointer. A guarded combo or spin box takes focus only by a click or Tab,
never by the wheel; until it has focus, the wheel scrolls the pane around it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """An event filter: a wheel over an unfocused box goes to the pane that scrolls."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False  # chosen on purpose: the wheel changes it
        area = _scrolling_parent(watched)
        if area is not None:
            QApplication.sendEvent(area.viewport(), event.clone())
            event.accept()
        else:
            event.ignore()  # nothing to scroll: the window around it may use it
        return True


def _scrolling_parent(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def guard(*widgets: QWidget) -> None:
    """Guard these boxes."""
    for widget in widgets:
        if getattr(widget, "_wheel_guard", None) is not None:
            continue
        widget._wheel_guard = WheelGuard(widget)
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not focused by the wheel
        widget.installEventFilter(widget._wheel_guard)


def guard_all(root: QWidget) -> None:
    """Guard every combo and spin box inside *root* (a pane or a dialog)."""
    guard(*(w for kind in GUARDED for w in root.findChildren(kind)))
