"""The search box and the line of results under it: count, "did you mean", facets."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

QUERY_HELP = (
    "Search every word you have clipped.\n"
    "  coercive control     all these words\n"
    "  \"early help\"         this exact phrase\n"
    "  neglect OR poverty   either word\n"
    "  neglect -adolescent  leave a word out\n"
    "  safeguard*           words starting with…\n"
    "  theme:DA  tag:MARAC  type:guidance  status:approved  expert:Sam  site:gov.uk\n"
    "  published:>2020  review:<today  clipped:2026-01"
)
DEBOUNCE_MS = 200
FACET_NAMES = {"theme": "Theme", "type": "Type", "status": "Status"}


class SearchBar(QWidget):
    """Signals:
        query_changed(str): the settled query, after the person paused typing ("" = cleared).
        more_requested(): the person asked to see more of the results.
    """

    query_changed = Signal(str)
    more_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.box = QLineEdit()
        self.box.setAccessibleName("Search")
        self.box.setClearButtonEnabled(True)
        self.box.setPlaceholderText("Search everything: words, \"a phrase\", theme:DA …")
        self.box.setToolTip(QUERY_HELP)
        self.help_button = QToolButton()
        self.help_button.setText("?")
        self.help_button.setAccessibleName("How to search")
        self.help_button.setToolTip("How to search")
        self.help_button.clicked.connect(self.show_help)
        row.addWidget(self.box, 1)
        row.addWidget(self.help_button)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Search results summary")
        self.summary.linkActivated.connect(self._link)
        self.summary.hide()
        layout.addWidget(self.summary)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.query_changed.emit(self.text()))
        self.box.textChanged.connect(lambda _t: self._timer.start())
        self.box.returnPressed.connect(self._now)

    def text(self) -> str:
        return self.box.text().strip()

    def set_text(self, text: str) -> None:
        self.box.setText(text)
        self._now()

    def _now(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.text())

    def show_help(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        box = QMessageBox(self)
        box.setWindowTitle("How to search")
        box.setText("<pre>" + html.escape(QUERY_HELP) + "</pre>")
        box.exec()

    def show_results(self, results, shown: int | None = None) -> None:
        if results is None:
            self.summary.hide()
            return
        parts = []
        if results.notice:
            parts.append(html.escape(results.notice))
        count = f"{results.total:,} result{'s' if results.total != 1 else ''}"
        if shown is not None and shown < results.total:
            count += f" (showing the best {shown:,}: <a href='more:'>show more</a>)"
        if results.suggestion:
            s = html.escape(results.suggestion)
            count += f" · Did you mean <a href='q:{s}'>{s}</a>?"
        parts.append(count)
        if results.expanded:
            parts.append("Also searched for: " + html.escape(", ".join(results.expanded)))
        facets = []
        for field, label in FACET_NAMES.items():
            values = (results.facets or {}).get(field) or {}
            if values:
                links = " ".join(
                    f"<a href='f:{field}:{html.escape(str(k))}'>{html.escape(str(k))}</a>"
                    f"&nbsp;({n})" for k, n in sorted(values.items(), key=lambda kv: -kv[1])[:8])
                facets.append(f"{label}: {links}")
        if facets:
            parts.append(" · ".join(facets))
        self.summary.setText("<br>".join(parts))
        self.summary.show()

    def _link(self, href: str) -> None:
        if href == "more:":
            self.more_requested.emit()
        elif href.startswith("q:"):
            self.set_text(href[2:])
        elif href.startswith("f:"):
            _, field, value = href.split(":", 2)
            value = f'"{value}"' if " " in value else value
            self.set_text(f"{self.text()} {field}:{value}".strip())
