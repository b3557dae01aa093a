"""Change the selected resources (Edit › Change N selected…, or right-click the list):
add or remove a theme or tags, set the type or who it is for, submit, approve, confirm
still valid, or retire, all at once.

The dialog decides nothing: the library's bulk service checks each resource by the same
rules as one at a time, does those it may, and says why it did not do the others, which
are listed here. The change runs on the writer thread as one undoable command, so one
Undo (Ctrl+Z) puts the whole change back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from curator.base.errors import CuratorError
from curator.catalogue.vocab import AUDIENCES, TYPES
from curator.ui import wheel_guard

#: (bulk action, what the person reads, which value it takes).
CHOICES = (
    ("add_themes", "Add a theme", "theme"),
    ("remove_themes", "Remove a theme", "theme"),
    ("add_tags", "Add tags", "tags"),
    ("remove_tags", "Remove tags", "tags"),
    ("set_type", "Set the type", "type"),
    ("set_audience", "Set who it is for", "audience"),
    ("submit", "Submit for approval", "nothing"),
    ("approve", "Approve for publishing", "nothing"),
    ("confirm", "Confirm still valid", "note"),
    ("retire", "Retire", "reason"),
)
#: How the Undo menu names each change ("Undo Submit 12 resources").
UNDO_WORDS = {"add_themes": "Add a theme to", "remove_themes": "Remove a theme from",
              "add_tags": "Tag", "remove_tags": "Untag", "set_type": "Set the type of",
              "set_audience": "Set who it is for on", "submit": "Submit",
              "approve": "Approve", "confirm": "Confirm", "retire": "Retire"}


def _plural(n: int) -> str:
    return f"{n} resource{'s' if n != 1 else ''}"


class BulkCommand(QUndoCommand):
    """One bulk action as one step on the undo stack.

    The result is kept on the writer thread as the work finishes, so an Undo asked for at
    once (queued behind it on the same thread) always finds what to put back."""

    def __init__(self, lib, ops, ids: list[str], action: str, value, options: dict,
                 on_result=None, on_failure=None, stack=None):
        super().__init__(f"{UNDO_WORDS.get(action, action)} {_plural(len(ids))}")
        self._lib, self._ops = lib, ops
        self._ids, self._action, self._value, self._options = list(ids), action, value, options
        self._result = None
        self._first = True
        self._on_result, self._on_failure = on_result, on_failure
        self._stack = stack

    def redo(self) -> None:
        lib = self._lib
        first, self._first = self._first, False

        def work(ctx):
            if first:
                self._result = lib.bulk(self._ids, self._action, self._value, **self._options)
            elif self._result is not None:
                self._result = lib.bulk_redo(self._result)
            return self._result

        def done(result) -> None:
            if first and (result is None or not result.done):
                self._drop()  # nothing was done: nothing to undo
            if self._on_result is not None:
                self._on_result(result, "done")

        def failed(error) -> bool:
            if first:
                self._drop()
            return bool(self._on_failure and self._on_failure(error))
        self._ops.run(work, on_success=done, on_failure=failed)

    def _drop(self) -> None:
        """Leave the undo stack: nothing was done, so Undo must not land here."""
        self.setObsolete(True)
        stack = self._stack
        if stack is not None and stack.index() == stack.count() and stack.count() and \
                stack.command(stack.count() - 1) is self:
            stack.undo()  # an obsolete command is removed as it is undone, doing nothing

    def undo(self) -> None:
        if self.isObsolete():
            return
        lib = self._lib

        def work(ctx):
            return lib.bulk_undo(self._result) if self._result is not None else None

        def done(result) -> None:
            if result is not None and self._on_result is not None:
                self._on_result(result, "undone")
        self._ops.run(work, on_success=done)


class BulkDialog(QDialog):
    """Choose one change for the selected resources, apply it, and see what was refused."""

    applied = Signal(object)

    def __init__(self, window, ids: list[str]):
        super().__init__(window)
        self.w, self.lib, self.ids = window, window.lib, list(ids)
        n = len(self.ids)
        self.setWindowTitle(f"Change {_plural(n)}")
        self.setAccessibleName(f"Change {_plural(n)}")
        self.resize(620, 480)

        intro = QLabel(f"Change the <b>{_plural(n)}</b> you selected. Each one is checked "
                       "as if you changed it on its own: any that cannot be changed are "
                       "listed below with the reason, and the rest are done. Undo (Ctrl+Z) "
                       "puts the whole change back.")
        intro.setWordWrap(True)
        self.action = QComboBox()
        self.action.setAccessibleName("What to do")
        for key, label, _ in CHOICES:
            self.action.addItem(label, key)

        self.values = QStackedWidget()
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for theme in self.lib.themes(include_inactive=False):
            self.theme.addItem(f"{theme.code} — {theme.name}", theme.code)
        self.tags = QLineEdit()
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("one or more tags, separated by commas")
        self._complete_tags()
        self.type = QComboBox()
        self.type.setAccessibleName("Type")
        for name in TYPES:
            self.type.addItem(name.capitalize(), name)
        audience = QWidget()
        boxes = QVBoxLayout(audience)
        boxes.setContentsMargins(0, 0, 0, 0)
        self.audience = {}
        for name in AUDIENCES:
            box = QCheckBox(name.capitalize())
            self.audience[name] = box
            boxes.addWidget(box)
        nothing = QLabel("Each is checked first: the personal-data check, and for approval "
                         "that you lead its theme (and four eyes, where the theme asks).")
        nothing.setWordWrap(True)
        nothing.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("an optional note, kept with each review")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("why they are retired (kept with each one's history)")
        self._pages = {}
        for kind, widget in (("theme", self.theme), ("tags", self.tags), ("type", self.type),
                             ("audience", audience), ("nothing", nothing),
                             ("note", self.note), ("reason", self.reason)):
            page = QWidget()  # each control at its own height, at the top of the page
            column = QVBoxLayout(page)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            column.addStretch(1)
            self._pages[kind] = self.values.addWidget(page)
        self.value_label = QLabel()
        self.action.currentIndexChanged.connect(self._action_chosen)

        form = QFormLayout()
        form.addRow("What to do:", self.action)
        form.addRow(self.value_label, self.values)

        self.apply = QPushButton(f"Change {_plural(n)}")
        self.apply.setDefault(True)
        self.apply.clicked.connect(self.run)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What was done")
        self.refusals = QListWidget()
        self.refusals.setAccessibleName("Not changed, and why")
        self.refusals.setWordWrap(True)
        self.refusals.setSpacing(3)
        self.refusals.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.apply, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.summary)
        layout.addWidget(self.refusals, 1)
        layout.addStretch(0)
        layout.addWidget(close)
        wheel_guard.guard_all(self)
        self._action_chosen(0)

    def _complete_tags(self) -> None:
        try:
            from curator.ui.sidebar_lists import TagCompleter
            completer = TagCompleter(self)
            completer.set_tags(self.lib.tag_completions())
            self.tags.setCompleter(completer)
        except (ImportError, AttributeError, CuratorError):
            pass  # completion is a help, never a reason not to open

    def _action_chosen(self, index: int) -> None:
        key, label, kind = CHOICES[max(index, 0)]
        self.values.setCurrentIndex(self._pages[kind])
        self.value_label.setText({"theme": "Theme:", "tags": "Tags:", "type": "Type:",
                                  "audience": "Who it is for:", "nothing": "",
                                  "note": "Note:", "reason": "Reason:"}[kind])

    def choose(self, action: str) -> None:
        """Pick the action (for the menu's shortcuts and tests)."""
        self.action.setCurrentIndex(self.action.findData(action))

    def chosen(self) -> tuple[str, object, dict]:
        key, _, kind = CHOICES[self.action.currentIndex()]
        value, options = None, {}
        if kind == "theme":
            value = self.theme.currentData()
        elif kind == "tags":
            value = self.tags.text()
        elif kind == "type":
            value = self.type.currentData()
        elif kind == "audience":
            value = [name for name, box in self.audience.items() if box.isChecked()]
        elif kind == "note":
            options["note"] = self.note.text()
        elif kind == "reason":
            options["reason"] = self.reason.text()
        return key, value, options

    def run(self) -> None:
        action, value, options = self.chosen()
        self.apply.setEnabled(False)
        self.summary.setText("Working…")
        command = BulkCommand(self.lib, self.w.ops, self.ids, action, value, options,
                              on_result=self._finished, on_failure=self._refused,
                              stack=self.w.undo_stack)
        self.w.undo_stack.push(command)

    def _finished(self, result, how: str) -> None:
        self.w.statusBar().showMessage(result.summary(), 8000)
        if not self.isVisible():
            return
        self.apply.setEnabled(True)
        self.show_result(result)
        self.applied.emit(result)

    def _refused(self, error) -> bool:
        if not isinstance(error, CuratorError):
            return False
        self.apply.setEnabled(True)
        self.summary.setText(error.message)
        self.summary.setStyleSheet("color: #a4262c; font-weight: bold;")
        return True

    def show_result(self, result) -> None:
        self.summary.setStyleSheet("font-weight: bold;")
        self.summary.setText(result.summary())
        self.refusals.clear()
        for refusal in result.refused:
            item = QListWidgetItem(f"{refusal.title}\n    {refusal.reason}")
            item.setToolTip(refusal.reason)
            self.refusals.addItem(item)
        self.refusals.setVisible(bool(result.refused))


def open_dialog(window) -> BulkDialog | None:
    ids = window.selected_ids()
    if not ids:
        window.statusBar().showMessage("Select the resources to change first.", 4000)
        return None
    dialog = BulkDialog(window, ids)
    window.bulk_dialog = dialog
    dialog.open()
    return dialog


def attach(window) -> QAction:
    """Edit › Change N selected… (also on the list's right-click menu), named for the
    selection and enabled when something is selected."""
    action = QAction("C&hange the selected resources…", window)
    action.setObjectName("change-selected")
    action.setShortcut(QKeySequence("Ctrl+Shift+G"))
    action.setToolTip("Add a theme or tags, set the type, submit, approve, confirm or "
                      "retire every selected resource at once (Ctrl+Shift+G)")
    action.setStatusTip(action.toolTip())
    action.triggered.connect(lambda: open_dialog(window))
    window.act_change_selected = action

    def named() -> None:
        n = len(window.selected_ids())
        action.setEnabled(n > 0)
        action.setText(f"C&hange {n} selected…" if n else "C&hange the selected resources…")
    window.table.selectionModel().selectionChanged.connect(lambda *_: named())
    named()
    menu = next((a.menu() for a in window.menuBar().actions()
                 if a.text().replace("&", "") == "Edit"), None)
    if menu is not None:
        menu.insertAction(window.act_delete, action)
    table = window.table
    if table.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for a in (action, window.act_refetch, window.act_delete, window.act_restore):
            table.addAction(a)
    return action
