"""The import wizard: bring bookmarks, spreadsheets, reference lists or pasted links in.

Five steps in plain words: choose what to import, match the spreadsheet's columns (only
when needed), check the counts, import and fetch in the background, and read the report.
Every rule lives in :mod:`curator.importing.run`; this module only calls it, off the GUI
thread through the window's :class:`~curator.ui.ops.Operations`, and shows the answers.

``start(window)`` opens the wizard beside the main window (not modal). The import and the
later fetches are bulk writes through the window's operations, so the window refreshes
from their change signal like after any other write, even when the wizard was closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from curator.base.errors import CuratorError
from curator.ui.import_check import ColumnsPage, PreviewPage
from curator.ui.import_report import ReportPage
from curator.ui.wizard_parts import (
    NOT_FETCHED_HINT,
    PAGE_COLUMNS,
    PAGE_PREVIEW,
    PAGE_REPORT,
    PAGE_RUN,
    PAGE_SOURCE,
    ImportHost,
    _big,
    _busy_row,
    _Job,
    _text_label,
)

FILE_FILTER = ("Collections (*.html *.htm *.csv *.tsv *.xlsx *.json *.ris *.txt);;"
               "Browser bookmarks (*.html *.htm);;Spreadsheets (*.csv *.tsv *.xlsx);;"
               "References (*.json *.ris);;Lists of links (*.txt);;All files (*)")
PHASES = {"Adding": "Adding the new links",
          "Checking duplicates": "Adding details to links already in your library",
          "Fetching": "Fetching the pages' titles and text"}


# -- step 1: what to import -------------------------------------------------------------------
class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportHost):
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
        state_row, self.spinner, self.state = _busy_row("Reading", "What Curator is doing")
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


# -- step 4: importing and fetching -----------------------------------------------------------
class RunPage(QWizardPage):
    def __init__(self, wizard: ImportHost):
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
        # Bulk work: the window refreshes everything from the change signal afterwards.
        self.job.start(work, kind="network", label="Importing links", changes="all")

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
        when it failed part way.
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
    """Open the import wizard beside *window* (not modal), or bring the open one forward."""
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
    window.import_wizard = wizard
    wizard.show()
    return wizard


__all__ = ["PAGE_COLUMNS", "PAGE_PREVIEW", "PAGE_REPORT", "PAGE_RUN", "PAGE_SOURCE",
           "ImportWizard", "start"]
