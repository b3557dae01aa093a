"""What an empty list says: what belongs there, and the one thing to do about it.

A blank table tells a newcomer nothing (is it broken? still loading?). When the list or
the search shown has no rows, a few plain words appear over the table instead, with a
button for the one action that fills it, where there is one. The window calls
:func:`show_for` each time it has shown a list or search results.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from curator.base import clock
from curator.catalogue.vocab import VIEW_LABELS

CLIP = "Clip a link…"

#: view key -> (what it says, the hint below it, the button's action or None)
VIEW_WORDS = {
    "all": ("Nothing here yet.",
            "Press Ctrl+L to clip your first link, or File › Import links to bring in "
            "bookmarks.", "clip"),
    "drafts": ("You have no drafts.",
               "What you clip stays here as a draft until you submit it for approval.",
               "clip"),
    "awaiting": ("Nothing is awaiting approval.",
                 "When a draft is submitted, it waits here for a lead of its theme to "
                 "approve it.", None),
    "due": ("Nothing is due for review.",
            "Resources come here when their review date is near, or when a link check or "
            "old evidence flags them.", None),
    "recent": ("Nothing clipped in the last 30 days.", "Press Ctrl+L to clip a link.", "clip"),
    "retired": ("No retired resources.",
                "Retire a resource that is out of date: it leaves the bundles for the portal "
                "but keeps its history.", None),
    "trash": ("The trash is empty.",
              "Deleted resources wait here until you empty the trash.", None),
}
NEVER_CHECKED = ("Links have not been checked yet: Tools › Check links.",
                 "A check looks for broken, moved, changed or withdrawn pages in the "
                 "background.", "check")
BROKEN_RULE = "A link counts as broken after failing on two checks a day apart."


def day_words(moment: str) -> str:
    """A UTC moment as the person's calendar day: "2 Dec" (with the year if not this one)."""
    day = clock.parse_moment(moment).astimezone().date()
    words = f"{day.day} {day:%b}"
    return words if day.year == clock.today().year else f"{words} {day.year}"


def show_for(window) -> None:
    """Show (or hide) the empty state over *window*'s table for what it now shows."""
    overlay = getattr(window, "_empty_state", None)
    if overlay is None:
        overlay = window._empty_state = EmptyState(window)
    overlay.refresh()


class EmptyState(QWidget):
    """The words over an empty resource table (a child of the table's viewport)."""

    def __init__(self, window):
        viewport = window.table.viewport()
        super().__init__(viewport)
        self.setObjectName("empty-state")
        self.setAccessibleName("This list is empty")
        self._window = window
        self._seq = 0
        self._action: str | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        column = QWidget()
        column.setMaximumWidth(560)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        outer.addStretch(1)
        outer.addWidget(column, 20)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("empty-state-message")
        self.hint = QLabel()
        self.hint.setObjectName("empty-state-hint")
        for label, scale in ((self.message, 1.3), (self.hint, 1.05)):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * scale)
            label.setFont(font)
            layout.addWidget(label)
        bold = self.message.font()
        bold.setBold(True)
        self.message.setFont(bold)
        self.button = QPushButton()
        self.button.clicked.connect(self._act)
        layout.addSpacing(8)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        viewport.installEventFilter(self)
        self.setGeometry(viewport.rect())
        self.hide()

    def text(self) -> str:
        """What it says, in one line (for tests and screen readers)."""
        return " ".join(t for t in (self.message.text(), self.hint.text()) if t)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self.setGeometry(watched.rect())
        return False

    # -- what to say ----------------------------------------------------------------------
    def refresh(self) -> None:
        window = self._window
        self._seq += 1
        if window.model.rowCount() > 0:
            self.hide()
            return
        query = window._query
        kind, key = window._scope
        if query:
            self._say(f"No resources match “{query}”.",
                      "Check the spelling or try fewer words. Help › How to search shows "
                      "what you can type.", "clear")
        elif kind == "theme":
            name = window._list_label(kind, key)
            self._say(f"Nothing in {name} yet.",
                      f"Clip a link with Ctrl+L and tick {name} under Themes.", "clip")
        elif key == "broken":
            self._say_when_checked()
        else:
            label = dict(VIEW_LABELS).get(key, key)
            self._say(*VIEW_WORDS.get(key, (f"Nothing in {label}.", "", None)))
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def _say(self, message: str, hint: str, action: str | None) -> None:
        self.message.setText(message)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self._action = action
        self.button.setText({"clip": CLIP, "check": "Check links now",
                             "clear": "Clear the search"}.get(action or "", ""))
        self.button.setAccessibleName(self.button.text().rstrip("…"))
        self.button.setVisible(action is not None)

    def _say_when_checked(self) -> None:
        """Broken links: say when they were checked (read off the GUI thread)."""
        self._say("", "", None)
        lib, seq = self._window.lib, self._seq

        def done(moment) -> None:
            if seq != self._seq:
                return  # something newer is shown
            if moment is None:
                self._say(*NEVER_CHECKED)
            else:
                self._say(f"Nothing broken: the last check on {day_words(moment)} found no "
                          "broken links.", BROKEN_RULE, None)
        self._window.ops.run(lambda ctx: lib.last_link_check(), kind="read", on_success=done)

    def _act(self) -> None:
        window = self._window
        if self._action == "clip":
            window.act_clip.trigger()
        elif self._action == "check":
            window.act_check_links.trigger()
        elif self._action == "clear":
            window.search.set_text("")
