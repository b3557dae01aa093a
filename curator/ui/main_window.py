"""The main window: sidebar, search, resource table and details pane, with menus.

It wires widgets to library calls run through :class:`Operations`; it decides nothing
about resources itself.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
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
from curator.catalogue import worklists as views
from curator.catalogue.urls import check_url
from curator.library import Library
from curator.ui.clip_dialog import ClipDialog
from curator.ui.details import DetailsPane
from curator.ui.errors import show_error
from curator.ui.ops import Operations
from curator.ui.search_bar import SearchBar
from curator.ui.sidebar import Sidebar
from curator.ui.steps import StepController
from curator.ui.table import COLUMN_KEYS, ResourceTable, ResourceTableModel
from curator.ui.undo import DeleteCommand, EditCommand


def url_from_text(text: str) -> str | None:
    """A clippable address in *text* (a clipboard or a drop), or None."""
    text = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    if not text.lower().startswith(("http://", "https://", "www.")):
        return None
    try:
        return check_url(text).url
    except CuratorError:
        return None


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings | None = None):
        super().__init__()
        self.lib = library
        self.settings = settings or QSettings()
        self.setWindowTitle("Curator")
        self.setAcceptDrops(True)
        self.resize(1500, 860)
        self.ops = Operations(self, self.statusBar())
        self.ops.error.connect(lambda msg, details: show_error(self, msg, details))
        self.undo_stack = QUndoStack(self)
        self._scope: tuple[str, str] = ("view", "all")
        self._sort: tuple[str, bool] = ("clipped_at", True)
        self._search_seq = 0
        self._query = ""
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
        self.search.more_requested.connect(
            lambda: self._search(self._query, self._search_limit + 4 * self.SEARCH_PAGE))
        self.model.sort_requested.connect(self._sort_requested)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.details.save_requested.connect(self._save_details)
        self.details.open_url.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.details.refetch_requested.connect(self._refetch)
        self.steps = StepController(self)
        self.details.step_requested.connect(self.steps.take_step)
        self.ops.busy_changed.connect(self._busy)
        self._restore_state()
        self.library_changed()

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
        from curator.ui import bundle_dialogs
        self.act_export = self._action("&Export a bundle…", lambda: bundle_dialogs.export_bundle(
            self), "Ctrl+E", "Export approved resources as a bundle for the portal (Ctrl+E)")
        from curator.ui import import_wizard
        self.act_import_links = self._action(
            "Import &links…", lambda: import_wizard.start(self), "Ctrl+I",
            "Bring in bookmarks, a spreadsheet, references or a list of links (Ctrl+I)")
        self.act_import_bundle = self._action("&Import a bundle…",
                                              lambda: bundle_dialogs.import_bundle(self))
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
        from curator.ui import settings_dialog
        self.act_settings = self._action(
            "&Settings…", lambda: settings_dialog.edit_settings(self), Std.Preferences,
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
        for a in (self.act_clip, self.act_refetch, self.act_delete, self.act_undo,
                  self.act_check_links, self.act_export):
            tools.addAction(a)
        self.addToolBar(tools)
        self.toolbar = tools

    # -- library -------------------------------------------------------------------------
    def library_changed(self) -> None:
        """Show the (new) library: themes, counts, the current list."""
        themes = [(t.code, t.name) for t in self.lib.themes(include_inactive=False)]
        self.sidebar.set_themes(themes)
        self.details.set_themes(themes)
        self.setWindowTitle(f"Curator — {self.lib.folder.name}")
        try:
            who = self.lib.actor.name
        except CuratorError:
            who = "no expert chosen"
        self.expert_label.setText(f"{who} · {self.lib.folder}")
        self.refresh()
        self.reconcile_index()
        self.start_safety_checks()

    def check_links(self) -> None:
        """Check links in the background with progress; a stopped check resumes next time."""
        from curator.base.errors import Cancelled
        from curator.review.linkhealth import HEALTH_LABELS
        lib = self.lib

        def work(ctx):
            return lib.check_links(cancel=ctx.cancelled,
                                   progress=lambda d, t, text: ctx.progress(d, t, text))

        def done(summary):
            parts = [f"{HEALTH_LABELS.get(h, h)}: {n}" for h, n in sorted(summary.health.items())]
            self.statusBar().showMessage(f"Checked {summary.checked} links. " + "; ".join(parts),
                                         15000)
            self.refresh()

        def failed(error) -> bool:
            if isinstance(error, Cancelled):
                self.statusBar().showMessage(error.message, 10000)
                self.refresh()
                return True
            return False
        self.ops.run(work, kind="network", on_success=done, on_failure=failed,
                     label="Checking links", show_progress=True)

    def start_safety_checks(self) -> None:
        """In the background: integrity check, daily backup, and a warning for risky places."""
        lib = self.lib

        def work(ctx):
            lib.check_integrity()
            lib.backup_if_due()
            return lib.risky_place()

        def done(warning):
            if warning:
                QMessageBox.warning(self, "Where your library is", warning)

        def failed(error) -> bool:
            from curator.storage.recovery import LibraryDamaged
            if isinstance(error, LibraryDamaged):
                self.offer_restore(error.message)
                return True
            return False
        self.ops.run(work, kind="write", on_success=done, on_failure=failed)

    def backup_now(self) -> None:
        self.ops.run(lambda ctx: self.lib.backup("manual"),
                     on_success=lambda path: self.statusBar().showMessage(
                         f"Backed up to {path}", 8000),
                     label="Backing up the library", show_progress=True)

    def restore_backup(self) -> None:
        backups = self.lib.list_backups()
        if not backups:
            QMessageBox.information(self, "Restore", "This library has no backups yet.")
            return
        labels = [f"{b.taken.astimezone():%d %b %Y %H:%M} ({b.reason})" for b in backups]
        choice, ok = QInputDialog.getItem(self, "Restore from a backup",
                                          "Put this backup in place of the library (the "
                                          "current one is backed up first):", labels, 0, False)
        if ok:
            self._restore(backups[labels.index(choice)].path)

    def offer_restore(self, message: str) -> None:
        answer = QMessageBox.warning(self, "The library is damaged", message + "\n\nRestore "
                                     "the newest good backup now?",
                                     QMessageBox.StandardButton.Yes
                                     | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._restore(None)

    def _restore(self, path) -> None:
        from curator.storage import recovery
        folder = self.lib.folder
        expert = self.lib.actor.name if self.lib._actor else None

        def work(ctx):
            self.lib.close()
            recovery.restore(folder, path)
            lib = Library.open(folder, check="full")
            if expert:
                lib.act_as(expert)
            return lib

        def done(lib):
            self.lib = lib
            self.undo_stack.clear()
            self.library_changed()
            self.statusBar().showMessage("The library was restored from the backup.", 8000)
        self.ops.run(work, on_success=done, label="Restoring the library", show_progress=True)

    def reconcile_index(self) -> None:
        """Bring the search index up to date in the background (rebuilt if damaged)."""
        lib = self.lib

        def work(ctx):
            if lib.indexer.needs_rebuild():
                ctx.label = "Rebuilding the search index"
                lib.indexer.rebuild(progress=lambda d, t: ctx.progress(d, t),
                                    cancel=ctx.cancelled)
            else:
                lib.indexer.drain()
        self.ops.run(work, kind="write", label="Updating the search index", show_progress=True)

    def refresh(self) -> None:
        self._load_counts()
        if self._query:
            self._search(self._query)
        else:
            self._load_list()

    def _fetch_rows(self, ids: list[str]) -> dict[str, dict]:
        return views.rows(self.lib.store, ids)

    def _load_counts(self) -> None:
        lib = self.lib

        def work(ctx):
            expert_id = lib.actor.id if lib._actor else None
            return views.counts(lib.store, expert_id)
        self.ops.run(work, kind="read", on_success=self.sidebar.set_counts)

    def _load_list(self, select: str | None = None) -> None:
        kind, key = self._scope
        sort, desc = self._sort
        lib = self.lib

        def work(ctx):
            expert_id = lib.actor.id if lib._actor else None
            if kind == "theme":
                return views.ids(lib.store, "all", theme=key, sort=sort, descending=desc)
            return views.ids(lib.store, key, expert_id=expert_id, sort=sort, descending=desc)

        label = dict(views.VIEWS).get(key, key) if kind == "view" else \
            next((t.name for t in lib.themes() if t.code == key), key)

        def done(ids):
            if self._query:
                return
            current = select or self.current_id()
            self.model.set_ids(ids)
            self.table.use_snippet_rows(False)
            n = len(ids)
            self.heading.setText(f"{label}: {n} resource{'s' if n != 1 else ''}")
            self._reselect(current)
        self.ops.run(work, kind="read", on_success=done)

    def _reselect(self, resource_id: str | None) -> None:
        row = self.model.row_of(resource_id) if resource_id else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.details.show_resource(None)

    def _scope_changed(self, kind: str, key: str) -> None:
        self._scope = (kind, key)
        if (kind, key) == ("view", "due"):
            # Work through what is due in date order, most urgent first.
            self._sort = ("review_due", False)
            self.table.horizontalHeader().blockSignals(True)
            self.table.horizontalHeader().setSortIndicator(
                COLUMN_KEYS.index("review_due"), Qt.SortOrder.AscendingOrder)
            self.table.horizontalHeader().blockSignals(False)
        if self._query:
            self.search.set_text("")
        self._load_list()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self._load_list()

    # -- search --------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.box.setFocus()
        self.search.box.selectAll()

    SEARCH_PAGE = 50

    def _search(self, query: str, limit: int | None = None) -> None:
        if query != self._query:
            self._search_limit = self.SEARCH_PAGE
        self._search_limit = limit or getattr(self, "_search_limit", self.SEARCH_PAGE)
        self._query = query
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            self.search.show_results(None)
            self._load_list()
            return
        lib = self.lib

        wanted = self._search_limit

        def work(ctx):
            return lib.search(query, limit=wanted)

        def done(results):
            if seq != self._search_seq:
                return  # the person typed on; a newer search is coming
            current = self.current_id()
            self.model.set_ids([h.id for h in results.hits],
                               {h.id: h.snippet or " " for h in results.hits})
            self.table.use_snippet_rows(True)
            self.search.show_results(results, shown=len(results.hits))
            self.heading.setText(f"Search results for “{query}”")
            self._reselect(current)
        self.ops.run(work, kind="read", on_success=done)

    # -- selection and details -----------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [rid for rid in (self.model.id_at(r) for r in rows) if rid]

    def _row_changed(self, current, _previous) -> None:
        rid = self.model.id_at(current.row()) if current.isValid() else None
        self.show_details(rid)

    def show_details(self, resource_id: str | None) -> None:
        if resource_id is None:
            self.details.show_resource(None)
            return
        try:
            resource = self.lib.get(resource_id)
            history = self.lib.history(resource_id)
            steps = self.lib.available_steps(resource_id)
            item = self.lib.review_item(resource_id)
        except CuratorError:
            self.details.show_resource(None)
            return
        self.details.show_resource(resource, history)
        self.details.set_steps(steps, [r.text for r in item.reasons] if item else [])

    def open_resource(self, resource_id: str) -> None:
        """Show a resource, wherever it is: select it in the list, or switch to all."""
        if self.model.row_of(resource_id) < 0:
            self.search.box.blockSignals(True)
            self.search.box.clear()
            self.search.box.blockSignals(False)
            self._query = ""
            self.search.show_results(None)
            in_trash = self.lib.get(resource_id).in_trash
            self.sidebar.blockSignals(True)
            self.sidebar.select("view", "trash" if in_trash else "all")
            self.sidebar.blockSignals(False)
            self._scope = ("view", "trash" if in_trash else "all")
            self._load_list(select=resource_id)
        else:
            self._reselect(resource_id)
        self.show_details(resource_id)

    def _changed(self, ids: list[str]) -> None:
        """After a write: refresh those rows, the details and the counts."""
        self.model.refresh_rows(ids)
        if self.current_id() in ids:
            self.show_details(self.current_id())
        self._load_counts()

    def _save_details(self, resource_id: str, changes: dict, version: int) -> None:
        r = self.lib.get(resource_id)
        before = {k: getattr(r, k) for k in changes}
        self.undo_stack.push(EditCommand(self.lib, self.ops, resource_id, before, changes,
                                         version, self._changed))

    # -- commands ------------------------------------------------------------------------
    def handle_request(self, message: dict) -> None:
        """Another start of Curator handed over: come to the front, clip what it was given."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        url = message.get("clip")
        if isinstance(url, str) and url.strip():
            self.open_clip_dialog(url.strip())

    def open_clip_dialog(self, url: str | None = None) -> ClipDialog:
        if url is None:
            url = url_from_text(QGuiApplication.clipboard().text()) or ""
        themes = [(t.code, t.name) for t in self.lib.themes(include_inactive=False)]
        dialog = ClipDialog(self.lib, self.ops, themes, url, self)
        dialog.clipped.connect(lambda result: self._after_clip(result.resource.id))
        dialog.open_existing.connect(self.open_resource)
        self.clip_dialog = dialog
        dialog.open()
        return dialog

    def _after_clip(self, resource_id: str) -> None:
        self.statusBar().showMessage("Clipped.", 4000)
        self._load_counts()
        self.open_resource(resource_id)
        if self._scope == ("view", "all") and not self._query:
            self._load_list(select=resource_id)

    def _refetch(self, resource_id: str) -> None:
        def done(result):
            self._changed([resource_id])
            self.statusBar().showMessage(result.message if result.ok else
                                         f"Could not fetch: {result.message}", 6000)
        self.ops.run(lambda ctx: self.lib.refetch(resource_id, ctx.cancelled), kind="network",
                     on_success=done, label="Fetching the page", show_progress=True)

    def _refetch_selected(self) -> None:
        for rid in self.selected_ids()[:20]:
            self._refetch(rid)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.undo_stack.push(DeleteCommand(self.lib, self.ops, ids, self._after_bulk))

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        def work(ctx):
            for rid in ids:
                self.lib.restore(rid)
        self.ops.run(work, on_success=lambda _r: self._after_bulk(ids))

    def _after_bulk(self, ids: list[str]) -> None:
        self._load_counts()
        if self._query:
            self.model.refresh_rows(ids)
        else:
            self._load_list()

    def empty_trash(self) -> None:
        answer = QMessageBox.question(
            self, "Empty the trash",
            "Remove everything in the trash for good? This cannot be undone.")
        if answer == QMessageBox.StandardButton.Yes:
            self.ops.run(lambda ctx: self.lib.empty_trash(),
                         on_success=lambda n: (self._after_bulk([]), self.statusBar()
                                               .showMessage(f"Removed {n} for good.", 4000)))

    def switch_expert(self) -> None:
        names = [e.name for e in self.lib.experts(include_inactive=False)]
        new = "Someone new…"
        current = self.lib.actor.name if self.lib._actor else ""
        choice, ok = QInputDialog.getItem(self, "Switch expert", "Who is using Curator?",
                                          [*names, new],
                                          names.index(current) if current in names else 0, False)
        if not ok:
            return
        if choice == new:
            choice, ok = QInputDialog.getText(self, "New expert", "Your name:")
            if not ok or not choice.strip():
                return
            try:
                self.lib.add_expert(choice)
            except CuratorError as exc:
                show_error(self, exc.message)
                return
        self.lib.act_as(choice)
        self.library_changed()

    def open_library_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a library folder",
                                                  str(self.lib.folder.parent))
        if folder:
            self.switch_library(folder)

    def switch_library(self, folder: str) -> None:
        expert = self.lib.actor.name if self.lib._actor else None

        def work(ctx):
            lib = Library.open(folder)
            try:
                lib.act_as(expert)
            except CuratorError:
                lib.act_as(None) if lib.setting("last_expert") else None
            return lib

        def done(lib):
            old, self.lib = self.lib, lib
            self.undo_stack.clear()
            self.settings.setValue("library/path", str(lib.folder))
            self.ops.run(lambda ctx: old.close())
            self.library_changed()
        self.ops.run(work, on_success=done, label="Opening the library", show_progress=True)

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
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
            section = self.table.horizontalHeader().sortIndicatorSection()
            order = self.table.horizontalHeader().sortIndicatorOrder()
            if 0 <= section < len(COLUMN_KEYS):
                self._sort = (COLUMN_KEYS[section], order == Qt.SortOrder.DescendingOrder)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        self.settings.setValue("library/path", str(self.lib.folder))
        self.settings.sync()

    def closeEvent(self, event) -> None:
        if self.details.is_dirty():
            answer = QMessageBox.question(
                self, "Unsaved changes", "Save your changes to this resource before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                r = self.details.resource()
                self.lib.edit(r.id, self.details.changes())
        self.save_state()
        self.ops.shutdown(wait=True)
        self.lib.close()
        event.accept()
