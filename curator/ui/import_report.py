"""The import wizard's last step: what happened to every row, and fetching the rest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from curator.importing.formats.report import FETCH_STATES, OUTCOMES
from curator.ui.wizard_parts import NOT_FETCHED_HINT, ImportHost, _big, _Job, _text_label, plural

_ROOT = QModelIndex()


class ReportModel(QAbstractTableModel):
    """Every row of the file and what happened to it, for the report table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report = None
        self.headers = ["Row", "Web address", "Title", "What happened", "Page"]

    def set_report(self, report) -> None:
        self.beginResetModel()
        self.report = report
        self.headers[0] = report.position_label if report else "Row"
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def cell(self, row: int, column: int) -> str:
        r = self.report.rows[row]
        if column == 0:
            return str(r.position)
        if column == 1:
            return r.url
        if column == 2:
            return r.title
        if column == 3:
            return r.message or OUTCOMES.get(r.outcome, r.outcome)
        words = FETCH_STATES.get(r.fetch, "")
        return f"{words}: {r.fetch_message}" if r.fetch == "failed" and r.fetch_message \
            else words

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.report is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(index.row(), index.column())
        return None

    def refresh(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))


class ReportPage(QWizardPage):
    def __init__(self, wizard: ImportHost):
        super().__init__()
        self.w = wizard
        self.setTitle("What happened")
        self.setSubTitle("Every row of the file is listed below with what Curator did with it.")
        layout = QVBoxLayout(self)
        self.summary = _big(_text_label("", "Summary of the import"), 1.25)
        layout.addWidget(self.summary)
        self.pending_note = _text_label("", "Pages not fetched yet")
        layout.addWidget(self.pending_note)
        fetch_row = QHBoxLayout()
        self.fetch_button = QPushButton("Fetch the &rest now")
        self.fetch_button.setAccessibleName("Fetch the pages not fetched yet")
        self.fetch_button.clicked.connect(self.fetch_rest)
        self.stop_button = QPushButton("S&top fetching")
        self.stop_button.setAccessibleName("Stop fetching")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Fetch progress")
        fetch_row.addWidget(self.fetch_button)
        fetch_row.addWidget(self.bar, 3)
        fetch_row.addWidget(self.stop_button)
        fetch_row.addStretch(1)
        layout.addLayout(fetch_row)
        self.model = ReportModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("What happened to every row")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        save_row = QHBoxLayout()
        self.save_button = QPushButton("&Save report as CSV…")
        self.save_button.setAccessibleName("Save the report as a spreadsheet (CSV)")
        self.save_button.clicked.connect(self.save_csv)
        self.saved = _text_label("", "Where the report was saved")
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved, 1)
        layout.addLayout(save_row)
        self.job = _Job(wizard.ops, self)
        self.job.progressed.connect(self._progressed)
        self.job.finished.connect(self._fetched)
        self.job.failed.connect(self._fetch_failed)
        self.stop_button.clicked.connect(self._stop)

    def initializePage(self) -> None:
        self.model.set_report(self.w.report)
        self._fit_columns()
        self.saved.setText("")
        self._show()

    def _fit_columns(self) -> None:
        """Each column as wide as its words need (from the first rows), within a share of
        the table; "What happened" takes the rest, and every cell has its whole text as
        a tooltip."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        room = max(self.table.viewport().width(), 480)
        rows = range(min(self.model.rowCount(), 200))
        for col, share in ((0, 0.1), (1, 0.3), (2, 0.25), (4, 0.2)):
            words = [self.model.headers[col]] + [self.model.cell(r, col) for r in rows]
            wanted = max(metrics.horizontalAdvance(w) for w in words) + 16
            header.resizeSection(col, min(wanted, int(room * share)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.model.report is not None:
            self._fit_columns()

    def _show(self) -> None:
        report = self.w.report
        c = report.counts
        lines = [plural(c["added"], "link") + " added"]
        already = c["merged"] + c["unchanged"]
        if already:
            lines.append(f"{already:,} already in your library"
                         + (f" ({c['merged']:,} given the new details)" if c["merged"] else ""))
        if c["duplicate_in_file"]:
            lines.append(f"{plural(c['duplicate_in_file'], 'link')} repeated in the file")
        if c["invalid"]:
            lines.append(f"{c['invalid']:,} not imported (" + (
                "not a web address)" if c["invalid"] == 1 else "not web addresses)"))
        if c["skipped_scheme"]:
            lines.append(f"{plural(c['skipped_scheme'], 'browser-only link')} skipped")
        if c["not_imported"]:
            lines.append(f"{c['not_imported']:,} left out because the import was stopped")
        fetch = [f"{c['fetch_fetched']:,} fetched"]
        if c["fetch_failed"]:
            fetch.append(f"{c['fetch_failed']:,} could not be fetched")
        if c["fetch_pending"]:
            fetch.append(f"{c['fetch_pending']:,} not fetched yet")
        text = "\n".join(lines)
        if c["fetch_fetched"] or c["fetch_failed"] or c["fetch_pending"]:
            text += "\nPages: " + ", ".join(fetch)
        self.summary.setText(text)
        pending = c["fetch_pending"]
        stopped = "The import was stopped. " if report.cancelled or report.fetch_cancelled \
            else ""
        self.pending_note.setText(
            f"{stopped}{plural(pending, 'page')} not fetched yet. {NOT_FETCHED_HINT}"
            if pending else (stopped + "Anything left out can be imported by importing the "
                             "same file again." if stopped else ""))
        self.pending_note.setVisible(bool(self.pending_note.text()))
        running = self.job.running
        self.fetch_button.setVisible(bool(pending) and not running)
        self.bar.setVisible(running)
        self.stop_button.setVisible(running)
        self.model.refresh()

    def fetch_rest(self) -> None:
        report, lib = self.w.report, self.w.lib
        self.bar.setRange(0, len(report.pending_ids))
        self.bar.setValue(0)
        self.stop_button.setEnabled(True)
        self.job.start(lambda ctx: lib.import_fetch_rest(report, cancel=ctx.cancelled,
                                                        progress=ctx.progress),
                       kind="network", label="Fetching pages", changes="all")
        self._show()
        self.stop_button.setFocus()

    def _stop(self) -> None:
        self.job.cancel()
        self.stop_button.setEnabled(False)

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def _fetched(self, report) -> None:
        self.w.report = report
        self.model.set_report(report)
        self._show()
        self.w.imported.emit(self.w.report)
        self.table.setFocus()

    def _fetch_failed(self, error) -> None:
        self._show()
        self.pending_note.setText(getattr(error, "message", "") or
                                  "Fetching stopped unexpectedly. " + NOT_FETCHED_HINT)

    def save_csv(self) -> None:
        report = self.w.report
        folder = str(self.w.settings.value("import/report_folder") or
                     self.w.settings.value("import/folder") or Path.home())
        stem = Path(report.file).stem if report.file and "pasted" not in report.file.lower() \
            else "pasted-links"
        path, _ = QFileDialog.getSaveFileName(self, "Save the import report",
                                              str(Path(folder) / f"{stem}-import-report.csv"),
                                              "Spreadsheet (*.csv)")
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        self.w.settings.setValue("import/report_folder", str(Path(path).parent))
        self.saved.setText("Saving…")

        def failed(error) -> bool:
            self.saved.setText(getattr(error, "message", "") or
                               f"The report could not be saved: {error}")
            return True
        self.w.ops.run(lambda ctx: report.write_report_csv(path), kind="write",
                       on_success=lambda p: self.saved.setText(f"Saved to {p}"),
                       on_failure=failed)

    def nextId(self) -> int:
        return -1
