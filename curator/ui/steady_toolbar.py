"""A toolbar that stays put: its Undo button always reads "Undo".

The Edit menu's Undo names what it undoes ("Undo Edit audience, tags, type"); on the
toolbar that growing label pushed every button after it sideways. The toolbar's button
keeps one short word and tells the rest in its tooltip.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget


def undo_button_action(parent: QWidget, stack: QUndoStack) -> QAction:
    """An action for the toolbar: "Undo", enabled when there is something to undo, and
    its tooltip saying what ("Undo: Edit audience, tags, type (Ctrl+Z)")."""
    action = QAction("Undo", parent)
    action.setObjectName("toolbar-undo")

    def describe(text: str) -> None:
        # Only the signal's text: the stack may be going away with the window.
        tip = f"Undo: {text} (Ctrl+Z)" if text else "Undo the last change (Ctrl+Z)"
        action.setToolTip(tip)
        action.setStatusTip(tip)

    action.triggered.connect(stack.undo)
    stack.canUndoChanged.connect(action.setEnabled)
    stack.undoTextChanged.connect(describe)
    action.setEnabled(stack.canUndo())
    describe(stack.undoText())
    return action
