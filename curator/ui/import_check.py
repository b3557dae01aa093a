"""The import wizard's middle steps: which spreadsheet column holds what, and what
importing will do (nothing is written until the person chooses Import)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from curator.base.errors import CuratorError
from curator.importing.formats import FIELD_LABELS, FIELDS
from curator.ui.wizard_parts import (
    PAGE_PREVIEW,
    PAGE_RUN,
    ImportHost,
    _big,
    _busy_row,
    _text_label,
    plural,
)

#: How many problem rows the check step lists, and sample rows the column step shows.
EXAMPLES = 20
SAMPLE_ROWS = 5
#: Keyboard shortcuts (Alt+letter) for the column choices; none clash with Back or Next.
MNEMONICS = {"url": "&Web address", "title": "T&itle", "notes": "Why it matters (n&otes)",
             "summary": "Su&mmary", "tags": "T&ags", "theme": "T&heme",
             "published": "&Published", "author": "A&uthor"}


# -- step 2: which column holds what ----------------------------------------------------------
class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportHost):
        super().__init__()
        self.w = wizard
        self._busy = False
        self._seq = 0
        self.setTitle("Which column holds what?")
        self.setSubTitle("Curator has guessed from the column names. Correct anything it got "
                         "wrong; only the web address is needed.")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for field_name in FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {FIELD_LABELS[field_name]}")
            combo.currentIndexChanged.connect(self._mapping_changed)
            label = QLabel(MNEMONICS.get(field_name, FIELD_LABELS[field_name]))
            label.setBuddy(combo)
            self.combos[field_name] = combo
            form.addRow(label, combo)
        layout.addLayout(form)
        self.problem = _text_label("", "Problem with the columns")
        layout.addWidget(self.problem)
        layout.addWidget(_text_label("The first rows of the file:"))
        self.sample = QTableWidget()
        self.sample.setAccessibleName("The first rows of the file")
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample.setTabKeyNavigation(False)
        self.sample.verticalHeader().hide()
        self.sample.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.sample.horizontalHeader().setStretchLastSection(True)
        self.sample.setMinimumHeight(130)
        layout.addWidget(self.sample, 1)
        state_row, self.spinner, self.state = _busy_row("Checking", "What these columns give")
        layout.addLayout(state_row)

    def initializePage(self) -> None:
        p = self.w.preview
        for field_name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(not in this file)", None)
            for h in p.headers:
                combo.addItem(h, h)
            chosen = p.mapping.get(field_name)
            combo.setCurrentIndex(combo.findData(chosen) if chosen in p.headers else 0)
            combo.blockSignals(False)
        sample = p.sample[:SAMPLE_ROWS]
        self.sample.clear()
        self.sample.setColumnCount(len(p.headers))
        self.sample.setRowCount(len(sample))
        self.sample.setHorizontalHeaderLabels(p.headers)
        for r, values in enumerate(sample):
            for c, value in enumerate(values[:len(p.headers)]):
                text = "" if value is None else " ".join(str(value).split())
                item = QTableWidgetItem(text[:200])
                item.setToolTip(text[:1000])
                self.sample.setItem(r, c, item)
        header = self.sample.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.sample.resizeColumnsToContents()
        for c in range(self.sample.columnCount()):
            self.sample.setColumnWidth(c, min(self.sample.columnWidth(c), 260))
        self._show(p)

    def mapping(self) -> dict[str, str | None]:
        return {f: combo.currentData() for f, combo in self.combos.items()}

    def _show(self, p) -> None:
        self.problem.setText(
            "" if p.ready else "Choose the column that holds the web addresses "
            "(the links) to carry on.")
        self.problem.setVisible(not p.ready)
        if p.ready:
            c = p.counts
            self.state.setText(f"With these columns: {plural(c['total'], 'row')}, "
                               f"{plural(c['new'], 'new link')}.")
        else:
            self.state.setText("")

    def _mapping_changed(self) -> None:
        lib, base, mapping = self.w.lib, self.w.preview, self.mapping()
        self._seq += 1
        seq = self._seq
        self._busy = True
        self.spinner.show()
        self.state.setText("Checking the rows with these columns…")
        self.completeChanged.emit()

        def done(preview):
            if seq != self._seq:
                return
            self._busy = False
            self.spinner.hide()
            self.w.preview = preview
            self._show(preview)
            self.completeChanged.emit()

        def failed(error) -> bool:
            if seq != self._seq:
                return True
            self._busy = False
            self.spinner.hide()
            self.state.setText(getattr(error, "message", ""))
            self.completeChanged.emit()
            return isinstance(error, CuratorError)
        self.w.ops.run(lambda ctx: lib.import_remap(base, mapping), kind="read", on_success=done,
                       on_failure=failed)

    def isComplete(self) -> bool:
        return not self._busy and self.w.preview is not None and self.w.preview.ready

    def nextId(self) -> int:
        return PAGE_PREVIEW


# -- step 3: what will happen -----------------------------------------------------------------
class PreviewPage(QWizardPage):
    AFTER = ("When you choose Import, Curator adds the new links, then fetches each new "
             "page's title and text in the background. You can stop the fetching at any time "
             "and carry on later.")

    def __init__(self, wizard: ImportHost):
        super().__init__()
        self.w = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("This is what importing will do. Nothing has been added yet.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(self)
        self.heading = _text_label("", "What is being imported")
        layout.addWidget(self.heading)
        self.lines: dict[str, QLabel] = {}
        for key, name in (("new", "New links"), ("duplicate_in_library", "Already in your "
                          "library"), ("duplicate_in_file", "Repeated in the file"),
                          ("invalid", "Not web addresses"),
                          ("skipped_scheme", "Browser-only links")):
            label = _big(_text_label("", name), 1.35, bold=(key == "new"))
            self.lines[key] = label
            layout.addWidget(label)
        self.theme_line = _text_label("", "Theme for every link")
        layout.addWidget(self.theme_line)
        self.rows_label = _text_label("Links that will be imported (untick any to leave "
                                      "them out):")
        layout.addWidget(self.rows_label)
        self.rows = QListWidget()
        self.rows.setAccessibleName("Links that will be imported; untick to leave one out")
        self.rows.setMinimumHeight(120)
        self.rows.setUniformItemSizes(True)
        self.rows.itemChanged.connect(self._ticked)
        layout.addWidget(self.rows, 2)
        ticks = QHBoxLayout()
        self.tick_all = QPushButton("&Tick all")
        self.untick_all = QPushButton("&Untick all")
        self.tick_all.clicked.connect(lambda: self._tick_every(True))
        self.untick_all.clicked.connect(lambda: self._tick_every(False))
        self.tick_all.setAccessibleName("Tick every link")
        self.untick_all.setAccessibleName("Untick every link")
        ticks.addWidget(self.tick_all)
        ticks.addWidget(self.untick_all)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        self.examples_label = _text_label("Rows that will not be imported, for example:")
        layout.addWidget(self.examples_label)
        self.examples = QListWidget()
        self.examples.setAccessibleName("Rows that will not be imported")
        self.examples.setMinimumHeight(90)
        layout.addWidget(self.examples, 1)
        self.after = _text_label(self.AFTER, "What happens next")
        layout.addWidget(self.after)

    def initializePage(self) -> None:
        p = self.w.preview
        c = p.counts
        rows = plural(c["total"], p.position_label.lower())
        self.heading.setText(f"{p.label}: {p.name} ({rows})")
        self._fill_rows(p)
        self._show_counts()
        texts = {
            "duplicate_in_file": (f"{plural(c['duplicate_in_file'], 'link')} repeated in this "
                                  "file (imported once)"),
            "invalid": (f"{c['invalid']:,} not web addresses" if c["invalid"] != 1 else
                        "1 not a web address"),
            "skipped_scheme": (f"{plural(c['skipped_scheme'], 'browser-only link')} skipped "
                               "(such as javascript: and place:)"),
        }
        for key, label in self.lines.items():
            if key in texts:
                label.setText(texts[key])
                label.setVisible(c[key] > 0)
        names = dict(self.w.themes)
        theme_names = [names.get(code, code) for code in p.theme]
        self.theme_line.setText(f"Every link will be given the theme {', '.join(theme_names)}."
                                if theme_names else "")
        self.theme_line.setVisible(bool(theme_names))
        self.examples.clear()
        problems = [r for r in p.rows if r.status in ("invalid", "skipped_scheme")]
        for r in problems[:EXAMPLES]:
            address = r.source_url or "(no web address)"
            self.examples.addItem(f"{p.position_label} {r.position}: {address[:120]} — "
                                  f"{r.message}")
        if len(problems) > EXAMPLES:
            self.examples.addItem(f"…and {len(problems) - EXAMPLES:,} more (the report at the "
                                  "end lists every row).")
        self.examples.setVisible(bool(problems))
        self.examples_label.setVisible(bool(problems))
    def _fill_rows(self, p) -> None:
        """One ticked line for each row that would change the library, saying what."""
        self.rows.blockSignals(True)
        self.rows.clear()
        for r in p.rows:
            if not r.can_leave_out:
                continue
            what = "New" if r.status == "new" else r.merge_text or r.message
            address = r.url or r.source_url
            item = QListWidgetItem(f"{p.position_label} {r.position}: "
                                   f"{(r.title or address)[:100]} — {what}")
            item.setToolTip(address[:1000])
            item.setData(Qt.ItemDataRole.UserRole, r.position)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if p.is_left_out(r)
                               else Qt.CheckState.Checked)
            self.rows.addItem(item)
        self.rows.blockSignals(False)
        shown = self.rows.count() > 0
        for widget in (self.rows_label, self.rows, self.tick_all, self.untick_all):
            widget.setVisible(shown)

    def _ticked(self, item: QListWidgetItem) -> None:
        self.w.preview.leave_out([item.data(Qt.ItemDataRole.UserRole)],
                                 item.checkState() != Qt.CheckState.Checked)
        self._show_counts()

    def _tick_every(self, ticked: bool) -> None:
        positions = [self.rows.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(self.rows.count())]
        self.w.preview.leave_out(positions, not ticked)
        self._fill_rows(self.w.preview)
        self._show_counts()

    def _show_counts(self) -> None:
        """The first two lines, from what the core says the ticked rows will do."""
        p = self.w.preview
        t = p.to_import
        new = plural(t["new"], "new link")
        self.lines["new"].setText(new + (f" ({t['left_out']:,} left out)" if t["left_out"]
                                         else ""))
        already = t["merged"] + t["unchanged"]
        parts = []
        if t["merged"]:
            parts.append(f"{t['merged']:,} will get the new tags, themes or notes")
        if t["unchanged"]:
            parts.append(f"{t['unchanged']:,} will stay as "
                         + ("it is" if t["unchanged"] == 1 else "they are")
                         + " (the list says why)")
        self.lines["duplicate_in_library"].setText(
            f"{already:,} already in your library" + (f": {'; '.join(parts)}" if parts else ""))
        for key in ("new", "duplicate_in_library"):
            self.lines[key].setVisible(True)
        if self.isComplete():
            self.after.setText(self.AFTER)
        else:
            self.after.setText("There is nothing to import: no new links, and none already in "
                               "your library (or every one is unticked). Go back to choose "
                               "another file.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        p = self.w.preview
        if p is None or not p.ready:
            return False
        t = p.to_import
        return t["new"] + t["merged"] + t["unchanged"] > 0

    def nextId(self) -> int:
        return PAGE_RUN
