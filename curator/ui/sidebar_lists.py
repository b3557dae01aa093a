"""The sidebar's Tags and Saved searches (issue 17), and completion in the Tags field.

Choosing a tag searches for it; choosing a saved search runs it. Right-click (or the
menu key) offers: save the current search, remove a saved search, rename a tag or
merge it into another. Lists are read off the GUI thread and read again when a write
changes resources, tags or searches (the one change signal); the writes run through the
operations like every other write. The rules (one spelling per tag, what a rename may
do) are the core's: this shows what it says.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QInputDialog, QMenu

from curator.ui.sidebar import KeyRole, KindRole


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, from the library's tags (any
    case), keeping the tags before it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names = QStringListModel(self)
        self.setModel(self.names)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def set_tags(self, names: list[str]) -> None:
        self.names.setStringList(names)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt's name)
        return [path.rsplit(",", 1)[-1].lstrip()]

    def pathFromIndex(self, index) -> str:  # noqa: N802 (Qt's name)
        chosen = super().pathFromIndex(index)
        widget = self.widget()
        before = widget.text().rsplit(",", 1)[0] if widget and "," in widget.text() else ""
        return f"{before}, {chosen}" if before else chosen


class SidebarLists(QObject):
    """Keeps the window's sidebar Tags and Saved searches, and its tag completer, current."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.completer = TagCompleter(window)
        window.details.tags.setCompleter(self.completer)
        sidebar = window.sidebar
        sidebar.set_saved_searches([])
        sidebar.set_tags([])
        sidebar.search_requested.connect(window.search.set_text)
        sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        sidebar.customContextMenuRequested.connect(self._menu)
        window.ops.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        if changes.empty:
            return
        if changes.everything or changes.resources or any(
                a.startswith(("tag.", "search.")) for a in changes.actions):
            self.reload()

    def reload(self) -> None:
        lib = self.w.lib

        def work(ctx):
            return ([(t.name, t.count) for t in lib.tags()],
                    [(s.name, s.query, s.count) for s in lib.saved_searches()])

        def done(result) -> None:
            tags, searches = result
            self.w.sidebar.set_tags(tags)
            self.w.sidebar.set_saved_searches(searches)
            self.completer.set_tags([name for name, _ in
                                     sorted(tags, key=lambda t: (-t[1], t[0].casefold()))])
        self.w.ops.run(work, kind="read", on_success=done)

    # -- the sidebar's menu ---------------------------------------------------------------
    def _menu(self, pos) -> None:
        item = self.w.sidebar.itemAt(pos)
        kind = item.data(0, KindRole) if item is not None else None
        key = item.data(0, KeyRole) if item is not None else None
        menu = QMenu(self.w.sidebar)
        query = self.w.search.text()
        save = menu.addAction("&Save the current search…", lambda: self.save_search(query))
        save.setEnabled(bool(query))
        if kind == "search":
            menu.addAction(f"&Remove “{item.text(0).split('  ')[0]}”",
                           lambda: self.remove_search(item.text(0).split("  ")[0]))
        if kind == "tag":
            menu.addSeparator()
            menu.addAction(f"Re&name the tag “{key}”…", lambda: self.rename_tag(key))
            menu.addAction(f"&Merge “{key}” into another tag…", lambda: self.merge_tag(key))
        menu.exec(self.w.sidebar.viewport().mapToGlobal(pos))

    def save_search(self, query: str, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self.w, "Save the search",
                                            f"A name for the search “{query}”:")
            if not ok or not name.strip():
                return
        lib = self.w.lib
        self.w.ops.run(lambda ctx: lib.save_search(name, query), label="Saving the search")

    def remove_search(self, name: str) -> None:
        lib = self.w.lib
        self.w.ops.run(lambda ctx: lib.remove_saved_search(name),
                       label="Removing the saved search")

    def rename_tag(self, tag: str, new: str | None = None) -> None:
        if new is None:
            new, ok = QInputDialog.getText(self.w, "Rename the tag",
                                           f"A new name for “{tag}” on every resource:",
                                           text=tag)
            if not ok or not new.strip():
                return
        lib = self.w.lib
        self.w.ops.run(lambda ctx: lib.rename_tag(tag, new), label="Renaming the tag",
                       on_success=self._told)

    def merge_tag(self, tag: str, into: str | None = None) -> None:
        if into is None:
            others = [t for t in self.completer.names.stringList() if t != tag]
            into, ok = QInputDialog.getItem(self.w, "Merge the tag",
                                            f"Which tag should “{tag}” become?", others, 0,
                                            True)
            if not ok or not into.strip():
                return
        lib = self.w.lib
        self.w.ops.run(lambda ctx: lib.merge_tags([tag], into), label="Merging the tags",
                       on_success=self._told)

    def _told(self, change) -> None:
        self.w.statusBar().showMessage(change.text, 15000)


def attach(window, load: bool = True) -> SidebarLists:
    """Give *window* its Tags and Saved searches; *load* reads them now (the main window
    reads them itself, after its first list: see ``MainWindow._open_first_screen``)."""
    window.sidebar_lists = SidebarLists(window)
    if load:
        window.sidebar_lists.reload()
    return window.sidebar_lists
