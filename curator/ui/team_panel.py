"""The team folder in the app: File › Sync now, a sync every few minutes, the status
bar's word on what waits, and the list of what awaits the lead's approval.

Syncing reads and writes files on a shared drive, which may be slow or away: it runs
through :class:`~curator.ui.ops.Operations` off the GUI thread, and what it takes in
reaches the list, the sidebar and the details pane through the one change signal. The
rules (who may approve, what is refused) are the core's; this only shows what it says.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

#: How often the open app looks in the team folder.
SYNC_MINUTES = 5
NO_FOLDER = ("No team folder is set for this library yet. Ask your service which folder to "
             "use, then run: curator team set FOLDER")


def when(moment: str) -> str:
    """"2 Dec 14:05" for a stored UTC moment, in this computer's time."""
    from curator.library.team import local_time
    return local_time(moment)


def status_words(status: dict) -> str:
    """What the status bar says about the team folder, in a few words."""
    if not status.get("folder"):
        return ""
    parts = []
    awaiting = len(status.get("awaiting_approval") or [])
    if awaiting:
        parts.append(f"{awaiting} awaiting your approval")
    out = len(status.get("waiting") or []) + int(status.get("pending_submissions") or 0)
    if out:
        parts.append(f"{out} waiting to go out")
    if not status.get("reachable"):
        return "Team folder out of reach" + (f": {', '.join(parts)}" if parts else "")
    return "Team: " + (", ".join(parts) if parts else "up to date")


class TeamSync(QObject):
    """Sync now, the timer, and the status bar label, for one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.running = False
        self.label = QLabel()
        self.label.setAccessibleName("Team folder")
        window.statusBar().addPermanentWidget(self.label)
        self.act_sync = window._action(
            "S&ync with the team folder now", lambda: self.sync(quiet=False), "F9",
            "Send what waits and take in new submissions and decisions (F9)")
        self.act_awaiting = window._action(
            "&Awaiting your approval…", self.show_awaiting, None,
            "Submissions from your team waiting for you to approve or send back")
        file_menu = window.menuBar().actions()[0].menu()
        file_menu.insertAction(window.act_open_library, self.act_sync)
        file_menu.insertAction(window.act_open_library, self.act_awaiting)
        file_menu.insertSeparator(window.act_open_library)
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_MINUTES * 60 * 1000)
        self.timer.timeout.connect(lambda: self.sync(quiet=True))
        self.timer.start()
        QTimer.singleShot(0, lambda: self.sync(quiet=True))  # at start

    def sync(self, quiet: bool = True) -> None:
        if self.running:
            return
        lib = self.window.lib

        def work(ctx):
            if lib.team_folder() is None:
                return None
            return lib.team_sync(ctx.cancelled), lib.team_status()

        def failed(error) -> bool | None:
            self.running = False
            if quiet:  # a timer's sync never interrupts with a dialog
                self.label.setText("Team folder: could not sync (see File › Sync now)")
                return True
            return None
        self.running = True
        self.window.ops.run(work, kind="network", label="Syncing with the team folder",
                            show_progress=not quiet, on_success=lambda r: self._done(r, quiet),
                            on_failure=failed)

    def _done(self, result, quiet: bool) -> None:
        self.running = False
        bar = self.window.statusBar()
        if result is None:
            self.label.setText("")
            if not quiet:
                bar.showMessage(NO_FOLDER, 15000)
            return
        report, status = result
        self.label.setText(status_words(status))
        # A library with a team folder has one owner: switching expert makes no one a lead
        # (the core refuses their approvals), so it is not offered, unless the register
        # marks this library as shared.
        switch = getattr(self.window, "act_switch_expert", None)
        if switch is not None and status.get("me"):
            switch.setVisible(bool(status.get("shared")))
        news = [line for line in report.lines() if not line.startswith("Up to date")]
        if news or not quiet:
            bar.showMessage(" ".join(news or report.lines()), 20000)

    def show_awaiting(self) -> AwaitingDialog:
        dialog = AwaitingDialog(self.window)
        dialog.open()
        return dialog


class AwaitingDialog(QDialog):
    """What the team sent for this lead's approval: what, from whom, when. Opening one
    shows it in the window, where the details pane offers Approve and Send back."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Awaiting your approval")
        self.list = QListWidget()
        self.list.setAccessibleName("Submissions awaiting your approval")
        self.note = QLabel("Looking in your library…")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_current)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.currentItemChanged.connect(
            lambda item, _old: self.open_button.setEnabled(item is not None))
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)
        lib = window.lib
        window.ops.run(lambda ctx: lib.team_awaiting(), kind="read", on_success=self.fill)

    def fill(self, items: list[dict]) -> None:
        self.list.clear()
        for item in items:
            row = QListWidgetItem(f"{item['title'] or item['url']}\n"
                                  f"from {item['sender_name']}, sent {when(item['sent_at'])}")
            row.setData(Qt.ItemDataRole.UserRole, item["resource_id"])
            self.list.addItem(row)
        if items:
            self.note.setText(f"{len(items)} waiting. Open one to read the page, the note and "
                              "its history, then approve it or send it back with a reason.")
            self.list.setCurrentRow(0)
        else:
            self.note.setText("Nothing from your team awaits your approval. New submissions "
                              "arrive when Curator syncs with the team folder (File › Sync "
                              "now, or every few minutes).")

    def open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.window.open_resource(item.data(Qt.ItemDataRole.UserRole))
            self.accept()


def attach(window) -> TeamSync:
    """Give a main window its team-folder actions, timer and status label."""
    window.team_sync = TeamSync(window)
    return window.team_sync


__all__ = ["AwaitingDialog", "TeamSync", "attach", "status_words"]
