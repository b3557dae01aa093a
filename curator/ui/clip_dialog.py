"""The clip box: paste or drop a link, pick themes and write a note while the page fetches."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from curator.base.errors import CuratorError, FetchError
from curator.catalogue.vocab import TYPES
from curator.library import ClipResult, Library, Page
from curator.ui import wheel_guard
from curator.ui.ops import Operations


class ClipDialog(QDialog):
    """Signals:
        clipped(object): the ClipResult of a new resource.
        open_existing(str): the page is already in the library; open this resource id.
    """

    clipped = Signal(object)
    open_existing = Signal(str)

    def __init__(self, library: Library, ops: Operations, themes: list[tuple[str, str]],
                 url: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Clip a link")
        self.setAccessibleName("Clip a link")
        self.setMinimumWidth(560)
        self._lib = library
        self._ops = ops
        self._fetch_op = None
        self._fetched_url: str | None = None
        self._page: Page | None = None
        self._fetch_error: str | None = None
        self._existing_id: str | None = None
        self._save_when_fetched = False

        layout = QVBoxLayout(self)
        form = QFormLayout()
        url_row = QHBoxLayout()
        self.url = QLineEdit(url)
        self.url.setAccessibleName("Web address")
        self.url.setPlaceholderText("Paste a web address, such as https://www.gov.uk/…")
        self.url.returnPressed.connect(self.start_fetch)
        self.url.editingFinished.connect(self._maybe_fetch)
        self.fetch_button = QPushButton("&Fetch")
        self.fetch_button.setAccessibleName("Fetch the page")
        self.fetch_button.clicked.connect(self.start_fetch)
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.fetch_button)
        link_label = QLabel("&Link")
        link_label.setBuddy(self.url)
        form.addRow(link_label, url_row)

        state_row = QHBoxLayout()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Fetching")
        self.busy.hide()
        self.state = QLabel("Paste a link to start.")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.state.setAccessibleName("What Curator is doing")
        self.cancel_fetch_button = QPushButton("Stop fetching")
        self.cancel_fetch_button.setAccessibleName("Stop fetching")
        self.cancel_fetch_button.clicked.connect(self.cancel_fetch)
        self.cancel_fetch_button.hide()
        self.open_existing_button = QPushButton("&Open it")
        self.open_existing_button.setAccessibleName("Open the resource already in the library")
        self.open_existing_button.clicked.connect(self._open_existing)
        self.open_existing_button.hide()
        state_row.addWidget(self.busy)
        state_row.addWidget(self.state, 1)
        state_row.addWidget(self.cancel_fetch_button)
        state_row.addWidget(self.open_existing_button)
        form.addRow("", state_row)

        themes_box = QWidget()
        grid = QGridLayout(themes_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.theme_boxes: dict[str, QCheckBox] = {}
        for n, (code, name) in enumerate(themes):
            box = QCheckBox(name)
            box.setToolTip(code)
            box.setAccessibleName(f"Theme: {name}")
            self.theme_boxes[code] = box
            grid.addWidget(box, n // 2, n % 2)
        form.addRow("Themes", themes_box)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Why it matters for practice")
        self.note.setPlaceholderText("Why does this matter for practice? (you can add it later)")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        form.addRow("&Why it matters", self.note)
        self.tags = QLineEdit()
        self.tags.setAccessibleName("Tags, separated by commas")
        self.tags.setPlaceholderText("for example: coercive control, MARAC")
        form.addRow("T&ags", self.tags)
        self.type = QComboBox()
        self.type.setAccessibleName("Type")
        self.type.addItem("Let Curator guess")
        self.type.addItems([t.capitalize() for t in TYPES])
        form.addRow("T&ype", self.type)
        wheel_guard.guard(self.type)  # the wheel changes it only once chosen
        layout.addLayout(form)

        self.buttons = QDialogButtonBox()
        self.clip_button = self.buttons.addButton("&Clip", QDialogButtonBox.ButtonRole.AcceptRole)
        self.clip_button.setAccessibleName("Clip this link")
        self.clip_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if url.strip():
            self.start_fetch()

    # -- fetching ------------------------------------------------------------------------
    def _maybe_fetch(self) -> None:
        if self.url.text().strip() and self.url.text().strip() != self._fetched_url:
            self.start_fetch()

    def start_fetch(self) -> None:
        text = self.url.text().strip()
        if not text or text == self._fetched_url and self._fetch_op is not None:
            return
        try:
            url = Library.check_url(text)
        except CuratorError as exc:
            self._show_state(exc.message)
            return
        self.cancel_fetch()
        self._fetched_url = text
        self._page, self._fetch_error, self._existing_id = None, None, None
        self.open_existing_button.hide()
        self.busy.show()
        self.cancel_fetch_button.show()
        self._show_state("Fetching the page… you can choose themes and write your note meanwhile.")

        def work(ctx):
            existing = self._lib.find_existing(url)
            if existing is not None:
                return ("duplicate", existing)
            try:
                return ("page", self._lib.fetch_page(url, ctx.cancelled))
            except FetchError as exc:
                return ("error", exc.message)

        self._fetch_op = self._ops.run(work, kind="network", on_success=self._fetched,
                                       on_failure=self._fetch_failed)

    def _fetched(self, outcome) -> None:
        self._fetch_op = None
        self.busy.hide()
        self.cancel_fetch_button.hide()
        kind, value = outcome
        if kind == "duplicate":
            self._existing_id = value.id
            self._show_state(f"This page is already in your library: {value.title or value.url}")
            self.open_existing_button.show()
            self.open_existing_button.setFocus()
            self._save_when_fetched = False
            return
        if kind == "page":
            self._page = value
            ex = value.extracted
            bits = [ex.title or "(no title found)"]
            if ex.site_name:
                bits.append(ex.site_name)
            if ex.published:
                bits.append(f"published {ex.published}")
            self._show_state("Fetched: " + " — ".join(bits))
        else:
            self._fetch_error = value
            self._show_state(f"Could not fetch the page: {value}\nClip it anyway and Curator "
                             "will keep the link, marked 'not fetched yet', to try again later.")
        if self._save_when_fetched:
            self.save()

    def _fetch_failed(self, error) -> bool:
        self._fetch_op = None
        self.busy.hide()
        self.cancel_fetch_button.hide()
        if isinstance(error, CuratorError):
            self._show_state(error.message)
            self._fetch_error = error.message
            self._save_when_fetched = False
            return True
        return False

    def cancel_fetch(self) -> None:
        if self._fetch_op is not None:
            self._fetch_op.cancel()
            self._fetch_op = None
            self._fetched_url = None
            self.busy.hide()
            self.cancel_fetch_button.hide()
            self._show_state("Stopped fetching. Clip it anyway to keep the link, or fetch again.")
            self._fetch_error = "Fetching was stopped before the page arrived."
            self._save_when_fetched = False

    def _show_state(self, text: str) -> None:
        self.state.setText(text)

    # -- saving --------------------------------------------------------------------------
    def chosen_type(self) -> str | None:
        i = self.type.currentIndex()
        return None if i <= 0 else TYPES[i - 1]

    def save(self) -> None:
        if self._existing_id:
            self._open_existing()
            return
        text = self.url.text().strip()
        try:
            Library.check_url(text)
        except CuratorError as exc:
            self._show_state(exc.message)
            self.url.setFocus()
            return
        if self._fetched_url != text:
            self._save_when_fetched = True
            self.start_fetch()
            return
        if self._fetch_op is not None:
            self._save_when_fetched = True
            self._show_state("Saving as soon as the page arrives…")
            self.clip_button.setEnabled(False)
            return
        themes = [c for c, b in self.theme_boxes.items() if b.isChecked()]
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        note, type_, page, error = self.note.toPlainText(), self.chosen_type(), self._page, \
            self._fetch_error
        self.clip_button.setEnabled(False)

        def work(ctx):
            return self._lib.clip(text, themes_=themes, tags=tags, note=note, type_=type_,
                                  page=page, fetch=False, fetch_error=error)

        self._ops.run(work, kind="write", on_success=self._saved, on_failure=self._save_failed)

    def _saved(self, result: ClipResult) -> None:
        if result.duplicate:
            self._existing_id = result.resource.id
            self._open_existing()
            return
        self.clipped.emit(result)
        self.accept()

    def _save_failed(self, error) -> bool:
        self.clip_button.setEnabled(True)
        if isinstance(error, CuratorError):
            self._show_state(error.message)
            return True
        return False

    def _open_existing(self) -> None:
        if self._existing_id:
            self.open_existing.emit(self._existing_id)
            self.accept()

    def reject(self) -> None:
        self.cancel_fetch()
        super().reject()
