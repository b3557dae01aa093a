"""Read the page (issue 17): the saved text Curator searches and compares (a PDF's text
too), with the search words marked, and the text as it was at the last approval next to
today's where they differ.

What is shown comes from the core (``Library.read_page``), read off the GUI thread; this
only lays it out. Marks are shown by more than colour (bold and underlined on yellow), so
they read the same for everyone, and changes as struck-through and underlined words.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

MARK = '<span style="background-color:#fff2a8; font-weight:600; text-decoration:underline">'


def marked_html(text: str, marks: list[tuple[int, int]]) -> str:
    """The text as HTML paragraphs (one a line), each marked word wrapped in MARK."""
    parts, at = [], 0
    for start, end in marks:
        parts.append(html.escape(text[at:start]))
        parts.append(MARK + html.escape(text[start:end]) + "</span>")
        at = end
    parts.append(html.escape(text[at:]))
    body = "".join(parts)
    paras = [p for p in body.split("\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paras) or "<p><i>No text.</i></p>"


def _side(change, side: str) -> str:
    """One side of a change: the approved text (removed words struck through) or today's
    (added words underlined and bold)."""
    text = change.old if side == "old" else change.new
    if change.kind == "same":
        return html.escape(text or "")
    if change.kind in ("removed", "added"):
        if (change.kind == "removed") != (side == "old"):
            return "<i>(not there)</i>"
        tag = ("<s>", "</s>") if side == "old" else ("<u><b>", "</b></u>")
        return tag[0] + html.escape(text or "") + tag[1]
    words = []
    for kind, piece in change.words or []:
        t = html.escape(piece)
        if kind == "same":
            words.append(t)
        elif kind == "removed" and side == "old":
            words.append(f"<s>{t}</s>")
        elif kind == "added" and side == "new":
            words.append(f"<u><b>{t}</b></u>")
    return " ".join(words)


def side_by_side_html(hunks, approved_label: str) -> str:
    """The approved text and today's, next to each other, changed passages only (with a
    paragraph of context)."""
    rows = [f'<tr><th width="50%" align="left">{html.escape(approved_label)}</th>'
            '<th width="50%" align="left">Today</th></tr>']
    for hunk in hunks:
        rows.append(f'<tr><td colspan="2"><i>Around paragraph {hunk.new_start + 1}</i>'
                    "</td></tr>")
        for change in hunk.changes:
            rows.append(f'<tr><td valign="top">{_side(change, "old")}</td>'
                        f'<td valign="top">{_side(change, "new")}</td></tr>')
    return ('<table width="100%" cellspacing="0" cellpadding="6" border="1">'
            + "".join(rows) + "</table>")


class ReaderDialog(QDialog):
    """Shows a PageReading; *reread(query)* asks for it again with other words marked."""

    def __init__(self, reading, reread=None, parent=None):
        super().__init__(parent)
        self._reread = reread
        self.setWindowTitle("Read the page")
        self.setAccessibleName("Read the page")
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Resource")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        label = QLabel("&Mark these words:")
        self.words = QLineEdit()
        self.words.setAccessibleName("Words to mark in the text")
        self.words.setPlaceholderText("for example: coercive control")
        label.setBuddy(self.words)
        self.mark_button = QPushButton("Mar&k")
        self.mark_button.setAccessibleName("Mark the words")
        self.mark_button.clicked.connect(self._mark)
        self.words.returnPressed.connect(self._mark)
        row.addWidget(label)
        row.addWidget(self.words, 1)
        row.addWidget(self.mark_button)
        layout.addLayout(row)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setAccessibleName("What is shown")
        layout.addWidget(self.about)
        self.tabs = QTabWidget()
        self.text = QTextBrowser()
        self.text.setAccessibleName("The saved text")
        self.text.setOpenLinks(False)
        self.tabs.addTab(self.text, "&Today's text")
        since = QWidget()
        since_layout = QVBoxLayout(since)
        self.approval = QLabel()
        self.approval.setWordWrap(True)
        self.approval.setAccessibleName("Since approval")
        since_layout.addWidget(self.approval)
        self.compare = QTextBrowser()
        self.compare.setAccessibleName("The text at approval next to today's")
        self.compare.setOpenLinks(False)
        since_layout.addWidget(self.compare, 1)
        self.tabs.addTab(since, "&Since approval")
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_reading(reading)

    def show_reading(self, reading) -> None:
        self.reading = reading
        self.title.setText(reading.title)
        self.title.setToolTip(reading.url)
        if self.words.text().strip() != reading.query:
            self.words.setText(reading.query)
        self.about.setText(reading.about)
        self.text.setHtml(marked_html(reading.text, reading.marks))
        self.approval.setText(reading.approval_words)
        self.compare.setVisible(reading.differs)
        if reading.differs:
            self.compare.setHtml(side_by_side_html(reading.hunks, reading.approved_label))
        self.tabs.setTabText(1, "&Since approval" + (" (changed)" if reading.differs else ""))

    def _mark(self) -> None:
        if self._reread is not None:
            self._reread(self.words.text().strip())


def open_reader(window, resource_id: str | None = None) -> None:
    """Read the current resource's saved page, marking the words searched for."""
    rid = resource_id or window.current_id()
    if not rid:
        return
    lib, ops = window.lib, window.ops
    dialog: list[ReaderDialog] = []

    def reread(query: str) -> None:
        ops.run(lambda ctx: lib.read_page(rid, query), kind="read",
                on_success=lambda reading: dialog[0].show_reading(reading))

    def done(reading) -> None:
        d = ReaderDialog(reading, reread, window)
        dialog.append(d)
        window.reader_dialog = d
        d.show()
    ops.run(lambda ctx: lib.read_page(rid, window.search.text()), kind="read",
            on_success=done)


def attach(window) -> QPushButton:
    """Put a Read the page button on a row of its own under Save changes and Fetch again
    in the details pane (the rows there are full at narrow widths)."""
    details = window.details
    button = QPushButton("Rea&d the page")
    button.setAccessibleName("Read the saved page text")
    button.setToolTip("Read the text Curator saved from the page (a PDF's too), with your "
                      "search words marked, and what changed since it was approved")
    button.clicked.connect(lambda: open_reader(window))
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    placed = False
    for layout in details.findChildren(QHBoxLayout):
        column = layout.parent()
        if layout.indexOf(details.refetch_button) >= 0 and isinstance(column, QVBoxLayout):
            at = next(n for n in range(column.count()) if column.itemAt(n).layout() is layout)
            column.insertLayout(at + 1, row)
            placed = True
            break
    if not placed:
        details.layout().addLayout(row)
    details.read_button = button
    return button
