"""The resource table: a model that holds ids and fetches rows a screenful at a time.

At 50,000 resources the model never loads everything: it keeps the ordered ids (sorted
by the database) and asks for the rows the view actually paints, 200 at a time. The rows
come from the library with what they mean already worked out (whether a review is
overdue); the words for statuses and link health are the core's.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from curator.catalogue.vocab import COLUMN_HEADINGS, HEALTH_LABELS, STATUS_LABELS

PAGE = 200
COLUMN_KEYS = list(COLUMN_HEADINGS)

#: Columns that give way, least needed first, when the table is too narrow to show them
#: beside a readable title (Title, Status, Review due and Link always stay; why a resource
#: needs review is also at the top of its details pane).
YIELD_ORDER = ("clipped_by", "clipped_at", "themes", "type", "reason")
MIN_TITLE = 180  # pixels: a title narrower than this is not worth reading

IdRole = Qt.ItemDataRole.UserRole + 1
SnippetRole = Qt.ItemDataRole.UserRole + 2
SortKeyRole = Qt.ItemDataRole.UserRole + 3


class ResourceTableModel(QAbstractTableModel):
    """Rows of resources, in the order the database (or the search) gave them.

    Signals:
        sort_requested(str, bool): the person clicked a heading; the window reloads the ids
            sorted by that column key (descending when True) off the GUI thread.
    """

    sort_requested = Signal(str, bool)

    def __init__(self, fetch_rows: Callable[[list[str]], dict[str, dict]], parent=None):
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[str] = []
        self._rows: dict[str, dict] = {}
        self._snippets: dict[str, str] = {}

    # -- content -------------------------------------------------------------------------
    def set_ids(self, ids: list[str], snippets: dict[str, str] | None = None,
                rows: dict[str, dict] | None = None) -> None:
        """Show these ids; *rows* are rows already read for some of them (the first page,
        read with the list off the GUI thread), the rest are read when painted."""
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = dict(rows or {})
        self._snippets = dict(snippets or {})
        self.endResetModel()

    def refresh_rows(self, ids: list[str] | None = None) -> None:
        """Forget cached rows (all, or these) so they are read again when painted."""
        if ids is None:
            self._rows.clear()
            if self._ids:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self._ids) - 1, len(COLUMN_KEYS) - 1))
            return
        for rid in ids:
            self._rows.pop(rid, None)
            if rid in self._ids:
                row = self._ids.index(rid)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMN_KEYS) - 1))

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, resource_id: str) -> int:
        try:
            return self._ids.index(resource_id)
        except ValueError:
            return -1

    def has_snippets(self) -> bool:
        return bool(self._snippets)

    def _row(self, row: int) -> dict | None:
        rid = self._ids[row]
        cached = self._rows.get(rid)
        if cached is not None:
            return cached
        start = (row // PAGE) * PAGE
        wanted = [i for i in self._ids[start:start + PAGE] if i not in self._rows]
        self._rows.update(self._fetch_rows(wanted))
        return self._rows.get(rid)

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._ids)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMN_KEYS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMN_KEYS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return COLUMN_HEADINGS[COLUMN_KEYS[section]]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.FontRole,
                        SnippetRole, SortKeyRole):
            return None
        r = self._row(index.row())
        if r is None:
            return None
        key = COLUMN_KEYS[index.column()]
        overdue = key == "review_due" and bool(r.get("overdue"))
        if role == Qt.ItemDataRole.FontRole:
            if overdue or (key == "link_health" and r["link_health"] == "broken"):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == SnippetRole:
            return self._snippets.get(r["id"]) if key == "title" else None
        if role == SortKeyRole:
            return r.get(key) or ""
        text = self._display(key, r)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title":
                return r["url"]
            if overdue:
                return "Overdue for review"
            if key == "link_health":
                return r.get("link_tip") or text
            if key == "reason":
                return r.get("reason_tip") or None
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and key == "link_health":
            return r.get("link_tip") or text
        if role == Qt.ItemDataRole.AccessibleTextRole and overdue:
            return f"{text}, overdue"
        return text

    def _display(self, key: str, r: dict) -> str:
        if key == "title":
            if r["title"]:
                return r["title"]
            return f"{r['url']}  (not fetched yet)"
        if key == "status":
            label = STATUS_LABELS.get(r["status"], r["status"])
            return label + (" (in trash)" if r.get("deleted_at") else "")
        if key == "link_health":
            return r.get("link_text") or HEALTH_LABELS.get(r["link_health"],
                                                           r["link_health"].replace("_", " "))
        if key == "clipped_at":
            return (r["clipped_at"] or "")[:10]
        if key == "type":
            return (r["type"] or "").capitalize()
        return r.get(key) or ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMN_KEYS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMN_KEYS[column]
        if self._snippets:
            # Search results are few: sort them here, keeping rank order for ties.
            for row in range(len(self._ids)):
                self._row(row)
            self.layoutAboutToBeChanged.emit()
            self._ids.sort(key=lambda i: str((self._rows.get(i) or {}).get(key) or "").lower(),
                           reverse=descending)
            self.layoutChanged.emit()
            return
        self.sort_requested.emit(key, descending)


class SnippetDelegate(QStyledItemDelegate):
    """Paints a title with the search snippet under it, the matched words in bold."""

    # What paints a snippet (a text document, the style's parts) loads with the first
    # search: a list paints as any table does (issue 21).
    def _document(self, option: QStyleOptionViewItem, index, snippet: str):
        from PySide6.QtGui import QTextDocument
        title = html.escape(index.data(Qt.ItemDataRole.DisplayRole) or "")
        body = html.escape(snippet).replace("[[", "<b>").replace("]]", "</b>")
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        doc.setHtml(f"<div>{title}</div><div style='font-size:small'>{body}</div>")
        doc.setTextWidth(option.rect.width())
        return doc

    def paint(self, painter, option, index) -> None:
        snippet = index.data(SnippetRole)
        if not snippet:
            super().paint(painter, option, index)
            return
        from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette
        from PySide6.QtWidgets import QStyle
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index, snippet)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(SnippetRole):
            return QSize(size.width(), int(size.height() * 2.6))
        return size


class ResourceTable(QTableView):
    """The table view with the manners a big list needs: no resize-to-contents."""

    def __init__(self, model: ResourceTableModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Resources")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setItemDelegateForColumn(COLUMN_KEYS.index("title"), SnippetDelegate(self))
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSortIndicator(COLUMN_KEYS.index("clipped_at"), Qt.SortOrder.DescendingOrder)
        widths = {"title": 300, "reason": 190, "themes": 62, "type": 88, "status": 120,
                  "review_due": 86, "link_health": 110, "clipped_by": 92, "clipped_at": 82}
        for n, key in enumerate(COLUMN_KEYS):
            self.setColumnWidth(n, widths[key])
        # The title takes the room left; the others keep the widths people give them.
        header.setSectionResizeMode(COLUMN_KEYS.index("title"), QHeaderView.ResizeMode.Stretch)
        self._row_height = self.verticalHeader().defaultSectionSize()
        self._reasons = False
        self._widths = dict(widths)  # what each column takes when shown
        header.sectionResized.connect(self._resized)

    def _resized(self, section: int, _old: int, new: int) -> None:
        key = COLUMN_KEYS[section] if 0 <= section < len(COLUMN_KEYS) else "title"
        if new > 0 and key != "title":
            self._widths[key] = new

    def note_widths(self) -> None:
        """Take the widths now shown as the ones to use (after a saved layout is restored)."""
        for n, key in enumerate(COLUMN_KEYS):
            if key != "title" and not self.isColumnHidden(n) and self.columnWidth(n) > 0:
                self._widths[key] = self.columnWidth(n)

    def fit_columns(self) -> None:
        """Hide the columns that matter least until the rest fit beside a readable title."""
        hidden = {"clipped_by", "clipped_at"} if self._reasons else {"reason"}
        room = self.viewport().width()

        def needed() -> int:
            return MIN_TITLE + sum(self._widths[k] for k in COLUMN_KEYS
                                   if k != "title" and k not in hidden)
        for key in YIELD_ORDER:
            if room <= 0 or needed() <= room:
                break
            hidden.add(key)
        for n, key in enumerate(COLUMN_KEYS):
            if self.isColumnHidden(n) != (key in hidden):
                self.setColumnHidden(n, key in hidden)
                if key not in hidden and self.columnWidth(n) <= 0:
                    self.setColumnWidth(n, self._widths[key])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def show_reasons(self, on: bool) -> None:
        """Show the "Why it needs review" column (in Due for review and Broken links), in
        the room of who clipped it and when, which matter less there."""
        self._reasons = on
        self.fit_columns()  # and, where the table is narrow, in the room of others too

    def use_snippet_rows(self, on: bool) -> None:
        height = int(self._row_height * 2.6) if on else self._row_height
        self.verticalHeader().setDefaultSectionSize(height)
