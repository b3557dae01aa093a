"""The first-run welcome: your name, the themes you look after, where the library lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from curator.catalogue.vocab import STARTER_THEMES


class WelcomeDialog(QDialog):
    def __init__(self, default_folder: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Curator")
        self.setAccessibleName("Welcome to Curator")
        self.setMinimumWidth(560)
        self.demo = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Welcome to Curator</h2>"
            "<p>Curator keeps your theme's research and practice links up to date: clip a "
            "link, say why it matters, and Curator helps you find it, review it and publish "
            "it to Single Source.</p>")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("for example: Sam Patel")
        form.addRow("Your &name", self.name)
        themes = QWidget()
        grid = QGridLayout(themes)
        grid.setContentsMargins(0, 0, 0, 0)
        self.theme_boxes: dict[str, QCheckBox] = {}
        for n, (code, name) in enumerate(STARTER_THEMES):
            box = QCheckBox(name)
            box.setAccessibleName(f"I look after {name}")
            self.theme_boxes[code] = box
            grid.addWidget(box, n // 2, n % 2)
        form.addRow("Themes you\nlook after", themes)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(default_folder))
        self.folder.setAccessibleName("Library folder")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the library folder")
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        folder_label = QLabel("&Library folder")  # a row of a layout names no buddy itself
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        layout.addLayout(form)
        hint = QLabel("You can change all of this later. Not sure yet? Try the demo library: "
                      "it has sample resources and is kept apart from your own.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error = QLabel()
        self.error.setAccessibleName("Problem")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("&Start Curator",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.demo_button = buttons.addButton("Try the &demo library",
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button.clicked.connect(self._demo)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the library folder",
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _check(self) -> bool:
        if not " ".join(self.name.text().split()):
            self.error.setText("Please type your name: Curator records who clipped and "
                               "approved each resource.")
            self.name.setFocus()
            return False
        return True

    def _start(self) -> None:
        if self._check():
            self.demo = False
            self.accept()

    def _demo(self) -> None:
        if not self.name.text().strip():
            self.name.setText("Demo user")
        self.demo = True
        self.accept()

    def choices(self) -> dict:
        return {"name": " ".join(self.name.text().split()),
                "themes": [c for c, b in self.theme_boxes.items() if b.isChecked()],
                "folder": self.folder.text().strip(), "demo": self.demo}
