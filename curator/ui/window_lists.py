"""What the main window shows, and keeping it true: the current list, search results, the
selection and the details pane.

Every write the app makes runs through :class:`~curator.ui.ops.Operations`, which emits
``changed`` with what the write changed. :meth:`ListsMixin.on_changed` is the one place
the window refreshes from: the sidebar counts, the list heading, the table rows and the
details pane. A list and the counts are read together in one query job, so the heading,
the table and the sidebar always describe the same moment.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from curator.base.errors import CuratorError
from curator.base.words import plural
from curator.catalogue.vocab import REASON_VIEWS, VIEW_LABELS
from curator.storage.changes import Changes
from curator.ui import empty_state
from curator.ui.table import COLUMN_KEYS


def _resources(n: int) -> str:
    return plural(n, "resource")


class ListsMixin:
    """Part of :class:`~curator.ui.main_window.MainWindow`: its lists and what they show.

    The window provides ``lib``, ``ops``, ``sidebar``, ``search``, ``model``, ``table``,
    ``details``, ``heading`` and ``expert_label``.
    """

    SEARCH_PAGE = 50

    def _init_lists(self) -> None:
        self._scope: tuple[str, str] = ("view", "all")
        self._sort: tuple[str, bool] = ("clipped_at", True)
        self._query = ""
        self._search_seq = 0
        self._search_limit = self.SEARCH_PAGE
        self._list_seq = 0
        self._select_next: str | None = None
        self._themes_shown: list[tuple[str, str]] | None = None
        #: Until the window shows its first list, what setting it up emits (the restored
        #: sort, the sidebar's first selection) reads nothing: the first list is read once.
        self._first_list_pending = True

    # -- the one way the window learns of changes -----------------------------------------
    def on_changed(self, changes: Changes) -> None:
        """A write finished: show what it changed (connected to ``ops.changed``)."""
        if changes.empty:
            return
        if changes.everything:
            self.refresh()
            return
        if changes.themes:
            self._show_themes()
        if changes.experts:
            self._show_expert()
        self.model.refresh_rows(sorted(changes.resources))
        self._reload()
        current = self.current_id()
        if changes.touches(current):
            self.show_details(current)

    def refresh(self) -> None:
        """Show everything afresh: themes, who is acting, counts, the list, rows, details."""
        self._show_themes()
        self._show_expert()
        self.model.refresh_rows()
        self._reload()
        self.show_details(self.current_id())

    def _reload(self) -> None:
        if self._query:
            self._load_counts()
            self._search(self._query, self._search_limit)
        else:
            self._load_list()

    def _show_themes(self) -> None:
        themes = [(t.code, t.name) for t in self.lib.themes(include_inactive=False)]
        if themes == self._themes_shown:
            return  # unchanged: keep the details pane (and any unsaved edits) as it is
        self._themes_shown = themes
        self.sidebar.set_themes(themes)
        self.details.set_themes(themes)

    def _show_expert(self) -> None:
        acting = self.lib.acting
        self.expert_label.setText(
            f"{acting.name if acting else 'no expert chosen'} · {self.lib.folder}")

    # -- lists ------------------------------------------------------------------------------
    def _fetch_rows(self, ids: list[str]) -> dict[str, dict]:
        return self.lib.table_rows(ids)

    def _load_counts(self) -> None:
        lib = self.lib
        self.ops.run(lambda ctx: lib.work_list_counts(), kind="read",
                     on_success=self.sidebar.set_counts)

    def show_found(self, ids: list[str], label: str) -> None:
        """List these resources (what a link check found), until another list is chosen."""
        self.details.commit()
        self._found = list(ids)
        self._scope = ("found", label)
        self.table.show_reasons(False)  # the Link column says what the check found
        if self._query:
            self.search.set_text("")
        self._load_list()

    def _list_label(self, kind: str, key: str) -> str:
        if kind == "found":
            return f"Link check: {key}"
        if kind == "view":
            return dict(VIEW_LABELS).get(key, key)
        return next((t.name for t in self.lib.themes() if t.code == key), key)

    def _load_list(self, select: str | None = None) -> None:
        """Read the current list and the sidebar counts together, then show both."""
        if select:
            self._select_next = select
        if self._first_list_pending:
            return  # _open_first_screen reads it
        kind, key = self._scope
        sort, desc = self._sort
        lib = self.lib
        self._list_seq += 1
        seq = self._list_seq
        label = self._list_label(kind, key)

        found = list(getattr(self, "_found", []))

        def work(ctx):
            if kind == "found":  # still in the library, in the order found
                rows = lib.table_rows(found)
                return [i for i in found if i in rows and not rows[i].get("deleted_at")], \
                    lib.work_list_counts()
            if kind == "theme":
                ids = lib.work_list("all", theme=key, sort=sort, descending=desc)
            else:
                ids = lib.work_list(key, sort=sort, descending=desc)
            return ids, lib.work_list_counts()

        def done(result):
            if seq != self._list_seq:
                return  # a newer list is on its way
            ids, counts = result
            self.sidebar.set_counts(counts)
            if not self._query:
                self._show_list(ids, label)
        self.ops.run(work, kind="read", on_success=done)

    def _show_list(self, ids: list[str], label: str, rows: dict[str, dict] | None = None) -> None:
        wanted = self._select_next or self.current_id()
        self._select_next = None
        row = self.table.currentIndex().row()
        self.heading.setText(f"{label}: {_resources(len(ids))}")
        if ids != self.model.ids() or self.model.has_snippets():
            self.model.set_ids(ids, rows=rows)
            self.table.use_snippet_rows(False)
            self._reselect(wanted, row)
        elif wanted != self.current_id():
            self._reselect(wanted, row)
        empty_state.show_for(self)  # an empty list says what belongs in it

    def _reselect(self, resource_id: str | None, fallback_row: int = 0) -> None:
        """Select this resource; when it left the list, the one that took its place."""
        row = self.model.row_of(resource_id) if resource_id else -1
        if row < 0 and self.model.rowCount():
            row = min(max(fallback_row, 0), self.model.rowCount() - 1)
        if row >= 0:
            # Not selectRow: it would extend the selection while Ctrl or Shift is held.
            flags = QItemSelectionModel.SelectionFlag
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), flags.ClearAndSelect | flags.Rows)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.details.show_resource(None)

    def _scope_changed(self, kind: str, key: str) -> None:
        self._scope = (kind, key)
        self.table.show_reasons(kind == "view" and key in REASON_VIEWS)
        if (kind, key) == ("view", "due"):
            # Work through what is due in date order, most urgent first.
            self._sort = ("review_due", False)
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(COLUMN_KEYS.index("review_due"), Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
        if self._query:
            self.search.set_text("")
        self._load_list()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self._load_list()

    # -- search -----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.box.setFocus()
        self.search.box.selectAll()

    def _search(self, query: str, limit: int | None = None) -> None:
        if query != self._query:
            self._search_limit = self.SEARCH_PAGE
        self._search_limit = limit or self._search_limit
        self._query = query
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            self.search.show_results(None)
            self._load_list()
            return
        lib, wanted = self.lib, self._search_limit

        def done(results):
            if seq != self._search_seq:
                return  # the person typed on; a newer search is coming
            current = self.current_id()
            row = self.table.currentIndex().row()
            self.model.set_ids([h.id for h in results.hits],
                               {h.id: h.snippet or " " for h in results.hits})
            self.table.use_snippet_rows(True)
            self.search.show_results(results, shown=len(results.hits))
            self.heading.setText(f"Search results for “{query}”")
            self._reselect(current, row)
            empty_state.show_for(self)
        self.ops.run(lambda ctx: lib.search(query, limit=wanted), kind="read", on_success=done)

    def _more_results(self) -> None:
        self._search(self._query, self._search_limit + 4 * self.SEARCH_PAGE)

    # -- selection and details --------------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [rid for rid in (self.model.id_at(r) for r in rows) if rid]

    def _row_changed(self, current, _previous) -> None:
        self.show_details(self.model.id_at(current.row()) if current.isValid() else None)

    def show_details(self, resource_id: str | None) -> None:
        """Show the stored resource; unsaved edits to it are kept (see show_latest)."""
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
        words = self.lib.pane_words(resource_id)
        self.details.set_words(resource_id, words["link"], words["facts"])
        self.details.show_latest(resource, history)
        self.details.set_steps(steps, [r.text for r in item.reasons] if item else [])
        self.details.set_published(words["published"])

    def open_resource(self, resource_id: str) -> None:
        """Show a resource, wherever it is: select it in the list, or switch to all."""
        if self.model.row_of(resource_id) >= 0:
            self._reselect(resource_id)
            self.show_details(resource_id)
            return
        self.search.box.blockSignals(True)
        self.search.box.clear()
        self.search.box.blockSignals(False)
        self._query = ""
        self.search.show_results(None)
        try:
            in_trash = self.lib.get(resource_id).in_trash
        except CuratorError:
            return
        scope = ("view", "trash" if in_trash else "all")
        self.sidebar.blockSignals(True)
        self.sidebar.select(*scope)
        self.sidebar.blockSignals(False)
        self._scope = scope
        self._load_list(select=resource_id)
