"""Help ▸ User guide: the short guide in docs/user-guide.md, shown inside the app."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

GUIDE_NAME = "user-guide.md"


def guide_path() -> Path | None:
    """Where the guide is: beside a packaged app's files, or in the source tree's docs/."""
    places = []
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        places.append(Path(bundled) / "docs" / GUIDE_NAME)
    places.append(Path(__file__).resolve().parents[2] / "docs" / GUIDE_NAME)
    return next((p for p in places if p.is_file()), None)


class GuideDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Curator user guide")
        self.setAccessibleName("Curator user guide")
        self.resize(760, 720)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setAccessibleName("User guide")
        self.text.setOpenExternalLinks(True)
        path = guide_path()
        if path is None:
            self.text.setPlainText(
                "The user guide was not installed with this copy of Curator. Ask whoever "
                "installed it for docs/user-guide.md from the Curator source.")
        else:
            self.text.setMarkdown(path.read_text(encoding="utf-8"))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        from curator.ui import browser_help
        self.copy_bookmarklet = browser_help.add_to(self, buttons)  # issue 20
        layout.addWidget(buttons)
        self.text.setFocus()
