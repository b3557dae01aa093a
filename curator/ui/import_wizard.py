"""The import wizard: bring bookmarks, spreadsheets, reference lists or pasted links in.

Five steps in plain words: choose what to import, match the spreadsheet's columns (only
when needed), check the counts, import and fetch in the background, and read the report.
Every rule lives in :mod:`curator.importing.run`; this module only calls it, off the GUI
thread through the window's :class:`~curator.ui.ops.Operations`, and shows the answers.

``start(window)`` opens the wizard beside the main window (not modal) and refreshes the
window when an import has been made and when the wizard closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from curator.base.errors import CuratorError
from curator.importing.formats import FIELD_LABELS, FIELDS
from curator.ui.import_report import ReportPage
from curator.ui.wizard_parts import NOT_FETCHED_HINT, _big, _Job, _text_label, plural

PAGE_SOURCE, PAGE_COLUMNS, PAGE_PREVIEW, PAGE_RUN, PAGE_REPORT = range(5)
FILE_FILTER = ("Collections (*.html *.htm *.csv *.tsv *.xlsx *.json *.ris *.txt);;"
               "Browser bookmarks (*.html *.htm);;Spreadsheets (*.csv *.tsv *.xlsx);;"
               "References (*.json *.ris);;Lists of links (*.txt);;All files (*)")
#: How many problem rows the check step lists, and sample rows the column step shows.
EXAMPLES = 20
SAMPLE_ROWS = 5
PHASES = {"Adding": "Adding the new links",
          "Checking duplicates": "Adding details to links already in your library",
          "Fetching": "Fetching the pages' titles and text"}
#: Keyboard shortcuts (Alt+letter) for the column choices; none clash with Back or Next.
MNEMONICS = {"url": "&Web address", "title": "T&itle", "notes": "Why it matters (n&otes)",
             "summary": "Su&mmary", "tags": "T&ags", "theme": "T&heme",
             "published": "&Published", "author": "A&uthor"}
# -- step 1: what to import -------------------------------------------------------------------
class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.w = wizard
        self._busy = False
        self._key = None
        self._seq = 0
        self.setTitle("Bring links into your library")
        self.setSubTitle("Choose a file your browser or another program saved, or paste "
                         "links. Nothing is added until you have seen what will happen.")
        layout = QVBoxLayout(self)
        self.from_file = QRadioButton("From a &file")
        self.from_file.setAccessibleName("Import from a file")
        self.from_paste = QRadioButton("&Paste links")
        self.from_paste.setAccessibleName("Import pasted links")
        self.group = QButtonGroup(self)
        self.group.addButton(self.from_file)
        self.group.addButton(self.from_paste)
        self.from_file.setChecked(True)

        layout.addWidget(self.from_file)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(24, 0, 0, 0)
        self.path = QLineEdit()
        self.path.setAccessibleName("File to import")
        self.path.setPlaceholderText("The file's location")
        self.browse = QPushButton("&Choose a file…")
        self.browse.setAccessibleName("Choose the file to import")
        self.browse.clicked.connect(self.choose_file)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        layout.addLayout(file_row)
        kinds = _text_label("Bookmarks your browser exported (.html), a spreadsheet (.csv or "
                            ".xlsx), references from Zotero, Mendeley or EndNote (.json or "
                            ".ris), or a list of links (.txt).")
        kinds.setContentsMargins(24, 0, 0, 6)
        layout.addWidget(kinds)

        layout.addWidget(self.from_paste)
        self.paste = QPlainTextEdit()
        self.paste.setAccessibleName("Links to import, one on each line")
        self.paste.setPlaceholderText("https://www.example.org/guidance\n"
                                      "https://www.example.org/another-page")
        self.paste.setTabChangesFocus(True)
        self.paste.setMinimumHeight(90)
        paste_row = QHBoxLayout()
        paste_row.setContentsMargins(24, 0, 0, 6)
        paste_row.addWidget(self.paste)
        layout.addLayout(paste_row)

        form = QFormLayout()
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme to give every link")
        self.theme.addItem("No theme (choose later)", None)
        for code, name in wizard.themes:
            self.theme.addItem(name, code)
        theme_label = QLabel("&Theme for every link")
        theme_label.setBuddy(self.theme)
        form.addRow(theme_label, self.theme)
        layout.addLayout(form)
        self.folders = QCheckBox("Use bookmark folders as ta&gs (folders named like a theme "
                                 "put their links in that theme)")
        self.folders.setAccessibleName("Use bookmark folders as tags")
        self.folders.setChecked(True)
        layout.addWidget(self.folders)
        layout.addStretch(1)
        state_row = QHBoxLayout()
        self.spinner = QProgressBar()
        self.spinner.setRange(0, 0)
        self.spinner.setMaximumWidth(90)
        self.spinner.setTextVisible(False)
        self.spinner.setAccessibleName("Reading")
        self.spinner.hide()
        self.state = _text_label("", "What Curator is doing")
        state_row.addWidget(self.spinner)
        state_row.addWidget(self.state, 1)
        layout.addLayout(state_row)

        self.from_file.toggled.connect(self._mode_changed)
        self.path.textChanged.connect(self._changed)
        self.paste.textChanged.connect(self._changed)
        self._mode_changed()

    def _mode_changed(self) -> None:
        file_mode = self.from_file.isChecked()
        self.path.setEnabled(file_mode)
        self.browse.setEnabled(file_mode)
        self.paste.setEnabled(not file_mode)
        self._changed()

    def _changed(self) -> None:
        self.state.setText("")
        self.completeChanged.emit()

    def choose_file(self) -> None:
        start = self.path.text().strip() or str(self.w.settings.value("import/folder") or
                                                Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Choose the file to import", start,
                                              FILE_FILTER)
        if path:
            self.w.settings.setValue("import/folder", str(Path(path).parent))
            self.path.setText(path)
            self.path.setFocus()

    def key(self) -> tuple:
        source = self.path.text().strip() if self.from_file.isChecked() else \
            self.paste.toPlainText()
        return (self.from_file.isChecked(), source, self.theme.currentData(),
                self.folders.isChecked())

    def isComplete(self) -> bool:
        return not self._busy and bool(self.key()[1].strip())

    def validatePage(self) -> bool:
        key = self.key()
        if self.w.preview is not None and key == self._key:
            return True
        if self._busy:
            return False
        self._start_preview(key)
        return False

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.spinner.setVisible(busy)
        self.state.setText(text)
        self.completeChanged.emit()

    def _start_preview(self, key: tuple) -> None:
        from_file, source, theme, folders = key
        lib = self.w.lib
        self._seq += 1
        seq = self._seq
        self._set_busy(True, "Reading the file…" if from_file else "Reading the links…")

        def work(ctx):
            if from_file:
                return lib.import_preview(source, theme=theme, folders_as_tags=folders)
            return lib.import_preview_text(source, theme=theme)

        def done(preview):
            if seq != self._seq:
                return
            self._set_busy(False)
            self._key = key
            self.w.preview = preview
            self.w.next()

        def failed(error) -> bool:
            if seq != self._seq:
                return True
            ours = isinstance(error, CuratorError)
            self._set_busy(False, error.message if ours else
                           "Something went wrong reading this. Check it is the right file.")
            return ours
        self.w.ops.run(work, kind="read", on_success=done, on_failure=failed,
                       label="Reading the file")

    def nextId(self) -> int:
        p = self.w.preview
        if p is not None and (not p.ready or p.format in ("csv", "xlsx")):
            return PAGE_COLUMNS
        return PAGE_PREVIEW


# -- step 2: which column holds what ----------------------------------------------------------
class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
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
        state_row = QHBoxLayout()
        self.spinner = QProgressBar()
        self.spinner.setRange(0, 0)
        self.spinner.setMaximumWidth(90)
        self.spinner.setTextVisible(False)
        self.spinner.setAccessibleName("Checking")
        self.spinner.hide()
        self.state = _text_label("", "What these columns give")
        state_row.addWidget(self.spinner)
        state_row.addWidget(self.state, 1)
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
    def __init__(self, wizard: ImportWizard):
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


# -- step 4: importing and fetching -----------------------------------------------------------
class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.w = wizard
        self._done = False
        self.setTitle("Importing")
        self.setSubTitle("You can keep working in the main window while this runs.")
        layout = QVBoxLayout(self)
        self.state = _big(_text_label("Starting…", "What Curator is doing"), 1.2)
        layout.addWidget(self.state)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Import progress")
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setAccessibleName("Stop the import")
        self.stop_button.clicked.connect(self.stop)
        row.addWidget(self.stop_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_text_label("Stopping keeps what was already added. " + NOT_FETCHED_HINT,
                                     "About stopping"))
        layout.addStretch(1)
        self.job = _Job(wizard.ops, self)
        self.job.progressed.connect(self._progressed)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)

    def initializePage(self) -> None:
        lib, p = self.w.lib, self.w.preview
        self._done = False
        self.stop_button.setEnabled(True)
        self.state.setText("Starting…")

        def work(ctx):
            return lib.import_run(p, cancel=ctx.cancelled, progress=ctx.progress)
        self.job.start(work, kind="network", label="Importing links")

    def stop(self) -> None:
        if self.job.running:
            self.job.cancel()
            self.stop_button.setEnabled(False)
            self.state.setText("Stopping after the pages being fetched now…")

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self._done or not self.stop_button.isEnabled():
            return
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.state.setText(f"{PHASES.get(text, text or 'Working')}: {done:,} of {total:,}")

    def _finished(self, report) -> None:
        self._done = True
        self.stop_button.setEnabled(False)
        self.w.report = report
        self.w.imported.emit(report)
        self.completeChanged.emit()
        if self.w.isVisible() and self.w.currentId() == PAGE_RUN:
            self.w.next()

    def _failed(self, error) -> None:
        self.stop_button.setEnabled(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        message = error.message if isinstance(error, CuratorError) else (
            "Something went wrong that Curator did not expect. What was added so far is "
            "safe in your library.")
        self.state.setText(f"The import stopped: {message}")
        self.w.imported.emit(None)

    def isComplete(self) -> bool:
        return self._done

    def nextId(self) -> int:
        return PAGE_REPORT


# -- the wizard -----------------------------------------------------------------------------
class ImportWizard(QWizard):
    """Signals:
        imported(object): an import (or a later fetch) finished; the ImportReport, or None
        when it failed part way. The window refreshes its lists on it.
    """

    imported = Signal(object)

    def __init__(self, library, ops, settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.lib = library
        self.ops = ops
        self.settings = settings
        self.preview = None
        self.report = None
        self.themes = [(t.code, t.name) for t in library.themes(include_inactive=False)]
        self.setWindowTitle("Import links")
        self.setAccessibleName("Import links")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(760, 620)
        self.pages = {PAGE_SOURCE: SourcePage(self), PAGE_COLUMNS: ColumnsPage(self),
                      PAGE_PREVIEW: PreviewPage(self), PAGE_RUN: RunPage(self),
                      PAGE_REPORT: ReportPage(self)}
        for page_id, page in self.pages.items():
            self.setPage(page_id, page)
        self.setStartId(PAGE_SOURCE)
        names = {QWizard.WizardButton.BackButton: "Back",
                 QWizard.WizardButton.NextButton: "Next",
                 QWizard.WizardButton.CommitButton: "Import",
                 QWizard.WizardButton.FinishButton: "Finish",
                 QWizard.WizardButton.CancelButton: "Cancel",
                 QWizard.WizardButton.HelpButton: "Help"}
        for which, name in names.items():
            self.button(which).setAccessibleName(name)

    @property
    def running(self) -> bool:
        return self.pages[PAGE_RUN].job.running or self.pages[PAGE_REPORT].job.running

    def reject(self) -> None:
        # Closing stops the work under way; what was added stays, the rest can be resumed.
        self.pages[PAGE_RUN].job.cancel()
        self.pages[PAGE_REPORT].job.cancel()
        super().reject()


def start(window) -> ImportWizard:
    """Open the import wizard beside *window* (not modal); refresh the window after."""
    existing = getattr(window, "import_wizard", None)
    try:
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        if existing is not None and not existing.running:
            existing.deleteLater()
    except RuntimeError:  # its C++ side is gone
        pass
    wizard = ImportWizard(window.lib, window.ops, window.settings, window)
    wizard.setWindowModality(Qt.WindowModality.NonModal)
    wizard.imported.connect(lambda _report: window.refresh())
    wizard.finished.connect(lambda _result: window.refresh())
    window.import_wizard = wizard
    wizard.show()
    return wizard


__all__ = ["ImportWizard", "start"]
