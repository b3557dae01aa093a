"""One change path: every write runs through the operations, which say what changed, and
the sidebar counts, the list heading, the table and the details pane all follow from that
one signal. Real widgets on a demo library, offscreen; nothing is refreshed by hand here.
"""

from __future__ import annotations

import re
import threading

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from curator.catalogue.vocab import VIEW_LABELS
from curator.ui import main_window as main_window_module
from curator.ui.table import COLUMN_KEYS
from tests.support.qt import idle

STATUS = COLUMN_KEYS.index("status")
LINK = COLUMN_KEYS.index("link_health")
REVIEW = COLUMN_KEYS.index("review_due")


def sidebar_count(window, kind: str, key: str) -> int:
    """The count the sidebar shows for a view or theme (from its accessible text)."""
    side = window.sidebar
    for group in range(side.topLevelItemCount()):
        parent = side.topLevelItem(group)
        for i in range(parent.childCount()):
            item = parent.child(i)
            if (item.data(0, Qt.ItemDataRole.UserRole + 1),
                    item.data(0, Qt.ItemDataRole.UserRole + 2)) == (kind, key):
                text = item.data(0, Qt.ItemDataRole.AccessibleTextRole)
                return int(re.search(r", (\d+) resources$", text).group(1))
    raise AssertionError(f"no sidebar entry {kind} {key}")


def heading_count(window) -> int:
    match = re.fullmatch(r"(.+): (\d+) resources?", window.heading.text())
    assert match, window.heading.text()
    return int(match.group(2))


def settled(qtbot, window) -> None:
    idle(qtbot, window)
    qtbot.wait(20)  # results queued by the last operations arrive
    idle(qtbot, window)


def assert_agree(qtbot, window, kind: str = "view", key: str | None = None) -> int:
    """The heading, the table and the sidebar all tell the same count for the list shown."""
    settled(qtbot, window)
    kind, key = window.sidebar.current() if key is None else (kind, key)
    shown = heading_count(window)
    assert shown == window.model.rowCount() == sidebar_count(window, kind, key), (
        window.heading.text(), window.model.rowCount(), sidebar_count(window, kind, key))
    label = dict(VIEW_LABELS).get(key) if kind == "view" else None
    if label:
        assert window.heading.text().startswith(label + ":")
    return shown


def show_view(qtbot, window, key: str) -> int:
    window.sidebar.select("view", key)
    return assert_agree(qtbot, window)


def pick(window, row: int) -> None:
    """Select just this row (selectRow would extend a selection if a modifier is down)."""
    flags = QItemSelectionModel.SelectionFlag
    window.table.selectionModel().setCurrentIndex(window.model.index(row, 0),
                                                  flags.ClearAndSelect | flags.Rows)


def select(qtbot, window, resource_id: str) -> None:
    pick(window, window.model.row_of(resource_id))
    qtbot.waitUntil(lambda: window.details.resource() is not None
                    and window.details.resource().id == resource_id)


def statuses(window) -> list[str]:
    return [window.model.index(r, STATUS).data() for r in range(window.model.rowCount())]


def test_submitting_a_draft_moves_it_between_lists_and_counts(window, qtbot):
    assert show_view(qtbot, window, "drafts") == 1
    awaiting_before = sidebar_count(window, "view", "awaiting")
    rid = window.model.id_at(0)
    select(qtbot, window, rid)
    window.details.step_buttons["submit"].click()
    qtbot.waitUntil(lambda: window.lib.get(rid).status == "submitted", timeout=5000)
    assert assert_agree(qtbot, window) == 0
    assert window.details.resource() is None  # the list is empty: nothing to show
    assert sidebar_count(window, "view", "awaiting") == awaiting_before + 1
    assert show_view(qtbot, window, "awaiting") == awaiting_before + 1
    assert set(statuses(window)) == {"Awaiting approval"}


def test_approving_everything_awaiting_empties_the_list_and_its_heading(window, qtbot):
    show_view(qtbot, window, "awaiting")
    mine = [i for i in window.model.ids() if "approve" in window.lib.available_steps(i)]
    assert mine
    for rid in mine:
        select(qtbot, window, rid)
        before = assert_agree(qtbot, window)
        window.details.step_buttons["approve"].click()
        qtbot.waitUntil(lambda rid=rid: window.lib.get(rid).status == "approved", timeout=5000)
        assert assert_agree(qtbot, window) == before - 1
        assert rid not in window.model.ids()
    assert set(statuses(window)) <= {"Awaiting approval"}
    # The one left is not Sam's to approve; the heading says so, not a stale number.
    assert window.heading.text() == f"Awaiting approval: {window.model.rowCount()} resource" + (
        "" if window.model.rowCount() == 1 else "s")


def test_delete_then_restore_from_the_trash(window, qtbot):
    assert show_view(qtbot, window, "all") == 15
    pick(window, 2)
    rid = window.current_id()
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: window.lib.get(rid).in_trash, timeout=5000)
    assert assert_agree(qtbot, window) == 14
    assert sidebar_count(window, "view", "trash") == 1
    # The resource that took its place is selected and shown.
    assert window.current_id() not in (None, rid)
    assert window.details.resource().id == window.current_id()
    assert show_view(qtbot, window, "trash") == 1
    assert statuses(window)[0].endswith("(in trash)")
    pick(window, 0)
    window.act_restore.trigger()
    qtbot.waitUntil(lambda: not window.lib.get(rid).in_trash, timeout=5000)
    assert assert_agree(qtbot, window) == 0
    assert show_view(qtbot, window, "all") == 15


def test_undoing_a_delete_puts_the_counts_back(window, qtbot):
    pick(window, 0)
    rid = window.current_id()
    theme = window.lib.get(rid).themes[0]
    theme_before = sidebar_count(window, "theme", theme)
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: window.lib.get(rid).in_trash, timeout=5000)
    assert assert_agree(qtbot, window) == 14
    assert sidebar_count(window, "theme", theme) == theme_before - 1
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: not window.lib.get(rid).in_trash, timeout=5000)
    assert assert_agree(qtbot, window) == 15
    assert sidebar_count(window, "theme", theme) == theme_before


def test_an_edit_shows_in_the_row_the_details_and_its_theme_count(window, qtbot):
    window.sidebar.select("theme", "DIG")
    before = assert_agree(qtbot, window)
    rid = window.model.id_at(0)
    select(qtbot, window, rid)
    window.details.title.setText("A clearer title")
    window.details.title.textEdited.emit("A clearer title")
    window.details.theme_boxes["DIG"].setChecked(False)
    window.details.theme_boxes["NEG"].setChecked(True)
    window.details.save_button.click()
    qtbot.waitUntil(lambda: window.lib.get(rid).title == "A clearer title", timeout=5000)
    assert assert_agree(qtbot, window) == before - 1  # it left the theme's list
    assert sidebar_count(window, "theme", "NEG") == len(window.lib.list(theme="NEG"))
    window.sidebar.select("theme", "NEG")
    assert_agree(qtbot, window)
    row = window.model.row_of(rid)
    assert window.model.index(row, 0).data() == "A clearer title"
    select(qtbot, window, rid)
    assert window.details.title.text() == "A clearer title"
    assert not window.details.save_button.isEnabled()  # what is shown is what is stored


def test_a_clip_appears_in_all_and_recent_and_is_selected(window, qtbot, httpserver,
                                                          page_bytes):
    httpserver.expect_request("/new").respond_with_data(page_bytes("guidance.html"),
                                                        content_type="text/html")
    recent = sidebar_count(window, "view", "recent")
    QGuiApplication.clipboard().setText("")
    dialog = window.open_clip_dialog(httpserver.url_for("/new"))
    dialog.theme_boxes["NEG"].setChecked(True)
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Fetched"), timeout=10000)
    dialog.clip_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    new = window.lib.find_existing(httpserver.url_for("/new"))
    qtbot.waitUntil(lambda: window.current_id() == new.id, timeout=5000)
    assert assert_agree(qtbot, window) == 16
    assert sidebar_count(window, "view", "recent") == recent + 1
    assert sidebar_count(window, "theme", "NEG") == len(window.lib.list(theme="NEG"))
    assert window.details.resource().id == new.id


def test_any_operation_that_writes_refreshes_the_window(window, qtbot):
    # Not a command of the window's: a write run through the operations alone.
    rid = window.model.id_at(0)
    retired = sidebar_count(window, "view", "retired")
    seen = []
    window.ops.changed.connect(seen.append)
    window.ops.run(lambda ctx: window.lib.retire(rid, "Replaced by newer guidance"))
    qtbot.waitUntil(lambda: window.lib.get(rid).status == "retired", timeout=5000)
    assert assert_agree(qtbot, window) == 15
    assert sidebar_count(window, "view", "retired") == retired + 1
    assert window.model.index(window.model.row_of(rid), STATUS).data() == "Retired"
    assert len(seen) == 1 and rid in seen[0].resources


def test_work_that_fails_part_way_still_reports_what_it_wrote(window, qtbot):
    rid = window.model.id_at(0)
    failures = []

    def half_done(ctx):
        window.lib.delete(rid)
        raise RuntimeError("stopped after the first")
    window.ops.run(half_done, on_failure=lambda error: failures.append(error) or True)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert assert_agree(qtbot, window) == 14
    assert sidebar_count(window, "view", "trash") == 1


def test_a_link_check_refreshes_the_link_column_in_the_core_words(window, qtbot, httpserver):
    # A check rewrites link columns with no audit event: the table must still follow.
    rows = window.lib.list()[:2]
    httpserver.expect_request("/ok").respond_with_data("<html><title>t</title><p>x</p></html>",
                                                       content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    window.ops.run(lambda ctx: (window.lib.replace_link(rows[0].id, httpserver.url_for("/ok")),
                                window.lib.replace_link(rows[1].id,
                                                        httpserver.url_for("/gone"))))
    settled(qtbot, window)
    with window.lib.store.write() as db:  # only these two are checked
        db.execute("UPDATE resources SET status = 'retired' WHERE id NOT IN (?, ?)",
                   (rows[0].id, rows[1].id))
    gone_row = window.model.row_of(rows[1].id)
    before = window.model.index(gone_row, LINK).data()  # read (and cached) before the check
    window.act_check_links.trigger()
    qtbot.waitUntil(lambda: window.lib.get(rows[1].id).link_health == "check_again",
                    timeout=15000)
    settled(qtbot, window)
    gone = window.model.index(window.model.row_of(rows[1].id), LINK)
    assert gone.data() == "Not found (404)" != before
    assert gone.data(Qt.ItemDataRole.ToolTipRole).endswith(
        "checking again tomorrow before calling it broken.")
    assert window.model.index(window.model.row_of(rows[0].id), LINK).data() == "Working"
    assert_agree(qtbot, window)


def test_link_health_and_overdue_come_from_the_core(window, qtbot):
    ids = window.model.ids()[:3]
    for rid, health in zip(ids, ("moved", "unreachable", "blocked"), strict=True):
        def mark(ctx, rid=rid, health=health):
            with window.lib.store.write() as db:
                db.execute("UPDATE resources SET link_health = ?, review_due = '2001-01-01' "
                           "WHERE id = ?", (health, rid))
        window.ops.run(mark, changes="all")
    settled(qtbot, window)
    words = window.lib.table_rows(ids)
    for rid, health in zip(ids, ("moved", "unreachable", "blocked"), strict=True):
        row = window.model.row_of(rid)
        assert words[rid]["link_health"] == health
        assert window.model.index(row, LINK).data() == words[rid]["link_text"]
        assert window.model.index(row, LINK).data(Qt.ItemDataRole.ToolTipRole) == \
            words[rid]["link_tip"]
        due = window.model.index(row, REVIEW)
        assert due.data(Qt.ItemDataRole.ToolTipRole) == "Overdue for review"
        assert due.data(Qt.ItemDataRole.AccessibleTextRole).endswith(", overdue")
    rows = window.lib.table_rows(window.model.ids())
    for row in range(window.model.rowCount()):
        rid = window.model.id_at(row)
        tip = window.model.index(row, REVIEW).data(Qt.ItemDataRole.ToolTipRole)
        assert (tip == "Overdue for review") == rows[rid]["overdue"]


def test_unsaved_edits_survive_a_change_made_elsewhere(window, qtbot):
    rid = window.current_id()
    window.details.notes.setPlainText("Half-written thought")
    assert window.details.is_dirty()
    window.ops.run(lambda ctx: window.lib.confirm(rid))  # the same resource, changed meanwhile
    qtbot.waitUntil(lambda: window.lib.reviews(rid) != [], timeout=5000)
    settled(qtbot, window)
    assert window.details.notes.toPlainText() == "Half-written thought"
    assert window.details.save_button.isEnabled()
    window.details.revert_button.click()  # so closing the window asks nothing


# -- the GUI thread never writes -----------------------------------------------------------------
def watch_writes(window, monkeypatch) -> list[str]:
    """Record the thread of every database write and of closing the library."""
    threads: list[str] = []
    store, lib = window.lib.store, window.lib
    real_write, real_close = store.write, lib.close

    def write(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real_write(*args, **kwargs)

    def close():
        threads.append(threading.current_thread().name)
        real_close()
    monkeypatch.setattr(store, "write", write)
    monkeypatch.setattr(lib, "close", close)
    return threads


def test_switching_to_a_new_expert_writes_off_the_gui_thread(window, qtbot, monkeypatch):
    threads = watch_writes(window, monkeypatch)
    from curator.ui import window_library
    monkeypatch.setattr(window_library.QInputDialog, "getItem",
                        lambda *a, **k: (window_library.SOMEONE_NEW, True))
    monkeypatch.setattr(window_library.QInputDialog, "getText",
                        lambda *a, **k: ("Jo Grant", True))
    drafts_before = sidebar_count(window, "view", "drafts")
    window.act_switch_expert.trigger()
    qtbot.waitUntil(lambda: "Jo Grant" in window.expert_label.text(), timeout=5000)
    settled(qtbot, window)
    assert window.lib.acting.name == "Jo Grant"
    assert window.lib.setting("last_expert") == "Jo Grant"
    assert threads and threading.main_thread().name not in threads
    assert drafts_before == 1 and sidebar_count(window, "view", "drafts") == 0  # Jo's own
    assert_agree(qtbot, window)


def test_closing_with_unsaved_edits_saves_and_closes_off_the_gui_thread(window, qtbot,
                                                                        monkeypatch, tmp_path):
    from curator.library import Library
    threads = watch_writes(window, monkeypatch)
    rid, folder = window.current_id(), window.lib.folder
    window.details.notes.setPlainText("Written just before closing")
    monkeypatch.setattr(main_window_module.QMessageBox, "question",
                        lambda *a, **k: main_window_module.QMessageBox.StandardButton.Save)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert len(threads) >= 2 and threading.main_thread().name not in threads
    with Library.open(folder) as lib:
        assert lib.get(rid).notes == "Written just before closing"


def test_a_save_that_fails_on_closing_keeps_the_window_open(window, qtbot, monkeypatch):
    rid = window.current_id()
    window.details.notes.setPlainText("My edit")
    window.ops.run(lambda ctx: window.lib.edit(rid, {"notes": "Someone else's edit"}))
    idle(qtbot, window)  # the stored version moved on under the pane
    assert window.details.notes.toPlainText() == "My edit"
    shown = []
    monkeypatch.setattr(main_window_module.QMessageBox, "question",
                        lambda *a, **k: main_window_module.QMessageBox.StandardButton.Save)
    monkeypatch.setattr(main_window_module, "show_error",
                        lambda parent, message, details="": shown.append(message))
    window.ops.error.disconnect()
    window.ops.error.connect(lambda message, details: shown.append(message))
    window.close()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert window.isVisible()
    assert window.lib.get(rid).notes == "Someone else's edit"
    assert "changed" in shown[0].lower() or "meanwhile" in shown[0].lower(), shown[0]
    window.details.revert_button.click()


def test_restoring_a_backup_shows_the_restored_library(window, qtbot, monkeypatch):
    from curator.ui import window_library
    old = window.lib
    threads = watch_writes(window, monkeypatch)
    window.act_backup.trigger()
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(), timeout=10000)
    pick(window, 0)
    rid = window.current_id()
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: old.get(rid).in_trash, timeout=5000)
    assert assert_agree(qtbot, window) == 14
    monkeypatch.setattr(window_library.QInputDialog, "getItem",
                        lambda parent, title, label, items, *a: (items[0], True))
    window.act_restore_backup.trigger()
    qtbot.waitUntil(lambda: window.lib is not old, timeout=15000)
    assert assert_agree(qtbot, window) == 15  # the backup was taken before the delete
    assert sidebar_count(window, "view", "trash") == 0
    assert not window.lib.get(rid).in_trash and window.lib.acting.name == "Sam Patel"
    assert threads and threading.main_thread().name not in threads
