"""Settings: how Curator reaches the web, link-check manners, review and export defaults,
and where the library lives.

The values are the core's preferences (curator.preferences), shared with the command
line, so a proxy set here is the proxy `curator clip` uses too. The core checks every value;
this dialog only shows them and reports what the core says. Changes apply at once: the next
fetch, check or export uses them, no restart needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from curator.base.errors import CuratorError
from curator.preferences import PROXY_CHOICES
from curator.ui import wheel_guard

if TYPE_CHECKING:
    from curator.preferences import Preferences

PROXY_LABELS = {
    "system": "Use the computer's proxy settings (recommended)",
    "none": "No proxy: connect directly",
    "manual": "Use this proxy:",
}


def _row(*widgets, stretch_first: bool = True) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for n, w in enumerate(widgets):
        layout.addWidget(w, 1 if (n == 0 and stretch_first) else 0)
    return box


class SettingsDialog(QDialog):
    """Shows the current preferences; on OK, the core checks and saves them."""

    def __init__(self, prefs: Preferences, library_folder, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setMinimumWidth(620)
        self.prefs = prefs
        self.library_folder = library_folder
        self.result_prefs: Preferences | None = None
        self.open_library_requested = False
        layout = QVBoxLayout(self)

        # -- the web --------------------------------------------------------------------
        web = QGroupBox("Reaching the web")
        web_layout = QVBoxLayout(web)
        self.proxy_group = QButtonGroup(self)
        self.proxy_buttons: dict[str, QRadioButton] = {}
        for choice in PROXY_CHOICES:
            button = QRadioButton(PROXY_LABELS[choice])
            button.setAccessibleName(PROXY_LABELS[choice].rstrip(":"))
            self.proxy_group.addButton(button)
            self.proxy_buttons[choice] = button
            web_layout.addWidget(button)
        self.proxy_url = QLineEdit(prefs.proxy_url)
        self.proxy_url.setAccessibleName("Proxy address")
        self.proxy_url.setPlaceholderText("for example: http://proxy.council.example:8080")
        self.proxy_url.setToolTip("Your IT service desk can tell you the proxy's address.")
        proxy_row = _row(self.proxy_url)
        proxy_row.layout().setContentsMargins(24, 0, 0, 0)
        web_layout.addWidget(proxy_row)
        self.proxy_buttons[prefs.proxy if prefs.proxy in self.proxy_buttons else "system"] \
            .setChecked(True)
        for button in self.proxy_buttons.values():
            button.toggled.connect(self._proxy_changed)
        self.system_certs = QCheckBox(
            "Trust the security certificates installed on this computer")
        self.system_certs.setAccessibleName("Trust the computer's certificates")
        self.system_certs.setToolTip(
            "Turn this on if pages fail with a certificate or security error at work: many "
            "council networks check web traffic with their own certificate, which this "
            "computer trusts but Curator does not otherwise know.")
        self.system_certs.setChecked(prefs.use_system_certificates)
        web_layout.addWidget(self.system_certs)
        hint = QLabel("Turn this on if pages fail with a security or certificate error on "
                      "the council network.")
        hint.setWordWrap(True)
        hint.setContentsMargins(24, 0, 0, 0)
        web_layout.addWidget(hint)
        contact_form = QFormLayout()
        self.contact = QLineEdit(prefs.contact)
        self.contact.setAccessibleName("Contact email sent with fetches")
        self.contact.setPlaceholderText("for example: da.lead@council.example")
        self.contact.setToolTip("Sent to the sites Curator fetches from, so they can contact "
                                "you if something goes wrong. Leave empty to send none.")
        contact_form.addRow("Contact &email", self.contact)
        web_layout.addLayout(contact_form)
        layout.addWidget(web)

        # -- checks, reviews and exports -------------------------------------------------
        work = QGroupBox("Link checks, reviews and bundles")
        form = QFormLayout(work)
        self.per_host = QSpinBox()
        self.per_host.setRange(1, 8)
        self.per_host.setValue(prefs.linkcheck_per_host)
        self.per_host.setSuffix(" at a time")
        self.per_host.setAccessibleName("Links checked at once on one site")
        self.per_host.setToolTip("How many links on the same website are checked at once. "
                                 "Keep it low to be polite to small sites.")
        form.addRow("Links checked at once\non one &site", self.per_host)
        self.spacing = QDoubleSpinBox()
        self.spacing.setRange(0.0, 30.0)
        self.spacing.setDecimals(2)
        self.spacing.setSingleStep(0.25)
        self.spacing.setSuffix(" seconds")
        self.spacing.setValue(prefs.linkcheck_spacing)
        self.spacing.setAccessibleName("Pause between checks of one site")
        form.addRow("&Pause between checks\nof one site", self.spacing)
        self.review_months = QSpinBox()
        self.review_months.setRange(1, 120)
        self.review_months.setSuffix(" months")
        self.review_months.setValue(prefs.default_review_months)
        self.review_months.setAccessibleName("Review interval for new themes")
        self.review_months.setToolTip("How often resources in a new theme come up for review. "
                                      "Each theme can have its own interval.")
        form.addRow("&Review interval\nfor new themes", self.review_months)
        wheel_guard.guard(self.per_host, self.spacing, self.review_months)
        self.export_folder = QLineEdit(prefs.export_folder)
        self.export_folder.setAccessibleName("Folder for exported bundles")
        self.export_folder.setPlaceholderText("the library's exports folder")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the folder for exported bundles")
        browse.clicked.connect(self._choose_export_folder)
        form.addRow("E&xport bundles to", _row(self.export_folder, browse))
        layout.addWidget(work)

        # -- the library ------------------------------------------------------------------
        where = QGroupBox("Library")
        where_form = QFormLayout(where)
        self.library_path = QLineEdit(str(library_folder))
        self.library_path.setReadOnly(True)
        self.library_path.setAccessibleName("Library location")
        show = QPushButton("S&how")
        show.setAccessibleName("Show the library folder")
        show.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(library_folder))))
        other = QPushButton("&Open another…")
        other.setAccessibleName("Open another library")
        other.clicked.connect(self._open_other)
        where_form.addRow("Location", _row(self.library_path, show, other))
        layout.addWidget(where)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem with the settings")
        self.error.setStyleSheet("color: white; background: #a4262c; "
                                 "padding: 6px; border-radius: 3px;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._proxy_changed()

    def _proxy_changed(self) -> None:
        self.proxy_url.setEnabled(self.proxy_buttons["manual"].isChecked())

    def _choose_export_folder(self) -> None:
        start = self.export_folder.text().strip() or str(self.library_folder)
        folder = QFileDialog.getExistingDirectory(self, "Where to save bundles", start)
        if folder:
            self.export_folder.setText(folder)

    def _open_other(self) -> None:
        self.open_library_requested = True
        self.reject()

    def values(self) -> dict:
        proxy = next(k for k, b in self.proxy_buttons.items() if b.isChecked())
        return {
            "proxy": proxy,
            "proxy_url": self.proxy_url.text().strip(),
            "use_system_certificates": "yes" if self.system_certs.isChecked() else "no",
            "contact": self.contact.text().strip(),
            "linkcheck_per_host": str(self.per_host.value()),
            "linkcheck_spacing": str(self.spacing.value()),
            "default_review_months": str(self.review_months.value()),
            "export_folder": self.export_folder.text().strip(),
        }

    def accept(self) -> None:
        try:
            self.result_prefs = self.prefs.update(self.values())
        except CuratorError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


def edit_settings(window) -> None:
    """Show Settings for the window's library; save and apply what the person chose."""
    dialog = SettingsDialog(window.lib.preferences, window.lib.folder, window)
    if dialog.exec() and dialog.result_prefs is not None:
        prefs = dialog.result_prefs
        try:
            # The preferences file, shared by every library; nothing in the library itself.
            window.lib.save_preferences(prefs)
        except OSError as exc:
            from curator.ui.errors import show_error
            show_error(window, "Curator could not save the settings.", str(exc))
            return
        window.statusBar().showMessage("Settings saved; they apply from now on.", 8000)
    elif dialog.open_library_requested:
        window.open_library_dialog()
