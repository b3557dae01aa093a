"""Export a bundle for the portal, and import one from a colleague or another laptop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from curator.base.errors import CuratorError
from curator.ui.errors import show_error


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


class ExportDialog(QDialog):
    def __init__(self, themes: list[tuple[str, str]], folder: Path, parent=None,
                 counts: dict[str, int] | None = None, changes=None):
        """*counts*: theme code -> approved resources; *changes*: codes -> ExportChanges
        (the Library's export_changes), shown as the ticks change."""
        super().__init__(parent)
        self._changes = changes
        self.setWindowTitle("Export a bundle for the portal")
        self.setAccessibleName("Export a bundle for the portal")
        layout = QVBoxLayout(self)
        intro = QLabel("A bundle holds the approved resources of the themes you choose, "
                       "ready for Single Source. Curator checks them for personal data first.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: dict[str, QCheckBox] = {}
        for code, name in themes:
            label = f"{name} ({code})"
            if counts is not None:
                label += f": {_plural(counts.get(code, 0), 'approved resource')}"
            box = QCheckBox(label)
            box.setAccessibleName(f"Export {name}")
            self.boxes[code] = box
            layout.addWidget(box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the bundle will hold")
        if changes is not None:
            layout.addWidget(self.summary)
            for box in self.boxes.values():
                box.toggled.connect(self._show_changes)
            self._show_changes()
        row = QHBoxLayout()
        self.folder = QLineEdit(str(folder))
        self.folder.setAccessibleName("Folder to write the bundle to")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the folder")
        browse.clicked.connect(self._browse)
        row.addWidget(QLabel("Save in"))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Where to save the bundle",
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _show_changes(self, *_) -> None:
        codes = self.chosen()
        try:
            self.summary.setText(self._changes(codes).text if codes
                                 else "Tick the themes to export.")
        except CuratorError as exc:
            self.summary.setText(exc.message)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def _accept(self) -> None:
        if not self.chosen():
            QMessageBox.information(self, "Export", "Tick at least one theme to export.")
            return
        self.accept()


def export_bundle(window) -> None:
    lib = window.lib
    themes = [(t.code, t.name) for t in lib.themes(include_inactive=False)]
    # The default is the export folder chosen in Settings (else the library's exports/).
    dialog = ExportDialog(themes, lib.default_export_folder(), window,
                          counts=lib.approved_counts(), changes=lib.export_changes)
    if not dialog.exec():
        return
    codes, folder = dialog.chosen(), dialog.folder.text().strip()

    def run(override: str | None, despite: str | None = None) -> None:
        from curator.library import CautionFound, PersonalDataFound

        def failed(error) -> bool:
            if isinstance(error, CautionFound):
                reason, ok = _ask_despite(window, error.message)
                if ok:
                    run(override, reason)
                return True
            if not isinstance(error, PersonalDataFound):
                return False
            reason, ok = _ask_override(window, error.message)
            if ok:
                run(reason, despite)
            return True

        def done(info) -> None:
            box = QMessageBox(window)
            box.setWindowTitle("Bundle exported")
            box.setText(f"The bundle is ready: "
                        f"{_plural(info.counts.get('resources', 0), 'resource')}.\n"
                        f"{info.path}")
            open_button = box.addButton("Open the folder", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Ok)
            box.exec()
            if box.clickedButton() is open_button:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(info.path.parent)))
        window.ops.run(lambda ctx: lib.export_bundle(codes, folder or None, override,
                                                       despite=despite),
                       on_success=done, on_failure=failed, label="Exporting the bundle",
                       show_progress=True)
    run(None)


def _ask_despite(window, message: str) -> tuple[str, bool]:
    from PySide6.QtWidgets import QInputDialog
    text, ok = QInputDialog.getText(
        window, "Export anyway?", message + "\n\nWhy should it go to the portal as it is? "
        "(kept with its history) Or cancel, and replace the link or retire it:")
    return text.strip(), ok and bool(text.strip())


def _ask_override(window, message: str) -> tuple[str, bool]:
    from PySide6.QtWidgets import QInputDialog
    text, ok = QInputDialog.getText(
        window, "Personal data?", message + "\n\nTheme leads may export anyway if they are "
        "sure this identifies nobody. Say why, or cancel and correct it:")
    return text.strip(), ok and bool(text.strip())


def import_bundle(window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Import a bundle", str(window.lib.exports_dir),
                                          "Curator bundles (*.zip)")
    if not path:
        return

    def done(report) -> None:
        lines = [f"Added {len(report.added)}, updated {len(report.updated)}, "
                 f"{report.unchanged} already up to date, {len(report.conflicts)} in conflict."]
        lines += [f"Conflict: {title} — {why}" for title, why in report.conflicts[:10]]
        lines += [f"Not imported: {title} — {why}" for title, why in report.rejected[:10]]
        QMessageBox.information(window, "Bundle imported", "\n".join(lines))
    lib = window.lib
    window.ops.run(lambda ctx: lib.import_bundle(path), on_success=done,
                   label="Importing the bundle", show_progress=True, changes="all")


__all__ = ["export_bundle", "import_bundle", "show_error"]
