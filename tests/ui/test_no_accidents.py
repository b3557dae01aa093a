"""No accidents: the wheel changes only a box that was chosen, and the toolbar stays put."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from curator.ui.clip_dialog import ClipDialog
from tests.support.qt import idle


def _wheel(widget, steps: int = -1) -> None:
    """One notch of the mouse wheel over the middle of *widget* (down when negative)."""
    middle = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(middle, QPointF(widget.mapToGlobal(middle.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _shown_with_room_to_scroll(window, qtbot):
    window.resize(1200, 480)  # a short window: the details pane scrolls
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.details.title.text() != "")
    idle(qtbot, window)
    bar = window.details.verticalScrollBar()
    assert bar.maximum() > 0, "the details pane should need scrolling in a short window"
    return bar


def test_the_wheel_over_an_unchosen_type_box_scrolls_the_pane(window, qtbot):
    bar = _shown_with_room_to_scroll(window, qtbot)
    box = window.details.type
    window.table.setFocus()
    assert not box.hasFocus()
    box_type = box.currentText()
    bar.setValue(0)
    _wheel(box)
    assert box.currentText() == box_type, "the wheel changed a type nobody chose"
    assert bar.value() > 0, "the wheel should have scrolled the pane instead"
    assert not window.details.is_dirty()


def test_the_wheel_changes_a_type_box_once_it_is_chosen(window, qtbot):
    _shown_with_room_to_scroll(window, qtbot)
    box = window.details.type
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    before = box.currentIndex()
    _wheel(box, -1 if before < box.count() - 1 else 1)
    assert box.currentIndex() != before
    window.details.revert_button.click()  # leave nothing unsaved behind


def test_the_wheel_does_not_take_focus(window):
    assert window.details.type.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_the_clip_box_type_and_the_settings_numbers_are_guarded(window, qtbot):
    themes = [(t.code, t.name) for t in window.lib.themes(include_inactive=False)]
    dialog = ClipDialog(window.lib, window.ops, themes, "", window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url.setFocus()
    _wheel(dialog.type)
    assert dialog.type.currentIndex() == 0  # still "Let Curator guess"
    dialog.reject()

    from curator import preferences
    from curator.ui.settings_dialog import SettingsDialog
    settings = SettingsDialog(preferences.load(), window.lib.folder, window)
    qtbot.addWidget(settings)
    settings.show()
    settings.contact.setFocus()
    months = settings.review_months.value()
    _wheel(settings.review_months, 1)
    assert settings.review_months.value() == months
    settings.reject()


def test_the_toolbar_does_not_move_when_the_undo_text_grows(window, qtbot):
    toolbar = window.toolbar
    actions = [a for a in toolbar.actions() if not a.isSeparator()]
    before = [toolbar.widgetForAction(a).x() for a in actions]
    window.table.selectRow(0)
    rid = window.current_id()
    r = window.lib.get(rid)
    changes = {"audience": ["practitioners"], "tags": ["a tag", "another tag"],
               "type": "research" if r.type != "research" else "guidance"}
    window.details.save_requested.emit(rid, changes, r.version)
    qtbot.waitUntil(lambda: window.lib.get(rid).type == changes["type"])
    idle(qtbot, window)
    menu_text = window.act_undo.text().replace("&", "")
    assert menu_text.startswith("Undo Edit audience, tags, type")  # the Edit menu
    assert window.act_undo_button.text() == "Undo"
    assert "Edit audience, tags, type" in window.act_undo_button.toolTip()
    assert window.act_undo_button.isEnabled()
    window.repaint()
    QApplication.processEvents()
    assert [toolbar.widgetForAction(a).x() for a in actions] == before
    window.grab().save("/tmp/h22-toolbar.png")
    window.act_undo_button.trigger()
    qtbot.waitUntil(lambda: window.lib.get(rid).type == r.type)
