"""Tools › Themes and experts: add, rename and retire themes, set how often their
resources are reviewed, add experts and say who leads each theme.

The dialog decides nothing. Every change goes to the library on the writer thread
(:class:`~curator.ui.ops.Operations`); the core checks it (only a lead of a theme turns
four eyes on or off, appoints a lead or retires it; a theme keeps at least one lead) and
its reason for a refusal is shown here as it is. Every change is recorded with who made it
and when, and the theme's history is listed under it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from curator.base.errors import CuratorError
from curator.ui import wheel_guard


def _when(at: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(at).astimezone()
    except (TypeError, ValueError):
        return at or ""
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def history_line(event: dict) -> str:
    """One change to a theme as people read it: "2 Dec 2026, 14:03  Sam Patel made Priya
    Shah a lead" (the words are the core's)."""
    return f"{_when(event.get('at', ''))}  {event.get('words', '')}"


class ThemesDialog(QDialog):
    """Themes, their settings and people, and their history; changes go through *ops*."""

    def __init__(self, lib, ops, parent: QWidget | None = None):
        super().__init__(parent)
        self.lib, self.ops = lib, ops
        self.setWindowTitle("Themes and experts")
        self.setAccessibleName("Themes and experts")
        self.resize(960, 640)
        self._adding = False
        self._themes: list = []

        acting = lib.acting.name if lib.acting else "nobody yet"
        self.intro = intro = QLabel(f"You are working as <b>{acting}</b>. A theme's leads approve its "
                       "resources, appoint leads and deputies and decide whether four eyes "
                       "are on; deputies approve too. Anyone may add a member or change how "
                       "often it is reviewed.")
        intro.setWordWrap(True)

        self.theme_list = QListWidget()
        self.theme_list.setAccessibleName("Themes")
        self.theme_list.currentRowChanged.connect(self._theme_chosen)
        self.theme_list.setMinimumWidth(250)
        self.theme_list.setTextElideMode(Qt.TextElideMode.ElideRight)  # with a tooltip
        self.theme_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_theme = QPushButton("New theme…")
        self.new_theme.clicked.connect(self.start_adding)
        left = QVBoxLayout()
        left.addWidget(QLabel("Themes"))
        left.addWidget(self.theme_list, 1)
        left.addWidget(self.new_theme)

        self.code = QLineEdit()
        self.code.setAccessibleName("Theme code")
        self.code.setPlaceholderText("a short code, such as DA")
        self.code.setMaxLength(12)
        self.name = QLineEdit()
        self.name.setAccessibleName("Theme name")
        self.name.setPlaceholderText("such as Domestic abuse")
        self.review_months = QSpinBox()
        self.review_months.setRange(1, 120)
        self.review_months.setSuffix(" months")
        self.review_months.setAccessibleName("Review every")
        self.evidence_years = QSpinBox()
        self.evidence_years.setRange(0, 100)
        self.evidence_years.setSuffix(" years")
        self.evidence_years.setSpecialValueText("no limit")
        self.evidence_years.setAccessibleName("Flag research older than")
        self.four_eyes = QCheckBox("Four eyes: the approver must not be the person who "
                                   "clipped or last edited the resource")
        self.save = QPushButton("Save changes")
        self.save.setDefault(True)
        self.save.clicked.connect(self.save_theme)
        self.retire = QPushButton("Retire theme")
        self.retire.setToolTip("Stop offering it for new resources; its resources keep it")
        self.retire.clicked.connect(self.toggle_retired)
        form = QFormLayout()
        form.addRow("Code:", self.code)
        form.addRow("Name:", self.name)
        form.addRow("Review every:", self.review_months)
        form.addRow("Flag research older than:", self.evidence_years)
        form.addRow("", self.four_eyes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.retire)
        buttons.addStretch(1)
        form.addRow("", _wrap(buttons))
        self.theme_box = QGroupBox("Theme")
        self.theme_box.setLayout(form)

        self.people = QListWidget()
        self.people.setAccessibleName("People on this theme")
        self.person = QComboBox()
        self.person.setAccessibleName("Expert")
        self.make_lead = QPushButton("Make lead")
        self.make_lead.setToolTip("Leads approve the theme's resources and appoint leads "
                                  "and deputies")
        self.make_deputy = QPushButton("Make deputy")
        self.make_deputy.setToolTip("Deputies approve the theme's resources when a lead is "
                                    "away; only a lead appoints")
        self.make_member = QPushButton("Make member")
        self.take_off = QPushButton("Take off the theme")
        for button, role in ((self.make_lead, "lead"), (self.make_deputy, "deputy"),
                             (self.make_member, "member"), (self.take_off, None)):
            button.clicked.connect(lambda _=False, r=role: self.set_role(r))
        self.people.currentRowChanged.connect(self._person_chosen)
        self.new_expert = QLineEdit()
        self.new_expert.setAccessibleName("New expert's name")
        self.new_expert.setPlaceholderText("Full name of a new expert")
        self.add_expert_button = QPushButton("Add expert")
        self.add_expert_button.clicked.connect(self.add_expert)
        self.new_expert.returnPressed.connect(self.add_expert)
        roles = QHBoxLayout()
        roles.addWidget(self.person, 1)
        for button in (self.make_lead, self.make_deputy, self.make_member, self.take_off):
            roles.addWidget(button)
        people = QVBoxLayout()
        people.addWidget(self.people, 1)
        people.addLayout(roles)
        self.people_box = QGroupBox("People on this theme")
        self.people_box.setLayout(people)

        self.history = QListWidget()
        self.history.setAccessibleName("What changed, who and when")
        self.history.setWordWrap(True)
        history = QVBoxLayout()
        history.addWidget(self.history)
        self.history_box = QGroupBox("What changed, who and when")
        self.history_box.setLayout(history)

        left.addSpacing(12)
        left.addWidget(QLabel("A new expert:"))
        left.addWidget(self.new_expert)
        left.addWidget(self.add_expert_button)
        right = QVBoxLayout()
        right.addWidget(self.theme_box)
        right.addWidget(self.people_box, 1)
        right.addWidget(self.history_box, 1)
        middle = QHBoxLayout()
        middle.addLayout(left, 2)
        middle.addLayout(right, 5)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        wheel_guard.guard_all(self)
        self.reload()

    # -- showing ---------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        """Read the themes and experts again and show *keep* (else the current one)."""
        keep = keep or self.current_code()
        self._themes = self.lib.themes()
        self.theme_list.blockSignals(True)
        self.theme_list.clear()
        for theme in self._themes:
            text = f"{theme.code}  {theme.name}" + ("" if theme.active else "  (retired)")
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, theme.code)
            self.theme_list.addItem(item)
        self.theme_list.blockSignals(False)
        self.person.clear()
        for expert in self.lib.experts(include_inactive=False):
            self.person.addItem(expert.name)
        codes = [t.code for t in self._themes]
        row = codes.index(keep) if keep in codes else (0 if codes else -1)
        self._adding = False
        self.theme_list.setCurrentRow(row)
        self._theme_chosen(row)

    def current_code(self) -> str | None:
        item = self.theme_list.currentItem()
        return None if self._adding or item is None else item.data(Qt.ItemDataRole.UserRole)

    def _theme_chosen(self, row: int) -> None:
        if row < 0 or row >= len(self._themes):
            return
        self._adding = False
        theme = self._themes[row]
        self.theme_box.setTitle(f"Theme {theme.code}")
        self.code.setText(theme.code)
        self.code.setReadOnly(True)
        self.code.setToolTip("A theme's code stays as it is: bundles and links use it")
        self.name.setText(theme.name)
        self.review_months.setValue(theme.review_months)
        self.evidence_years.setValue(theme.evidence_years or 0)
        self.four_eyes.setChecked(theme.four_eyes)
        self.save.setText("Save changes")
        self.retire.setEnabled(True)
        self.retire.setText("Retire theme" if theme.active else "Restart theme")
        self.people.clear()
        for name in theme.leads:
            self.people.addItem(f"{name} — lead")
        for name in theme.deputies:
            self.people.addItem(f"{name} — deputy")
        for name in theme.members:
            self.people.addItem(f"{name} — member")
        if not theme.leads:
            self.people.addItem("No lead yet: anyone may make someone its lead.")
        for widget in (self.people_box, self.history_box):
            widget.setEnabled(True)
        self.history.clear()
        for event in reversed(self.lib.theme_history(theme.code)):
            self.history.addItem(history_line(event))

    def _person_chosen(self, row: int) -> None:
        item = self.people.item(row) if row >= 0 else None
        name = item.text().rsplit(" — ", 1)[0] if item and " — " in item.text() else None
        if name and self.person.findText(name) >= 0:
            self.person.setCurrentIndex(self.person.findText(name))

    def start_adding(self) -> None:
        """Clear the form for a new theme."""
        self._adding = True
        self.theme_list.clearSelection()
        self.theme_box.setTitle("New theme")
        self.code.setReadOnly(False)
        self.code.setToolTip("")
        self.code.clear()
        self.name.clear()
        self.review_months.setValue(self.lib.preferences.default_review_months)
        self.evidence_years.setValue(5)
        self.four_eyes.setChecked(False)
        self.save.setText("Add theme")
        self.retire.setText("Retire theme")
        self.retire.setEnabled(False)
        self.people.clear()
        self.history.clear()
        for widget in (self.people_box, self.history_box):
            widget.setEnabled(False)
        self.code.setFocus()

    def say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4262c; font-weight: bold;" if problem else "")
        self.message.setAccessibleDescription("Not done" if problem else "Done")
        self.message.show()

    # -- changing (on the writer thread; the core decides) ---------------------------------
    def _write(self, work, done_text: str, keep=None) -> None:
        def ok(result):
            code = keep(result) if callable(keep) else keep
            self.reload(code)
            self.say(done_text)

        def failed(error) -> bool:
            if isinstance(error, CuratorError):  # the form keeps what was typed
                self.say(error.message, problem=True)
                return True
            return False
        self.ops.run(lambda ctx: work(), on_success=ok, on_failure=failed)

    def save_theme(self) -> None:
        lib = self.lib
        values = {"name": self.name.text(), "review_months": self.review_months.value(),
                  "evidence_years": self.evidence_years.value() or None,
                  "four_eyes": self.four_eyes.isChecked()}
        if self._adding:
            code = self.code.text().strip()
            self._write(lambda: lib.add_theme(code, values.pop("name"), **values),
                        f"Added the theme {code.upper()}.", keep=lambda t: t.code)
            return
        code = self.current_code()
        if code is None:
            return
        theme = next(t for t in self._themes if t.code == code)
        changes = {k: v for k, v in values.items() if getattr(theme, k) != v}
        if not changes:
            self.say("Nothing to save: that is how it is already.")
            return
        self._write(lambda: lib.edit_theme(code, **changes), f"Saved the changes to {code}.",
                    keep=code)

    def toggle_retired(self) -> None:
        code, lib = self.current_code(), self.lib
        if code is None:
            return
        theme = next(t for t in self._themes if t.code == code)
        restart = not theme.active
        self._write(lambda: lib.retire_theme(code, active=restart),
                    f"{code} is offered again for new resources." if restart else
                    f"{code} is retired: it is no longer offered for new resources; its "
                    f"resources keep it.", keep=code)

    def set_role(self, role: str | None) -> None:
        code, lib, name = self.current_code(), self.lib, self.person.currentText()
        if code is None or not name:
            self.say("Choose a theme and an expert first.", problem=True)
            return
        text = (f"{name} is now a {role} of {code}." if role
                else f"{name} is no longer on {code}.")
        self._write(lambda: lib.set_theme_role(code, name, role), text, keep=code)

    def add_expert(self) -> None:
        name, lib, code = self.new_expert.text(), self.lib, self.current_code()

        def done(expert):
            self.new_expert.clear()
            return code
        self._write(lambda: lib.add_expert(name),
                    f"Added {' '.join(name.split())}. Choose a theme, then choose them "
                    f"under People on this theme to make them a lead or member.", keep=done)


def _wrap(layout) -> QWidget:
    box = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    box.setLayout(layout)
    return box


def open_dialog(window) -> ThemesDialog:
    """Open Tools › Themes and experts over the main window."""
    dialog = ThemesDialog(window.lib, window.ops, window)
    window.themes_dialog = dialog
    dialog.open()
    return dialog


def attach(window) -> None:
    """Add Tools › Themes and experts… to the main window's menu."""
    from PySide6.QtGui import QAction
    action = QAction("T&hemes and experts…", window)
    action.setObjectName("themes-and-experts")
    action.setToolTip("Add, rename and retire themes, add experts and say who leads each")
    action.setStatusTip(action.toolTip())
    action.triggered.connect(lambda: open_dialog(window))
    window.act_themes = action
    menu = next((a.menu() for a in window.menuBar().actions()
                 if a.text().replace("&", "") == "Tools"), None)
    if menu is not None:
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, action)
        menu.insertSeparator(first)
