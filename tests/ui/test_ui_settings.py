"""Settings, the user guide and the toolbar's tips, driven offscreen."""

from __future__ import annotations

from curator import preferences
from curator.ui import settings_dialog
from curator.ui.guide import GuideDialog, guide_path
from curator.ui.settings_dialog import SettingsDialog


def test_settings_are_checked_by_the_core_saved_and_applied_at_once(window, qtbot,
                                                                     monkeypatch):
    dialog = SettingsDialog(window.lib.preferences, window.lib.folder, window)
    qtbot.addWidget(dialog)
    dialog.proxy_buttons["manual"].setChecked(True)
    assert dialog.proxy_url.isEnabled()
    dialog.accept()  # a manual proxy without an address
    assert dialog.result() == 0 and not dialog.error.isHidden()
    assert "proxy" in dialog.error.text()
    dialog.proxy_url.setText("proxy.council.example")  # no scheme
    dialog.accept()
    assert "http://" in dialog.error.text()
    dialog.proxy_url.setText("http://proxy.council.example:8080")
    dialog.contact.setText("not an address")
    dialog.accept()
    assert "email" in dialog.error.text()
    dialog.contact.setText("da.lead@council.example")
    dialog.system_certs.setChecked(True)
    dialog.per_host.setValue(3)
    dialog.review_months.setValue(6)
    dialog.export_folder.setText(str(window.lib.folder.parent / "for-portal"))
    dialog.accept()
    assert dialog.result() == 1
    chosen = dialog.result_prefs
    assert (chosen.proxy, chosen.proxy_url, chosen.contact) == (
        "manual", "http://proxy.council.example:8080", "da.lead@council.example")
    assert chosen.use_system_certificates and chosen.linkcheck_per_host == 3

    # Through the menu action: saved to the shared preferences file and used at once.
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: (
        setattr(self, "result_prefs", chosen), 1)[1])
    window.act_settings.trigger()
    assert preferences.load() == chosen  # what the command line will use too
    assert window.lib.fetcher.settings.proxy_url == "http://proxy.council.example:8080"
    assert window.lib.fetcher.settings.use_system_certificates
    assert window.lib.default_export_folder() == window.lib.folder.parent / "for-portal"


def test_cancel_changes_nothing_and_open_another_library_is_offered(window, qtbot,
                                                                     monkeypatch):
    before = window.lib.preferences
    asked = []
    monkeypatch.setattr(window, "open_library_dialog", lambda: asked.append(True))

    def press_open_another(self):
        self._open_other()
        return 0
    monkeypatch.setattr(SettingsDialog, "exec", press_open_another)
    settings_dialog.edit_settings(window)
    assert asked == [True] and window.lib.preferences is before
    assert not (preferences.config_dir() / "preferences.json").exists()


def test_every_control_in_settings_has_a_name(window, qtbot):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit
    dialog = SettingsDialog(window.lib.preferences, window.lib.folder, window)
    qtbot.addWidget(dialog)
    for kind in (QLineEdit, QAbstractSpinBox, QAbstractButton):
        for w in dialog.findChildren(kind):
            if w.isVisibleTo(dialog) and w.objectName() != "qt_spinbox_lineedit":
                assert w.accessibleName() or w.text(), w


def test_the_user_guide_opens_from_the_help_menu(window, qtbot, monkeypatch):
    assert guide_path() is not None
    shown = []
    monkeypatch.setattr(GuideDialog, "exec", lambda self: shown.append(
        self.text.toPlainText()) or 0)
    window.act_guide.trigger()
    assert shown and "Clipping" in shown[0] and "backup" in shown[0].lower()
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert window.act_guide in menus["&Help"].actions()
    assert window.act_settings in menus["&Tools"].actions()


def test_every_toolbar_action_has_a_tooltip_that_explains_it(window):
    for action in window.toolbar.actions():
        if action.isSeparator():
            continue
        tip = action.toolTip()
        assert tip and len(tip) > len(action.text().replace("&", "")) + 5, action.text()


def test_the_app_has_its_icon_and_desktop_entry(qapp):
    from curator.ui.app import DESKTOP_ID, make_app
    app = make_app()
    assert not app.windowIcon().isNull()
    assert app.desktopFileName() == DESKTOP_ID
    from pathlib import Path
    desktop = Path(__file__).resolve().parents[2] / "packaging" / "linux" / f"{DESKTOP_ID}.desktop"
    assert desktop.is_file()
