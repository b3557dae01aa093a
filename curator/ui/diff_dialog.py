"""Shows how a changed page differs from the stored text, to accept or to review."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout


def diff_html(hunks) -> str:
    """The diff as simple HTML: removed text struck through, added text underlined
    (marked by more than colour, so it reads the same for everyone)."""
    parts = []
    for hunk in hunks:
        parts.append(f"<p><i>Around paragraph {hunk.old_start + 1}</i></p>")
        for ch in hunk.changes:
            if ch.kind == "same":
                parts.append(f"<p>{html.escape(ch.old or '')}</p>")
            elif ch.kind == "removed":
                parts.append(f"<p><b>Removed:</b> <s>{html.escape(ch.old or '')}</s></p>")
            elif ch.kind == "added":
                parts.append(f"<p><b>Added:</b> <u>{html.escape(ch.new or '')}</u></p>")
            else:
                words = []
                for kind, text in (ch.words or []):
                    t = html.escape(text)
                    words.append(f"<s>{t}</s>" if kind == "removed" else
                                 f"<u><b>{t}</b></u>" if kind == "added" else t)
                parts.append("<p><b>Changed:</b> " + " ".join(words) + "</p>")
    return "".join(parts) or "<p>No differences in the main text.</p>"


class DiffDialog(QDialog):
    def __init__(self, title: str, hunks, parent=None):
        super().__init__(parent)
        self.setWindowTitle("What changed on the page")
        self.setAccessibleName("What changed on the page")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(f"“{title}” has changed since it was stored. Removed text is struck "
                       "through; added text is underlined.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        view = QTextBrowser()
        view.setAccessibleName("Differences")
        view.setOpenLinks(False)
        view.setHtml(diff_html(hunks))
        layout.addWidget(view, 1)
        buttons = QDialogButtonBox()
        accept = buttons.addButton("&Accept the new text", QDialogButtonBox.ButtonRole.AcceptRole)
        accept.setAccessibleName("Accept the new text")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
