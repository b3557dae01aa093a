"""The import wizard's middle steps: which spreadsheet column holds what, and what
importing will do (nothing is written until the person chooses Import)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
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
        self.examples_label = _text_label("Rows that will not be imported, for example:")
        layout.addWidget(self.examples_label)
        self.examples = QListWidget()
        self.examples.setAccessibleName("Rows that will not be imported")
        self.examples.setMinimumHeight(90)
        layout.addWidget(self.examples, 1)
        self.after = _text_label("When you choose Import, Curator adds the new links, then "
                                 "fetches each new page's title and text in the background. "
                                 "You can stop the fetching at any time and carry on later.",
                                 "What happens next")
        layout.addWidget(self.after)

    def initializePage(self) -> None:
        p = self.w.preview
        c = p.counts
        rows = plural(c["total"], p.position_label.lower())
        self.heading.setText(f"{p.label}: {p.name} ({rows})")
        texts = {
            "new": plural(c["new"], "new link"),
            "duplicate_in_library": (f"{c['duplicate_in_library']:,} already in your library"
                                     + (" (their tags, themes and notes will be added to them)"
                                        if c["duplicate_in_library"] else "")),
            "duplicate_in_file": (f"{plural(c['duplicate_in_file'], 'link')} repeated in this "
                                  "file (imported once)"),
            "invalid": (f"{c['invalid']:,} not web addresses" if c["invalid"] != 1 else
                        "1 not a web address"),
            "skipped_scheme": (f"{plural(c['skipped_scheme'], 'browser-only link')} skipped "
                               "(such as javascript: and place:)"),
        }
        for key, label in self.lines.items():
            label.setText(texts[key])
            label.setVisible(key in ("new", "duplicate_in_library") or c[key] > 0)
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
        if not self.isComplete():
            self.after.setText("There is nothing to import: no new links, and none already in "
                               "your library. Go back to choose another file.")

    def isComplete(self) -> bool:
        p = self.w.preview
        return p is not None and p.ready and \
            (p.counts["new"] + p.counts["duplicate_in_library"]) > 0

    def nextId(self) -> int:
        return PAGE_RUN
