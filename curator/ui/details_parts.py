"""Pieces of the details pane: its buttons, field helpers and history wording."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

FETCH_LABEL = {"ok": "Fetched", "pending": "Not fetched yet", "failed": "Could not fetch"}

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


class LeaveWatcher(QObject):
    """Says when a text box loses the keyboard focus (the person has left the field)."""

    left = Signal()

    def eventFilter(self, obj, event) -> bool:
        # Not when a completion list or a menu opens over the field: the person is still
        # in it.
        if event.type() == QEvent.Type.FocusOut and \
                event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()
        return False


def text_edit(name: str, height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(int(height * 1.5))
    return edit


def line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


def stored(r) -> dict:
    """A resource's editable fields as the form holds them."""
    return {"title": r.title, "summary": r.summary, "notes": r.notes,
            "themes": sorted(r.themes), "tags": r.tags, "type": r.type,
            "audience": r.audience, "site": r.site, "author": r.author,
            "published": r.published}


_ACTIONS = {
    "resource.clip": "clipped it", "resource.edit": "edited", "resource.delete":
    "moved it to the trash", "resource.restore": "restored it", "resource.refetch":
    "fetched it again", "resource.refetch_failed": "tried to fetch it again",
    "caution.override": "exported it despite a warning",
}


def describe_event(ev: dict) -> str:
    text = _ACTIONS.get(ev["action"], ev["action"].split(".", 1)[-1].replace("_", " "))
    detail = ev.get("detail") or {}
    if ev["action"] == "resource.edit" and detail:
        fields = [k for k in detail if k not in ("reason", "status")]
        text += " " + ", ".join(fields)
        if detail.get("status") == ["approved", "submitted"]:
            text += " (waits for approval; the approved version stays published)"
        elif detail.get("status", [None, None])[1] == "approved":
            text += " (back to the approved version)"
    elif detail.get("error"):
        text += f" ({detail['error']})"
    elif detail.get("despite"):
        text += f" despite a warning: {detail['despite']}"
    elif detail.get("reason"):
        text += f" ({detail['reason']})"
    return text
