"""The main window: sidebar, search, resource table and details pane, with menus.

It wires widgets to library calls run through :class:`Operations`; it decides nothing
about resources itself. What it shows, and refreshing that from the one change signal,
is in :mod:`curator.ui.window_lists`; work on the library as a whole (another library or
expert, backups, link checks) in :mod:`curator.ui.window_library`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from curator import __version__
from curator.base.errors import CuratorError
from curator.library import Library
from curator.ui import demo_visit
from curator.ui.details import DetailsPane
from curator.ui.errors import show_error
from curator.ui.ops import Operations
from curator.ui.search_bar import SearchBar
from curator.ui.sidebar import Sidebar
from curator.ui.steps import StepController
from curator.ui.table import COLUMN_KEYS, ResourceTable, ResourceTableModel
from curator.ui.undo import DeleteCommand, EditCommand
from curator.ui.window_library import LibraryMixin
from curator.ui.window_lists import ListsMixin

if TYPE_CHECKING:  # the dialog loads when first opened
    from curator.ui.clip_dialog import ClipDialog


def url_from_text(text: str) -> str | None:
    """A clippable address in *text* (a clipboard or a drop), or None."""
    text = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    if not text.lower().startswith(("http://", "https://", "www.")):
        return None
    try:
        return Library.check_url(text)
    except CuratorError:
        return None


def _ui(name: str):
    """The UI module *name*, imported when an action first needs it."""
    import importlib
    return importlib.import_module(f"curator.ui.{name}")


#: Rows read with the first list: a tall screen's worth (the rest are read when painted).
FIRST_PAGE = 64


class MainWindow(ListsMixin, LibraryMixin, QMainWindow):
    #: The first screen is filled (its list, counts, tags and saved searches read).
    first_screen_settled = Signal()

    def __init__(self, library: Library, settings: QSettings | None = None):
        super().__init__()
        self.lib = library
        self.settings = settings or QSettings()
        self.setWindowTitle("Curator")
        self.setAcceptDrops(True)
        self.resize(1024, 700)  # until _restore_state fits it to the screen (window_fit)
        self.ops = Operations(self, self.statusBar(), library=lambda: self.lib)
        self.ops.error.connect(lambda msg, details: show_error(self, msg, details))
        self.undo_stack = QUndoStack(self)
        self._init_lists()
        saved = str(self.settings.value("table/sort", "") or "")  # as last left
        key, _, desc = saved.partition(":")
        if key in COLUMN_KEYS and desc in ("0", "1"):
            self._sort = (key, desc == "1")
        self._read_first_page()  # while the window is built (the heading agrees, below)
        self._saved_for_close = False
        self.clip_dialog: ClipDialog | None = None

        self.sidebar = Sidebar()
        self.search = SearchBar()
        self.model = ResourceTableModel(self._fetch_rows, self)
        self.table = ResourceTable(self.model)
        self.details = DetailsPane()
        self.heading = QLabel()
        self.heading.setAccessibleName("Current list")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)

        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.search)
        column.addWidget(self.heading)
        column.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([210, 930, 360])
        self.setCentralWidget(self.splitter)
        self.setTabOrder(self.sidebar, self.search.box)
        self.setTabOrder(self.search.box, self.search.help_button)
        self.setTabOrder(self.search.help_button, self.table)
        self.setTabOrder(self.table, self.details)

        self.expert_label = QLabel()
        self.expert_label.setAccessibleName("Signed in as")
        self.statusBar().addPermanentWidget(self.expert_label)
        self._make_actions()
        self._make_menus()

        self.sidebar.selection_changed.connect(self._scope_changed)
        self.search.query_changed.connect(self._search)
        self.search.more_requested.connect(self._more_results)
        self.model.sort_requested.connect(self._sort_requested)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.details.save_requested.connect(self._save_details)
        self.details.commit_requested.connect(self._commit_details)
        self.details.open_url.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.details.refetch_requested.connect(self._refetch)
        self.steps = StepController(self)
        self.details.step_requested.connect(self.steps.take_step)
        self.ops.busy_changed.connect(self._busy)
        # The one way the window learns what a write changed (see window_lists).
        self.ops.changed.connect(self.on_changed)
        self._restore_state()
        self.table.show_reasons(False)  # only Due for review and Broken links show why
        self.setWindowTitle(self.lib.folder.name)  # Qt adds " — Curator" (the display name)
        from curator.ui.team_panel import attach as attach_team
        attach_team(self)  # File › Sync now, a sync every few minutes, its status (issue 19)
        from curator.ui.sidebar_lists import attach as attach_sidebar_lists
        attach_sidebar_lists(self, load=False)  # Tags, Saved searches, completion (issue 17)
        from curator.ui.reader import attach as attach_reader
        attach_reader(self)  # Read the page, beside Fetch again (issue 17)
        from curator.ui import bulk_dialog, themes_dialog
        themes_dialog.attach(self)  # Tools › Themes and experts (issue 17)
        bulk_dialog.attach(self)  # Edit › Change the selected resources (issue 17)
        self._open_first_screen()

    def _read_first_page(self) -> None:
        """Read the list and the rows of its first page off the GUI thread, started as
        soon as the window knows what it shows, so that the read runs while the window
        is built and drawn (issue 21)."""
        lib, scope, (sort, descending) = self.lib, self._scope, self._sort
        wanted = self._first_read = (scope, self._sort)
        if scope[0] != "view":
            return
        label = self._list_label(*scope)

        def first_page(ctx):
            ids = lib.work_list(scope[1], sort=sort, descending=descending)
            return ids, lib.table_rows(ids[:FIRST_PAGE])  # what the first paint shows

        def shown(found) -> None:
            if self._first_list_pending:  # the window was never finished (an error)
                return
            if not self._query and (self._scope, self._sort) == wanted and self.lib is lib:
                self._show_list(found[0], label, rows=found[1])
        self.ops.run(first_page, kind="read", on_success=shown)

    def _open_first_screen(self) -> None:
        """Fill the window, the list first: the first screen waits on nothing else.

        The reader runs its jobs in order: the list alone (the ids of the first list, one
        quick query), then the sidebar counts, then the sidebar's
        tags and saved searches, and only then are the start-up checks (the index, the
        integrity check, the daily backup) started, so that none of them competes with
        the first screen.
        """
        self._first_list_pending = False
        lib, kind = self.lib, self._scope[0]
        self._show_themes()
        self._show_expert()
        if kind == "view":  # the list alone, then the counts (the list is read once)
            if self._first_read != (self._scope, self._sort):  # restored otherwise
                self._read_first_page()  # (what was read first is then not shown)
            self._load_counts()
        else:
            self._load_list()
        self.sidebar_lists.reload()

        def settled(_none) -> None:
            self.first_screen_settled.emit()
            if self.lib is lib:  # what library_opened starts (the title is set already)
                self.reconcile_index()
                self.start_safety_checks()
        self.ops.run(lambda ctx: None, kind="read", on_success=settled)

    # -- actions and menus ---------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.setStatusTip(action.toolTip())
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        Std = QKeySequence.StandardKey
        self.act_clip = self._action("&Clip a link…", lambda: self.open_clip_dialog(), "Ctrl+L",
                                     "Clip a web page into your library (Ctrl+L)")
        self.act_refetch = self._action("&Fetch again", self._refetch_selected, None,
                                        "Fetch the selected page again")
        self.act_delete = self._action("&Delete", self.delete_selected, Std.Delete,
                                       "Move the selected resources to the trash (Delete)")
        self.act_restore = self._action("&Restore from trash", self.restore_selected, None,
                                        "Bring the selected resources back from the trash")
        self.act_empty_trash = self._action("Empty the trash…", self.empty_trash)
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(Std.Undo))
        self.act_undo.setToolTip("Undo the last change (Ctrl+Z)")
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence(Std.Redo))
        self.act_find = self._action("&Search", self.focus_search, Std.Find,
                                     "Search the library (Ctrl+F)")
        self.act_refresh = self._action("Re&fresh", self.refresh, Std.Refresh)
        self.act_open_library = self._action("&Open library…", self.open_library_dialog,
                                             Std.Open)
        # The dialogs behind these actions load when first asked for, not at start-up.
        self.act_export = self._action(
            "&Export a bundle…", lambda: _ui("bundle_dialogs").export_bundle(self), "Ctrl+E",
            "Export approved resources as a bundle for the portal (Ctrl+E)")
        self.act_import_links = self._action(
            "Import &links…", lambda: _ui("import_wizard").start(self), "Ctrl+I",
            "Bring in bookmarks, a spreadsheet, references or a list of links (Ctrl+I)")
        self.act_import_bundle = self._action("&Import a bundle…",
                                              lambda: _ui("bundle_dialogs").import_bundle(self))
        self.act_switch_expert = self._action("Switch &expert…", self.switch_expert)
        self.act_check_links = self._action(
            "&Check links…", self.check_links, "Ctrl+Shift+K",
            "Check every link for broken, moved, changed or withdrawn pages (in the background)")
        self.act_backup = self._action("&Back up now", self.backup_now, None,
                                       "Make a checked copy of the library in its backups folder")
        self.act_restore_backup = self._action("Restore from a &backup…", self.restore_backup)
        self.act_quit = self._action("&Quit", self.close, Std.Quit)
        self.act_about = self._action("&About Curator", self.about)
        self.act_query_help = self._action("How to &search", self.search.show_help, None,
                                           "What you can type in the search box")
        self.act_guide = self._action("&User guide", self.show_guide, Std.HelpContents,
                                      "Clipping, searching, reviewing, publishing and "
                                      "backups, step by step (F1)")
        self.act_settings = self._action(
            "&Settings…", lambda: _ui("settings_dialog").edit_settings(self), Std.Preferences,
            "Proxy, certificates, link checks, review and export defaults, library location")

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for a in (self.act_clip, self.act_refetch, self.act_import_links, None,
                  self.act_export, self.act_import_bundle, None, self.act_open_library,
                  self.act_switch_expert, None, self.act_backup, self.act_restore_backup,
                  None, self.act_quit):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        edit_menu = bar.addMenu("&Edit")
        for a in (self.act_undo, self.act_redo, None, self.act_delete, self.act_restore,
                  self.act_empty_trash, None, self.act_find):
            edit_menu.addSeparator() if a is None else edit_menu.addAction(a)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.act_refresh)
        tools_menu = bar.addMenu("&Tools")
        tools_menu.addAction(self.act_check_links)
        tools_menu.addSeparator()
        tools_menu.addAction(self.act_settings)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_guide)
        help_menu.addAction(self.act_query_help)
        help_menu.addAction(self.act_about)
        tools = QToolBar("Main")
        tools.setObjectName("main-toolbar")
        tools.setAccessibleName("Main toolbar")
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        from curator.ui.steady_toolbar import undo_button_action
        self.act_undo_button = undo_button_action(self, self.undo_stack)  # always "Undo"
        for a in (self.act_clip, self.act_refetch, self.act_delete, self.act_undo_button,
                  self.act_check_links, self.act_export):
            tools.addAction(a)
        self.addToolBar(tools)
        self.toolbar = tools

    # -- editing and commands ------------------------------------------------------------
    # Each runs through self.ops; the window refreshes from ops.changed, never here.
    def _commit_details(self, resource_id: str, changes: dict, before: dict) -> None:
        """A field was left: save it, undoably, unless it changed elsewhere meanwhile."""
        self.undo_stack.push(EditCommand(self.lib, self.ops, resource_id, before, changes,
                                         None, guard_fields=True,
                                         on_failure=self._commit_failed))

    def _commit_failed(self, resource_id: str) -> None:
        try:
            stored = self.lib.get(resource_id)
        except CuratorError:
            return
        self.details.save_failed(resource_id, stored)

    def _save_details(self, resource_id: str, changes: dict, version: int) -> None:
        r = self.lib.get(resource_id)
        before = {k: getattr(r, k) for k in changes}
        self.undo_stack.push(EditCommand(self.lib, self.ops, resource_id, before, changes,
                                         version))

    def handle_request(self, message: dict) -> None:
        """Another start of Curator handed over: come to the front, clip what it was given."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        if message.get("demo"):
            demo_visit.visit(self, message)  # switch to the demo, or say here why not
            return
        if message.get("browser_clip"):  # a page sent by the browser extension (issue 20)
            from curator.ui import browser_clips
            browser_clips.take(self, message["browser_clip"])
            return
        url = message.get("clip")
        if isinstance(url, str) and url.strip():
            self.open_clip_dialog(url.strip())

    def open_clip_dialog(self, url: str | None = None) -> ClipDialog:
        if url is None:
            url = url_from_text(QGuiApplication.clipboard().text()) or ""
        themes = [(t.code, t.name) for t in self.lib.themes(include_inactive=False)]
        from curator.ui.clip_dialog import ClipDialog
        dialog = ClipDialog(self.lib, self.ops, themes, url, self)
        dialog.clipped.connect(self._after_clip)
        dialog.open_existing.connect(self.open_resource)
        self.clip_dialog = dialog
        dialog.open()
        return dialog

    def _after_clip(self, result) -> None:
        """Open the new resource and say what Curator noticed about the page (a title it
        had to cut, a locked PDF...), which is also kept with the resource."""
        notes = " ".join(result.warnings)
        self.statusBar().showMessage(f"Clipped. {notes}" if notes else "Clipped.",
                                     12000 if notes else 4000)
        self.open_resource(result.resource.id)

    def _refetch(self, resource_id: str) -> None:
        lib = self.lib

        def done(result):
            self.statusBar().showMessage(result.message if result.ok else
                                         f"Could not fetch: {result.message}", 6000)
        self.ops.run(lambda ctx: lib.refetch(resource_id, ctx.cancelled), kind="network",
                     on_success=done, label="Fetching the page", show_progress=True)

    def _refetch_selected(self) -> None:
        for rid in self.selected_ids()[:20]:
            self._refetch(rid)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(DeleteCommand(self.lib, self.ops, ids))

    def restore_selected(self) -> None:
        ids, lib = self.selected_ids(), self.lib
        if not ids:
            return

        def work(ctx):
            for rid in ids:
                lib.restore(rid)
        self.ops.run(work)

    def empty_trash(self) -> None:
        answer = QMessageBox.question(
            self, "Empty the trash",
            "Remove everything in the trash for good? This cannot be undone.")
        if answer == QMessageBox.StandardButton.Yes:
            lib = self.lib
            self.ops.run(lambda ctx: lib.empty_trash(), changes="all",
                         on_success=lambda n: self.statusBar().showMessage(
                             f"Removed {n} for good.", 4000))

    def show_guide(self) -> None:
        from curator.ui.guide import GuideDialog
        GuideDialog(self).exec()

    def about(self) -> None:
        QMessageBox.about(self, "About Curator",
                          f"<b>Curator {__version__}</b><br>Keep your theme's research and "
                          f"practice links alive.<br><br>Library: {self.lib.folder}")

    def _busy(self, busy: bool) -> None:
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            while QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()

    # -- drag and drop -------------------------------------------------------------------
    def _dropped_url(self, mime) -> str | None:
        if mime.hasUrls():
            for url in mime.urls():
                found = url_from_text(url.toString())
                if found:
                    return found
        if mime.hasText():
            return url_from_text(mime.text())
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_url(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_url(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        url = self._dropped_url(event.mimeData())
        if url:
            event.acceptProposedAction()
            self.open_clip_dialog(url)

    # -- window state --------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        header = self.settings.value("table/header")
        heading = self.table.horizontalHeader()
        if header is not None and heading.restoreState(header):
            section = heading.sortIndicatorSection()
            order = heading.sortIndicatorOrder()
            if 0 <= section < len(COLUMN_KEYS):
                self._sort = (COLUMN_KEYS[section], order == Qt.SortOrder.DescendingOrder)
        else:  # the heading shows the sort the list is read in
            key, descending = self._sort
            heading.setSortIndicator(COLUMN_KEYS.index(key), Qt.SortOrder.DescendingOrder
                                     if descending else Qt.SortOrder.AscendingOrder)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        from curator.ui import window_fit
        window_fit.restore(self)  # the layout kept for this screen size, or one that fits

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        self.settings.setValue("table/sort", f"{self._sort[0]}:{int(self._sort[1])}")
        from curator.ui import window_fit
        window_fit.save(self)  # and for this screen size (issue 17)
        demo_visit.remember_library(self.settings, self.lib)  # never the demo: a visit
        self.settings.sync()

    def closeEvent(self, event) -> None:
        if getattr(self, "_closed", False):  # already closed: nothing left to save or stop
            event.accept()
            return
        if self.details.is_dirty() and not self._saved_for_close:
            # Saved on the writer like any edit; the window closes once it is safely
            # stored, and stays open (with the problem shown) if it could not be.
            event.ignore()
            self.details.commit()

            def saved(_result) -> None:
                if not self.details.is_dirty():
                    self._saved_for_close = True
                    self.close()
            self.ops.run(lambda ctx: None, on_success=saved, changes="none")
            return
        self.save_state()
        # Closing the library is the writer's last job: the GUI thread never writes.
        self.ops.shutdown(wait=True, last=self.lib.close)
        self._closed = True
        event.accept()
