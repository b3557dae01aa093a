"""The details pane: read and edit one resource, and see its history.

Nothing typed is lost: each field is saved when the person leaves it (and the pane saves
before it shows another resource), through the window's undoable edit. The heading, why
the resource needs review and the steps to take stay in view above the scrolling form.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from curator.catalogue.vocab import AUDIENCES, HEALTH_LABELS, STATUS_LABELS, TYPES
from curator.ui import wheel_guard
from curator.ui.details_parts import (
    FETCH_LABEL,
    STEPS,
    LeaveWatcher,
    describe_event,
    line,
    stored,
    text_edit,
)
from curator.ui.details_page_facts import page_says

if TYPE_CHECKING:
    from curator.catalogue.resources import Resource

_LISTS = ("themes", "tags", "audience")


def _same(a, b, key: str) -> bool:
    """Equal as the library keeps them (lists in any order and case, text trimmed)."""
    if key in _LISTS:
        return sorted(str(x).casefold() for x in a or []) == \
            sorted(str(x).casefold() for x in b or [])
    return (a or "").strip() == (b or "").strip() if isinstance(a or "", str) else a == b


def _banner(name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setFrameShape(QLabel.Shape.StyledPanel)
    label.setMargin(6)
    label.hide()
    return label


class DetailsPane(QWidget):
    """Signals:
        commit_requested(str, dict, dict): resource id, changed fields, and the values
            they replace (so a change made elsewhere meanwhile is never overwritten).
        save_requested(str, dict, int): resource id, changed fields, version read.
        open_url(str): open the link in the browser.
        refetch_requested(str): fetch the page again.
        step_requested(str, str): resource id and a review or workflow step
            (confirm, accept_change, replace_link, submit, approve, send_back, retire,
            reinstate, restore).
    """

    commit_requested = Signal(str, dict, dict)
    save_requested = Signal(str, dict, int)
    step_requested = Signal(str, str)
    open_url = Signal(str)
    refetch_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumWidth(300)  # a small laptop still shows the table's main columns
        self.setAccessibleName("Resource details")
        self._resource: Resource | None = None
        self._committed: dict = {}  # saved from here, not yet seen stored
        # (resource id, what its link check found, more facts: a login, the team folder)
        self._words: tuple[str | None, str, list[str]] = (None, "", [])
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        # Always in view: what it is, why it needs attention, what to do.
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(8, 6, 8, 4)
        self.heading = QLabel("Choose a resource to see its details.")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        top_layout.addWidget(self.heading)
        self.reasons = _banner("Why this needs review")
        top_layout.addWidget(self.reasons)
        self.published_note = _banner("Published version")
        top_layout.addWidget(self.published_note)
        steps = QWidget()
        self._steps_layout = QGridLayout(steps)
        self._steps_layout.setContentsMargins(0, 0, 0, 0)
        self.step_buttons: dict[str, QPushButton] = {}
        for step, text, tip in STEPS:
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, s=step: self._step(s))
            self.step_buttons[step] = button
            button.hide()
        self.step_buttons["confirm"].setShortcut(QKeySequence("Ctrl+Return"))
        top_layout.addWidget(steps)
        outer.addWidget(top)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setAccessibleName("Resource fields")
        body = QWidget()
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)
        column = QVBoxLayout(body)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow pane
        self.title = line("Title")
        form.addRow("&Title", self.title)
        link_row = QHBoxLayout()
        self.link = QLineEdit()
        self.link.setReadOnly(True)
        self.link.setAccessibleName("Link")
        self.link.setToolTip("To change the link, use Replace link (it keeps the history)")
        self.open_button = QPushButton("&Open in browser")
        self.open_button.setAccessibleName("Open the link in your browser")
        self.open_button.clicked.connect(self._open)
        link_row.addWidget(self.link, 1)
        link_row.addWidget(self.open_button)
        form.addRow("Link", link_row)
        self.summary = text_edit("Summary")
        form.addRow("&Summary", self.summary)
        self.notes = text_edit("Why it matters for practice", 90)
        self.notes.setPlaceholderText("Your note on why this matters for practice")
        form.addRow("&Why it matters", self.notes)

        self.theme_boxes: dict[str, QCheckBox] = {}
        self._themes_widget = QWidget()
        self._themes_layout = QGridLayout(self._themes_widget)
        self._themes_layout.setContentsMargins(0, 0, 0, 0)
        form.addRow("Themes", self._themes_widget)
        self.tags = line("Tags, separated by commas")
        self.tags.setPlaceholderText("for example: coercive control, MARAC")
        form.addRow("T&ags", self.tags)
        self.type = QComboBox()
        self.type.setAccessibleName("Type")
        self.type.addItems([t.capitalize() for t in TYPES])
        wheel_guard.guard(self.type)  # the wheel changes it only once chosen
        form.addRow("T&ype", self.type)
        audience = QWidget()
        grid = QGridLayout(audience)
        grid.setContentsMargins(0, 0, 0, 0)
        self.audience_boxes: dict[str, QCheckBox] = {}
        for n, name in enumerate(AUDIENCES):
            box = QCheckBox(name.capitalize())
            box.setAccessibleName(f"Audience: {name}")
            self.audience_boxes[name] = box
            grid.addWidget(box, n, 0)
        form.addRow("Audience", audience)
        self.site = line("Site")
        form.addRow("Si&te", self.site)
        self.author = line("Author")
        form.addRow("Aut&hor", self.author)
        self.published = line("Published date")
        self.published.setPlaceholderText("YYYY-MM-DD")
        form.addRow("&Published", self.published)
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Status and dates")
        form.addRow("Status", self.facts)
        column.addLayout(form)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save changes")
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_button.setToolTip("Changes are saved as you leave each field; this saves "
                                    "now (Ctrl+S)")
        self.save_button.setAccessibleName("Save changes")
        self.save_button.clicked.connect(self.commit)
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setAccessibleName("Revert changes")
        self.revert_button.clicked.connect(self._revert)
        self.refetch_button = QPushButton("&Fetch again")
        self.refetch_button.setAccessibleName("Fetch the page again")
        self.refetch_button.clicked.connect(self._refetch)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refetch_button)
        column.addLayout(buttons)

        column.addWidget(QLabel("History"))
        self.history = QListWidget()
        self.history.setAccessibleName("History of changes")
        self.history.setMinimumHeight(80)
        column.addWidget(self.history)
        column.addStretch(1)

        # Leaving a field saves it; any change marks the pane as having unsaved edits.
        self._leave = LeaveWatcher(self)
        self._leave.left.connect(self.commit)
        for w in (self.title, self.tags, self.site, self.author, self.published):
            w.textEdited.connect(self._changed)
            w.editingFinished.connect(self.commit)  # Enter, or leaving the field
            w.installEventFilter(self._leave)  # leaving while a completion list shows
        for w in (self.summary, self.notes):
            w.textChanged.connect(self._changed)
            w.installEventFilter(self._leave)
        self.type.currentIndexChanged.connect(self._changed)
        self.type.activated.connect(lambda _i: self.commit())
        self.type.installEventFilter(self._leave)
        for box in self.audience_boxes.values():
            box.toggled.connect(self._changed)
            box.clicked.connect(lambda _c=False: self.commit())
        self.show_resource(None)

    def resizeEvent(self, event) -> None:
        """The summary and the note grow with a tall pane: room to read and write."""
        super().resizeEvent(event)
        height = event.size().height()
        for edit, share, least in ((self.summary, 8, 70), (self.notes, 5, 90)):
            tall = max(least, min(480, height // share))
            edit.setMinimumHeight(tall)
            edit.setMaximumHeight(int(tall * 1.5))

    def verticalScrollBar(self):
        """The scroll bar of the form (the heading and steps above it never scroll)."""
        return self.scroll.verticalScrollBar()

    # -- filling -------------------------------------------------------------------------
    def set_themes(self, themes: list[tuple[str, str]]) -> None:
        self.commit()  # the boxes are made again: save what was typed first
        for box in self.theme_boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.theme_boxes = {}
        for n, (code, name) in enumerate(themes):
            box = QCheckBox(name)
            box.setToolTip(f"{name} ({code})")
            box.setAccessibleName(f"Theme: {name}")
            box.toggled.connect(self._changed)
            box.clicked.connect(lambda _c=False: self.commit())
            self.theme_boxes[code] = box
            self._themes_layout.addWidget(box, n, 0)
        if self._resource:
            self.show_resource(self._resource, None)

    def resource(self) -> Resource | None:
        return self._resource

    def set_steps(self, steps: list[str], reasons: list[str]) -> None:
        """Show the steps the expert may take, and why the resource needs review."""
        for button in self.step_buttons.values():
            self._steps_layout.removeWidget(button)
            button.hide()
        shown = [self.step_buttons[s] for s, _t, _tip in STEPS if s in steps]
        for n, button in enumerate(shown):
            self._steps_layout.addWidget(button, n // 2, n % 2)
            button.show()
        self.reasons.setText("\n".join(f"• {r}" for r in reasons))
        self.reasons.setVisible(bool(reasons))

    def set_words(self, resource_id: str, link: str, facts: list[str]) -> None:
        """What the core says of the resource beyond its fields, for the Status lines."""
        self._words = (resource_id, link, list(facts))

    def set_published(self, text: str) -> None:
        """Say which version is published while an edit waits ("" hides the note)."""
        self.published_note.setText(text)
        self.published_note.setVisible(bool(text))

    def _step(self, step: str) -> None:
        if self._resource is not None:
            self.step_requested.emit(self._resource.id, step)

    def show_resource(self, resource: Resource | None, history: list[dict] | None = None) -> None:
        other = resource is None or self._resource is None or resource.id != self._resource.id
        if other:
            self.commit()  # never lose what was typed into the one shown before
            self._committed = {}
        self._resource = resource
        if resource is None:
            self.set_steps([], [])
            self.set_published("")
        self._loading = True
        enabled = resource is not None
        self.scroll.setVisible(enabled)  # no greyed form beside an empty list
        for w in (self.title, self.summary, self.notes, self.tags, self.type, self.site,
                  self.author, self.published, self.open_button, self.refetch_button,
                  self._themes_widget, *self.audience_boxes.values()):
            w.setEnabled(enabled)
        if resource is None:
            self.heading.setText("Choose a resource to see its details.")
            for w in (self.title, self.tags, self.site, self.author, self.published):
                w.clear()
            for box in (*self.theme_boxes.values(), *self.audience_boxes.values()):
                box.setChecked(False)
            self.summary.clear()
            self.notes.clear()
            self.link.clear()
            self.facts.clear()
            self.history.clear()
        else:
            self._fill(resource, history)
        self._loading = False
        if other:
            self.verticalScrollBar().setValue(0)  # a new resource opens at its top
        self._changed()

    def _fill(self, r: Resource, history: list[dict] | None) -> None:
        self.heading.setText(r.title or "(not fetched yet)")
        for w, value in ((self.title, r.title), (self.link, r.url), (self.site, r.site),
                         (self.author, r.author), (self.published, r.published or ""),
                         (self.tags, ", ".join(r.tags))):
            w.setText(value)
            w.setCursorPosition(0)  # long text shows its start
        self.summary.setPlainText(r.summary)
        self.notes.setPlainText(r.notes)
        for code, box in self.theme_boxes.items():
            box.setChecked(code in r.themes)
        self.type.setCurrentIndex(TYPES.index(r.type) if r.type in TYPES else len(TYPES) - 1)
        for name, box in self.audience_boxes.items():
            box.setChecked(name in r.audience)
        status = STATUS_LABELS.get(r.status, r.status)
        if r.in_trash:
            status += " (in the trash)"
        lines = [status,
                 f"Review due {r.review_due or 'not set'}",
                 f"Clipped {r.clipped_at[:10]} by {r.clipped_by or 'unknown'}",
                 "Link: " + (self._words[1] if self._words[0] == r.id and self._words[1]
                             else HEALTH_LABELS.get(r.link_health, r.link_health)),
                 FETCH_LABEL.get(r.fetch_state, r.fetch_state)
                 + (f" — {r.fetch_error}" if r.fetch_error else "")]
        lines.extend(page_says(r))
        if self._words[0] == r.id:
            lines.extend(self._words[2])
        self.facts.setText("\n".join(lines))
        if history is not None:
            self.history.clear()
            for ev in reversed(history):
                self.history.addItem(f"{ev['at'][:16].replace('T', ' ')}  "
                                     f"{ev['expert'] or ''}: {describe_event(ev)}")

    # -- editing -------------------------------------------------------------------------
    def changes(self) -> dict:
        """The fields the person changed, as the library's edit expects them."""
        r = self._resource
        if r is None:
            return {}
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        form = {
            "title": self.title.text().strip(),
            "summary": self.summary.toPlainText().strip(),
            "notes": self.notes.toPlainText().strip(),
            "themes": sorted(c for c, b in self.theme_boxes.items() if b.isChecked()),
            "tags": tags,
            "type": TYPES[self.type.currentIndex()],
            "audience": [a for a in AUDIENCES if self.audience_boxes[a].isChecked()],
            "site": self.site.text().strip(),
            "author": self.author.text().strip(),
            "published": self.published.text().strip() or None,
        }
        current = stored(r)
        return {k: v for k, v in form.items() if v != current[k]}

    def commit(self) -> None:
        """Save what was changed here (called as the person leaves a field)."""
        r = self._resource
        if r is None or self._loading:
            return
        changes = self.changes()
        if not changes:
            return
        base = stored(r)
        before = {k: base[k] for k in changes}
        self._committed.update(changes)
        self._resource = dataclasses.replace(r, **changes)
        self.commit_requested.emit(r.id, changes, before)
        self._changed()

    def save_failed(self, resource_id: str, resource: Resource | None) -> None:
        """A save from here was refused: what was typed stays, shown as not saved."""
        if self._resource is None or self._resource.id != resource_id or resource is None:
            return
        self._committed = {}
        self._resource = resource  # the stored version: the typed text differs from it
        self._changed()

    def show_latest(self, resource: Resource, history: list[dict] | None = None) -> None:
        """Show the stored version of a resource without losing unsaved edits to it.

        Edits the store now holds (they were just saved) are not lost by reloading; other
        edits stay on screen, checked against the stored values when saved.
        """
        mine = self._resource
        if mine is not None and mine.id == resource.id:
            now = stored(resource)
            if any(not _same(now[k], v, k) for k, v in self._committed.items()):
                return  # a save from here is still on its way
            self._committed = {}
            pending = self.changes()
            if any(now[k] != v for k, v in pending.items()):
                return
        self.show_resource(resource, history)

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def _changed(self, *_args) -> None:
        if self._loading:
            return
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _revert(self) -> None:
        self.show_resource(self._resource, None)

    def _open(self) -> None:
        if self._resource is not None:
            self.open_url.emit(self._resource.url)

    def _refetch(self) -> None:
        if self._resource is not None:
            self.refetch_requested.emit(self._resource.id)
