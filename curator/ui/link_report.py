"""After a link check: what it found, in a sentence, and a way to see each group."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QPushButton, QVBoxLayout


class LinkReportDialog(QDialog):
    """Non-modal: the expert can look at a group in the list and come back to the rest."""

    def __init__(self, report, show_found, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Link check finished")
        self.setAccessibleName("Link check finished")
        self.report = report
        layout = QVBoxLayout(self)
        self.summary = QLabel(report.text)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("What the link check found")
        layout.addWidget(self.summary)
        grid = QGridLayout()
        self.show_buttons: dict[str, QPushButton] = {}
        row = 0
        for label, ids in report.groups.items():
            if label == "fine":
                continue
            grid.addWidget(QLabel(f"{len(ids)} {label}"), row, 0)
            button = QPushButton("Show them" if len(ids) > 1 else "Show it")
            button.setAccessibleName(f"Show the {len(ids)} {label}")
            button.clicked.connect(lambda _c=False, i=ids, t=label: show_found(i, t))
            self.show_buttons[label] = button
            grid.addWidget(button, row, 1)
            row += 1
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
