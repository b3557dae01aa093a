"""The details pane: read and edit one resource, and see its history."""

from __future__ import annotations

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
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from curator.catalogue.vocab import AUDIENCES, STATUS_LABELS, TYPES
from curator.review.linkhealth import HEALTH_LABELS
from curator.ui import wheel_guard

if TYPE_CHECKING:
    from curator.catalogue.resources import Resource

FETCH_LABEL = {"ok": "Fetched", "pending": "Not fetched yet", "failed": "Could not fetch"}


def _text_edit(name: str, height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(int(height * 1.5))
    return edit


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


#: (step, button text, tooltip) in the order the buttons appear.
STEPS = (
    ("confirm", "&Confirm still valid", "Record that it is still valid; its review date "
                                        "moves on (Ctrl+Enter). Unsaved edits are saved first."),
    ("accept_change", "See &what changed…", "Compare the page now with what was stored"),
    ("replace_link", "Replace &link…", "Give it a new address; the old one stays in the history"),
    ("submit", "Su&bmit for approval", "Send it to a theme lead to approve"),
    ("approve", "A&pprove", "Approve it for the portal"),
    ("send_back", "Send &back…", "Send it back to its author as a draft, saying why"),
    ("retire", "Re&tire…", "Take it out of future bundles, saying why"),
    ("reinstate", "Reinstate", "Bring it back as a draft"),
    ("restore", "Restore from trash", "Bring it back from the trash"),
)


class DetailsPane(QScrollArea):
    """Signals:
        save_requested(str, dict, int): resource id, changed fields, version read.
        open_url(str): open the link in the browser.
        refetch_requested(str): fetch the page again.
        step_requested(str, str): resource id and a review or workflow step
            (confirm, accept_change, replace_link, submit, approve, send_back, retire,
            reinstate, restore).
    """

    save_requested = Signal(str, dict, int)
    step_requested = Signal(str, str)
    open_url = Signal(str)
    refetch_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(340)
        self.setAccessibleName("Resource details")
        self._resource: Resource | None = None
        body = QWidget()
        self.setWidget(body)
        outer = QVBoxLayout(body)

        self.heading = QLabel("Choose a resource to see its details.")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        outer.addWidget(self.heading)
        self.reasons = QLabel()
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName("Why this needs review")
        self.reasons.setFrameShape(QLabel.Shape.StyledPanel)
        self.reasons.setMargin(6)
        outer.addWidget(self.reasons)
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
        outer.addWidget(steps)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = _line("Title")
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
        self.summary = _text_edit("Summary")
        form.addRow("&Summary", self.summary)
        self.notes = _text_edit("Why it matters for practice", 90)
        self.notes.setPlaceholderText("Your note on why this matters for practice")
        form.addRow("&Why it matters", self.notes)

        self.theme_boxes: dict[str, QCheckBox] = {}
        self._themes_widget = QWidget()
        self._themes_layout = QGridLayout(self._themes_widget)
        self._themes_layout.setContentsMargins(0, 0, 0, 0)
        form.addRow("Themes", self._themes_widget)
        self.tags = _line("Tags, separated by commas")
        self.tags.setPlaceholderText("for example: coercive control, MARAC")
        form.addRow("T&ags", self.tags)
        self.type = QComboBox()
        self.type.setAccessibleName("Type")
        self.type.addItems([t.capitalize() for t in TYPES])
        form.addRow("T&ype", self.type)
        wheel_guard.guard(self.type)  # the wheel changes it only once chosen
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
        self.site = _line("Site")
        form.addRow("Si&te", self.site)
        self.author = _line("Author")
        form.addRow("Aut&hor", self.author)
        self.published = _line("Published date")
        self.published.setPlaceholderText("YYYY-MM-DD")
        form.addRow("&Published", self.published)
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Status and dates")
        form.addRow("Status", self.facts)
        outer.addLayout(form)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save changes")
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_button.setToolTip("Save your changes to this resource (Ctrl+S)")
        self.save_button.setAccessibleName("Save changes")
        self.save_button.clicked.connect(self._save)
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
        outer.addLayout(buttons)

        history_label = QLabel("History")
        outer.addWidget(history_label)
        self.history = QListWidget()
        self.history.setAccessibleName("History of changes")
        self.history.setMinimumHeight(80)
        outer.addWidget(self.history)
        outer.addStretch(1)

        for w in (self.title, self.tags, self.site, self.author, self.published):
            w.textEdited.connect(self._changed)
        for w in (self.summary, self.notes):
            w.textChanged.connect(self._changed)
        self.type.currentIndexChanged.connect(self._changed)
        for box in self.audience_boxes.values():
            box.toggled.connect(self._changed)
        self.show_resource(None)

    # -- filling -------------------------------------------------------------------------
    def set_themes(self, themes: list[tuple[str, str]]) -> None:
        for box in self.theme_boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.theme_boxes = {}
        for n, (code, name) in enumerate(themes):
            box = QCheckBox(name)
            box.setToolTip(code)
            box.setAccessibleName(f"Theme: {name}")
            box.toggled.connect(self._changed)
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

    def _step(self, step: str) -> None:
        if self._resource is not None:
            self.step_requested.emit(self._resource.id, step)

    def show_resource(self, resource: Resource | None, history: list[dict] | None = None) -> None:
        self._resource = resource
        if resource is None:
            self.set_steps([], [])
        self._loading = True
        enabled = resource is not None
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
            r = resource
            self.heading.setText(r.title or "(not fetched yet)")
            self.title.setText(r.title)
            self.title.setCursorPosition(0)
            self.link.setText(r.url)
            self.link.setCursorPosition(0)
            self.summary.setPlainText(r.summary)
            self.notes.setPlainText(r.notes)
            for code, box in self.theme_boxes.items():
                box.setChecked(code in r.themes)
            self.tags.setText(", ".join(r.tags))
            self.type.setCurrentIndex(TYPES.index(r.type) if r.type in TYPES else len(TYPES) - 1)
            for name, box in self.audience_boxes.items():
                box.setChecked(name in r.audience)
            self.site.setText(r.site)
            self.author.setText(r.author)
            self.published.setText(r.published or "")
            status = STATUS_LABELS.get(r.status, r.status)
            if r.in_trash:
                status += " (in the trash)"
            lines = [status,
                     f"Review due {r.review_due or 'not set'}",
                     f"Clipped {r.clipped_at[:10]} by {r.clipped_by or 'unknown'}",
                     f"Link: {HEALTH_LABELS.get(r.link_health, r.link_health)}",
                     FETCH_LABEL.get(r.fetch_state, r.fetch_state)
                     + (f" — {r.fetch_error}" if r.fetch_error else "")]
            self.facts.setText("\n".join(lines))
            if history is not None:
                self.history.clear()
                for ev in reversed(history):
                    self.history.addItem(f"{ev['at'][:16].replace('T', ' ')}  "
                                         f"{ev['expert'] or ''}: {_describe_event(ev)}")
        self._loading = False
        self._changed()

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
        current = _stored(r)
        return {k: v for k, v in form.items() if v != current[k]}

    def show_latest(self, resource: Resource, history: list[dict] | None = None) -> None:
        """Show the stored version of a resource without losing unsaved edits to it.

        Edits the store now holds (they were just saved) are not lost by reloading; other
        edits stay on screen, checked against their version when saved.
        """
        mine = self._resource
        if mine is not None and mine.id == resource.id:
            pending = self.changes()
            stored = _stored(resource)
            if any(stored[k] != v for k, v in pending.items()):
                return
        self.show_resource(resource, history)

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def _changed(self, *_args) -> None:
        if getattr(self, "_loading", False):
            return
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def _save(self) -> None:
        if self._resource is not None and self.is_dirty():
            self.save_requested.emit(self._resource.id, self.changes(), self._resource.version)

    def _revert(self) -> None:
        self.show_resource(self._resource, None)

    def _open(self) -> None:
        if self._resource is not None:
            self.open_url.emit(self._resource.url)

    def _refetch(self) -> None:
        if self._resource is not None:
            self.refetch_requested.emit(self._resource.id)


def _stored(r: Resource) -> dict:
    """A resource's editable fields as the form holds them."""
    return {"title": r.title, "summary": r.summary, "notes": r.notes,
            "themes": sorted(r.themes), "tags": r.tags, "type": r.type,
            "audience": r.audience, "site": r.site, "author": r.author,
            "published": r.published}


_ACTIONS = {
    "resource.clip": "clipped it", "resource.edit": "edited", "resource.delete":
    "moved it to the trash", "resource.restore": "restored it", "resource.refetch":
    "fetched it again", "resource.refetch_failed": "tried to fetch it again",
}


def _describe_event(ev: dict) -> str:
    text = _ACTIONS.get(ev["action"], ev["action"].split(".", 1)[-1].replace("_", " "))
    detail = ev.get("detail") or {}
    if ev["action"] == "resource.edit" and detail:
        fields = [k for k in detail if k not in ("reason",)]
        text += " " + ", ".join(fields)
    elif detail.get("error"):
        text += f" ({detail['error']})"
    elif detail.get("reason"):
        text += f" ({detail['reason']})"
    return text
