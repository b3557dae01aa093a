"""The desktop app, driven offscreen with real widgets, a real library and a local server."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from curator.ui.table import COLUMN_KEYS, ResourceTableModel
from tests.support.qt import idle


def test_table_model_passes_the_model_tester(window, qtmodeltester):
    qtmodeltester.check(window.model)


def test_sidebar_counts_and_views(window, qtbot):
    window.sidebar.select("view", "awaiting")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    status = COLUMN_KEYS.index("status")
    assert all(window.model.index(r, status).data() == "Awaiting approval" for r in range(2))
    window.sidebar.select("theme", "DA")
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    window.sidebar.select("view", "trash")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)


def test_sorting_by_a_column_is_done_by_the_database(window, qtbot):
    col = list(window.model._ids) and 0
    window.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    idle(qtbot, window)
    titles = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    assert titles == sorted(titles, key=str.lower)


def test_edit_in_details_saves_and_undo_puts_it_back(window, qtbot):
    window.table.selectRow(0)
    rid = window.current_id()
    before = window.lib.get(rid).title
    window.details.title.setText("A clearer title")
    window.details.title.textEdited.emit("A clearer title")
    assert window.details.save_button.isEnabled()
    window.details.save_button.click()
    qtbot.waitUntil(lambda: window.lib.get(rid).title == "A clearer title")
    idle(qtbot, window)
    assert window.model.index(window.model.row_of(rid), 0).data() == "A clearer title"
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: window.lib.get(rid).title == before)


def test_delete_and_undo(window, qtbot):
    window.table.selectRow(0)
    rid = window.current_id()
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: window.lib.get(rid).in_trash)
    qtbot.waitUntil(lambda: window.model.rowCount() == 14)
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: not window.lib.get(rid).in_trash)


def test_clip_box_fetches_in_background_and_saves(window, qtbot, httpserver, page_bytes):
    httpserver.expect_request("/coercive").respond_with_data(page_bytes("guidance.html"),
                                                             content_type="text/html")
    url = httpserver.url_for("/coercive")
    QGuiApplication.clipboard().setText(url)
    window.act_clip.trigger()
    dialog = window.clip_dialog
    assert dialog.url.text() == url  # prefilled from the clipboard
    dialog.theme_boxes["DA"].setChecked(True)
    dialog.note.setPlainText("Use in supervision")
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Fetched:"), timeout=10000)
    assert "Recognising coercive control" in dialog.state.text()
    dialog.clip_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    idle(qtbot, window)
    r = window.lib.find_existing(url)
    assert r.themes == ["DA"] and r.notes == "Use in supervision"
    qtbot.waitUntil(lambda: window.current_id() == r.id)
    assert window.details.title.text().startswith("Recognising coercive control")


def test_clip_box_can_stop_a_slow_fetch(window, qtbot, raw_server):
    import threading
    release = threading.Event()
    raw_server.handler = lambda conn, req: release.wait(5)
    dialog = window.open_clip_dialog(raw_server.url("/slow"))
    qtbot.waitUntil(lambda: dialog.cancel_fetch_button.isVisible())
    dialog.cancel_fetch_button.click()
    assert "Stopped fetching" in dialog.state.text()
    release.set()
    dialog.reject()
    idle(qtbot, window)


def test_clipping_a_known_page_opens_the_existing_resource(window, qtbot):
    existing = window.lib.list()[3]
    dialog = window.open_clip_dialog(existing.url)
    qtbot.waitUntil(lambda: dialog.open_existing_button.isVisible(), timeout=10000)
    assert "already in your library" in dialog.state.text()
    dialog.open_existing_button.click()
    qtbot.waitUntil(lambda: window.current_id() == existing.id)


def test_dropping_a_link_opens_the_clip_box(window, qtbot):
    mime = QMimeData()
    mime.setUrls([QUrl("https://www.example.org/dropped-page")])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.clip_dialog is not None
    assert window.clip_dialog.url.text() == "https://www.example.org/dropped-page"
    window.clip_dialog.cancel_fetch()
    window.clip_dialog.reject()
    idle(qtbot, window)


def test_search_as_you_type_shows_snippets_and_facets(window, qtbot):
    qtbot.keyClicks(window.search.box, "coercive")
    qtbot.waitUntil(lambda: window.model.has_snippets(), timeout=5000)
    idle(qtbot, window)
    assert window.model.rowCount() >= 1
    first = window.model.index(0, 0)
    assert "coercive" in first.data().lower()
    from curator.ui.table import SnippetRole
    assert "[[" in (first.data(SnippetRole) or "")
    assert "result" in window.search.summary.text()
    window.search.box.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 15 and not window.model.has_snippets())


def test_every_focusable_widget_has_an_accessible_name(window):
    missing = []
    for w in window.findChildren(QWidget):
        if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isEnabled():
            if not w.accessibleName() and type(w).__name__ not in ("QScrollBar",):
                missing.append(f"{type(w).__name__} {w.objectName()}")
    assert not missing, missing


def test_tab_order_follows_the_layout(window, qtbot):
    window.sidebar.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(4):
        QApplication.focusWidget().focusNextChild()
        order.append(QApplication.focusWidget())
    names = [w.accessibleName() for w in order]
    assert names[:4] == ["Views and themes", "Search", "How to search", "Resources"]


def test_window_state_is_remembered(window, qtbot, settings, tmp_path):
    from PySide6.QtCore import QSettings

    from curator.library import Library
    from curator.ui.main_window import MainWindow
    from curator.ui.table import COLUMN_KEYS

    folder = window.lib.folder
    header = window.table.horizontalHeader()
    themes = COLUMN_KEYS.index("status")  # one that never gives way to a narrow window
    header.resizeSection(themes, 150)
    title = COLUMN_KEYS.index("title")
    header.setSortIndicator(title, Qt.SortOrder.AscendingOrder)
    window.resize(760, 560)
    qtbot.waitUntil(lambda: window.width() == 760)
    window.splitter.setSizes([150, 400, 200])
    sizes, size = window.splitter.sizes(), (window.width(), window.height())
    assert sizes[0] == 150
    window.close()  # closing saves the state
    assert settings.value("library/path") is None  # but the demo is a visit: not remembered

    # A new start: the same settings file read afresh, the same library opened again.
    again = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    lib = Library.open(folder)
    lib.act_as("Sam Patel")
    restored = MainWindow(lib, again)
    qtbot.addWidget(restored)
    restored.show()
    qtbot.waitUntil(lambda: restored.ops.pending() == 0, timeout=10000)
    head = restored.table.horizontalHeader()
    assert head.sectionSize(themes) == 150
    assert (head.sortIndicatorSection(), head.sortIndicatorOrder()) == (
        title, Qt.SortOrder.AscendingOrder)
    assert (restored.width(), restored.height()) == size
    assert restored.splitter.sizes() == sizes
    by_title = lib.work_list("all", sort="title", descending=False)
    assert by_title != lib.work_list("all")  # (the two orders differ here)
    assert restored.model.ids() == by_title  # read so from the start (issue 21)
    restored.close()

    # Settings from before the sort was kept on its own: the heading still decides.
    again.remove("table/sort")
    again.sync()
    older = MainWindow(lib, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(older)
    older.show()
    qtbot.waitUntil(lambda: older.ops.pending() == 0 and older.model.rowCount() > 0,
                    timeout=10000)
    assert older.model.ids() == by_title
    older.close()


def test_lazy_model_fetches_only_what_is_painted():
    calls = []

    def fetch(ids):
        calls.append(len(ids))
        return {i: {"id": i, "title": i, "url": "u", "type": "other", "status": "draft",
                    "review_due": None, "link_health": "ok", "clipped_at": "2026-01-01",
                    "fetch_state": "ok", "deleted_at": None, "clipped_by": "x",
                    "themes": ""} for i in ids}
    model = ResourceTableModel(fetch)
    model.set_ids([f"id{n}" for n in range(50_000)])
    assert model.rowCount() == 50_000
    model.index(25_000, 0).data()
    assert calls == [200]


def test_working_through_due_for_review_by_keyboard(window, qtbot):
    window.sidebar.select("view", "due")
    idle(qtbot, window)
    total = window.model.rowCount()
    assert total >= 2
    window.table.setFocus()
    window.table.selectRow(0)
    first = window.current_id()
    assert window.details.reasons.isVisible() and window.details.reasons.text()
    window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.lib.reviews(first) != [], timeout=5000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: window.current_id() not in (None, first), timeout=5000)
    assert window.model.rowCount() == total - 1 or first not in window.model.ids()
    [attestation] = window.lib.reviews(first)
    assert attestation["outcome"] == "confirmed" and attestation["expert"] == "Sam Patel"


def test_approving_from_awaiting_approval(window, qtbot):
    window.sidebar.select("view", "awaiting")
    idle(qtbot, window)
    ids = window.model.ids()
    lead_can = [i for i in ids if "approve" in window.lib.available_steps(i)]
    assert lead_can, "Sam leads DA, CSA and FII: something awaiting approval is his"
    rid = lead_can[0]
    window.table.selectRow(window.model.row_of(rid))
    assert window.details.step_buttons["approve"].isVisible()
    window.details.step_buttons["approve"].click()
    qtbot.waitUntil(lambda: window.lib.get(rid).status == "approved", timeout=5000)
    idle(qtbot, window)
    assert rid not in window.model.ids()


def test_export_from_the_app_writes_a_bundle(window, qtbot, monkeypatch, tmp_path):
    from curator.ui import bundle_dialogs

    monkeypatch.setattr(bundle_dialogs.ExportDialog, "exec", lambda self: (
        self.boxes["DA"].setChecked(True), self.folder.setText(str(tmp_path / "drop")), 1)[-1])
    shown = []
    monkeypatch.setattr(bundle_dialogs.QMessageBox, "exec", lambda self: shown.append(
        self.text()) or 0)
    window.act_export.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "The bundle is ready" in shown[0]
    assert list((tmp_path / "drop").glob("*.zip"))


def test_link_check_from_the_app_records_health(window, qtbot, httpserver):
    # Point two demo resources at a local server: one page that works, one that is gone.
    ids = window.lib.list()[:2]
    httpserver.expect_request("/ok").respond_with_data("<html><title>t</title><p>x</p></html>",
                                                       content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    window.lib.replace_link(ids[0].id, httpserver.url_for("/ok"))
    window.lib.replace_link(ids[1].id, httpserver.url_for("/gone"))
    with window.lib.store.write() as db:  # only these two are checked
        db.execute("UPDATE resources SET status = 'retired' WHERE id NOT IN (?, ?)",
                   (ids[0].id, ids[1].id))
    window.act_check_links.trigger()
    qtbot.waitUntil(lambda: window.lib.get(ids[1].id).link_health == "check_again",
                    timeout=15000)
    idle(qtbot, window)
    assert window.lib.get(ids[0].id).link_health == "ok"
    assert window.statusBar().currentMessage() == ("2 checked: 1 fine, 1 not found "
                                                   "(first time).")
    window.link_report.close()


def test_first_start_to_a_clipped_annotated_searchable_resource(qtbot, tmp_path, settings,
                                                                httpserver, page_bytes,
                                                                monkeypatch):
    from curator.ui import app as app_module
    from curator.ui.welcome import WelcomeDialog

    folder = tmp_path / "my library"

    def welcome(self):
        self.name.setText("Jo Grant")
        self.theme_boxes["DA"].setChecked(True)
        self.folder.setText(str(folder))
        self._start()
        return 1
    monkeypatch.setattr(WelcomeDialog, "exec", welcome)
    monkeypatch.delenv("CURATOR_LIBRARY")
    win = app_module.open_window(settings=settings)
    qtbot.addWidget(win)
    win.show()
    assert win.lib.folder == folder.resolve() and win.lib.actor.name == "Jo Grant"
    assert "Jo Grant" in win.lib.theme("DA").leads
    httpserver.expect_request("/cc").respond_with_data(page_bytes("guidance.html"),
                                                       content_type="text/html")
    dialog = win.open_clip_dialog(httpserver.url_for("/cc"))
    dialog.theme_boxes["DA"].setChecked(True)
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Fetched"), timeout=10000)
    dialog.clip_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    idle(qtbot, win)
    qtbot.waitUntil(lambda: win.details.resource() is not None, timeout=5000)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    win.details.notes.setFocus()
    win.details.notes.setPlainText("Use with the MARAC checklist")
    assert win.details.save_button.isEnabled()
    qtbot.keyClick(win.details.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.lib.list()[0].notes == "Use with the MARAC checklist",
                    timeout=5000)
    idle(qtbot, win)
    win.search.set_text("MARAC")
    qtbot.waitUntil(lambda: win.model.has_snippets() and win.model.rowCount() == 1,
                    timeout=5000)
    assert settings.value("library/path") == str(win.lib.folder)
    win.close()
