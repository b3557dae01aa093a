"""The sidebar: the views people work from and the themes, each with a count."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
)

from curator.catalogue.vocab import VIEW_LABELS

KindRole = Qt.ItemDataRole.UserRole + 1
KeyRole = Qt.ItemDataRole.UserRole + 2
_TAIL = re.compile(r"(?: \([^()]*\))?(?:  \d+)?$")  # " (FII)  3": the code and count


def fitted_text(text: str, metrics, room: int) -> str:
    """*text* cut short to *room* pixels at the end of its name, keeping a theme's code
    and the count: "Fabricated or indu… (FII)  3"."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    tail = _TAIL.search(text).group(0)
    head = text[:len(text) - len(tail)]
    if not head:
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
    left = max(0, room - metrics.horizontalAdvance(tail))
    return metrics.elidedText(head, Qt.TextElideMode.ElideRight, left) + tail


class _FittedNames(QStyledItemDelegate):
    """Paints each name cut short to fit, its code and count kept (the tooltip has it all)."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.text = fitted_text(option.text, option.fontMetrics, option.rect.width() - 10)


class Sidebar(QTreeWidget):
    """Signals:
        selection_changed(str, str): ("view", key) or ("theme", code).
        search_requested(str): a tag or saved search was chosen: search for this.
    """

    selection_changed = Signal(str, str)
    search_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName("Views and themes")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        # A long name is cut short at its end, its code and count kept in view; the whole
        # name is in its tooltip.
        self.setItemDelegate(_FittedNames(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._views = QTreeWidgetItem(self, ["Views"])
        self._themes = QTreeWidgetItem(self, ["Themes"])
        for group in (self._views, self._themes):
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setExpanded(True)
        self._labels: dict[tuple[str, str], str] = {}
        for key, label in VIEW_LABELS:
            self._add(self._views, "view", key, label)
        self.currentItemChanged.connect(self._on_current)
        self.itemActivated.connect(self._on_activated)
        self.setCurrentItem(self._views.child(0))
        self._tags: QTreeWidgetItem | None = None
        self._searches: QTreeWidgetItem | None = None

    # -- tags and saved searches (issue 17): choosing one runs its search -----------------
    def _group(self, title: str, expanded: bool) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self, [title])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setExpanded(expanded)
        return group

    def set_saved_searches(self, searches: list[tuple[str, str, int | None]]) -> None:
        """Show (name, query, count) saved searches under "Saved searches"."""
        if self._searches is None:
            self._searches = self._group("Saved searches", True)
        self._fill(self._searches, "search", [(q, name, n) for name, q, n in searches],
                   "No saved searches yet")

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        """Show (tag, count) under "Tags"."""
        if self._tags is None:
            self._tags = self._group("Tags", True)
        self._fill(self._tags, "tag", [(name, name, n) for name, n in tags], "No tags yet")

    def _fill(self, group: QTreeWidgetItem, kind: str, rows: list, empty: str) -> None:
        current = self.current()
        self.blockSignals(True)
        group.takeChildren()
        self._labels = {k: v for k, v in self._labels.items() if k[0] != kind}
        for key, label, n in rows:
            item = self._add(group, kind, key, label)
            if n is not None:
                item.setText(0, f"{label}  {n}" if n else label)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                             f"{label}, {n} resource{'' if n == 1 else 's'}")
            if kind == "search":
                item.setToolTip(0, f"{label}: {key}")
        if not rows:
            note = QTreeWidgetItem(group, [empty])
            note.setFlags(Qt.ItemFlag.ItemIsEnabled)
            note.setDisabled(True)
        self.blockSignals(False)
        if current and current[0] == kind:
            self.select(*current)

    def _on_activated(self, item, _column=0) -> None:
        """Enter or a click on a tag or saved search runs it again (even if current)."""
        kind = item.data(0, KindRole) if item is not None else None
        if kind in ("tag", "search"):
            self.search_requested.emit(tag_query(item.data(0, KeyRole)) if kind == "tag"
                                       else item.data(0, KeyRole))

    def _add(self, parent: QTreeWidgetItem, kind: str, key: str, label: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [label])
        item.setToolTip(0, label)  # the sidebar is narrow: long theme names are cut short
        item.setData(0, KindRole, kind)
        item.setData(0, KeyRole, key)
        self._labels[(kind, key)] = label
        return item

    def set_themes(self, themes: list[tuple[str, str]]) -> None:
        """Replace the theme list with (code, name) pairs, keeping the selection."""
        current = self.current()
        self.blockSignals(True)
        self._themes.takeChildren()
        self._labels = {k: v for k, v in self._labels.items() if k[0] != "theme"}
        for code, name in themes:
            self._add(self._themes, "theme", code, f"{name} ({code})")
        self._themes.setExpanded(True)
        self.blockSignals(False)
        if current:
            self.select(*current)

    def set_counts(self, counts: dict[str, dict[str, int]]) -> None:
        for group, kind, source in ((self._views, "view", counts.get("views", {})),
                                    (self._themes, "theme", counts.get("themes", {}))):
            for i in range(group.childCount()):
                item = group.child(i)
                key = item.data(0, KeyRole)
                label = self._labels[(kind, key)]
                n = source.get(key, 0)
                item.setText(0, f"{label}  {n}" if n else label)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{label}, {n} resources")

    def has_themes(self) -> bool:
        return self._themes.childCount() > 0

    def widest_label(self, metrics) -> int:
        """How wide, in pixels, the widest view or theme is with its count."""
        widths = [metrics.horizontalAdvance(group.child(i).text(0))
                  for group in (self._views, self._themes) for i in range(group.childCount())]
        return max(widths, default=0)

    def current(self) -> tuple[str, str] | None:
        item = self.currentItem()
        if item is None or item.data(0, KindRole) is None:
            return None
        return item.data(0, KindRole), item.data(0, KeyRole)

    def select(self, kind: str, key: str) -> None:
        groups = [g for g in (self._views, self._themes, self._tags, self._searches) if g]
        for group in groups:
            for i in range(group.childCount()):
                item = group.child(i)
                if item.data(0, KindRole) == kind and item.data(0, KeyRole) == key:
                    self.setCurrentItem(item)
                    return

    def _on_current(self, item, _previous) -> None:
        if item is not None and item.data(0, KindRole) in ("tag", "search"):
            self._on_activated(item)
        elif item is not None and item.data(0, KindRole):
            self.selection_changed.emit(item.data(0, KindRole), item.data(0, KeyRole))


def tag_query(tag: str) -> str:
    """The search for one tag: tag:MARAC, or tag:"coercive control" with a space."""
    return f'tag:"{tag}"' if any(ch.isspace() or ch in '"()' for ch in tag) else f"tag:{tag}"
