"""The main window's work on the library as a whole: opening another library, switching
expert, backups and restoring, link checks, the search index and start-up safety checks.

Each runs through the window's :class:`~curator.ui.ops.Operations` off the GUI thread and
says it may have changed anything (``changes="all"``); the window then refreshes from the
change signal like after any other write.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from curator.base.errors import Cancelled, CuratorError, NotAllowed
from curator.library import Library, LibraryDamaged
from curator.library.team import PassphraseNeeded
from curator.ui import demo_visit

SOMEONE_NEW = "Someone new…"


class LibraryMixin:
    """Part of :class:`~curator.ui.main_window.MainWindow` (which provides ``lib``, ``ops``,
    ``settings`` and ``undo_stack``)."""

    def library_opened(self) -> None:
        """A (new) library is in place: name the window, check it and its index."""
        self.setWindowTitle(self.lib.folder.name)  # Qt adds " — Curator" (the display name)
        self.reconcile_index()
        self.start_safety_checks()

    def _swap_library(self, lib: Library) -> None:
        self.lib = lib
        self.undo_stack.clear()
        demo_visit.remember_library(self.settings, lib)  # never the demo: a visit
        self.library_opened()

    # -- links ------------------------------------------------------------------------------
    def check_links(self) -> None:
        """Check links in the background with progress; a stopped check resumes next time."""
        lib = self.lib

        def work(ctx):
            summary = lib.check_links(cancel=ctx.cancelled,
                                      progress=lambda d, t, text: ctx.progress(d, t, text))
            return lib.link_check_report(summary.run_id)

        def done(report):
            from curator.ui.link_report import LinkReportDialog
            self.statusBar().showMessage(report.text, 30000)
            self.link_report = LinkReportDialog(report, self.show_found, self)
            self.link_report.show()

        def failed(error) -> bool:
            if isinstance(error, Cancelled):
                self.statusBar().showMessage(error.message, 10000)
                return True
            return False
        # A check rewrites link columns without an event when nothing new was found.
        self.ops.run(work, kind="network", on_success=done, on_failure=failed,
                     label="Checking links", show_progress=True, changes="all")

    # -- safety -----------------------------------------------------------------------------
    def start_safety_checks(self) -> None:
        """In the background: integrity check, daily backup, and a warning for risky places."""
        lib = self.lib

        def work(ctx):
            lib.check_integrity()
            lib.backup_if_due()
            return lib.risky_place()

        def done(warning):
            if warning:
                QMessageBox.warning(self, "Where your library is", warning)

        def failed(error) -> bool:
            if isinstance(error, LibraryDamaged):
                self.offer_restore(error.message)
                return True
            return False
        self.ops.run(work, kind="write", on_success=done, on_failure=failed)

    def backup_now(self) -> None:
        lib = self.lib
        self.ops.run(lambda ctx: lib.backup("manual"),
                     on_success=lambda path: self.statusBar().showMessage(
                         f"Backed up to {path}", 8000),
                     label="Backing up the library", show_progress=True)

    def restore_backup(self) -> None:
        backups = self.lib.list_backups()
        if not backups:
            QMessageBox.information(self, "Restore", "This library has no backups yet.")
            return
        labels = [f"{b.taken.astimezone():%d %b %Y %H:%M} ({b.reason})" for b in backups]
        choice, ok = QInputDialog.getItem(self, "Restore from a backup",
                                          "Put this backup in place of the library (the "
                                          "current one is backed up first):", labels, 0, False)
        if ok:
            self._restore(backups[labels.index(choice)].path)

    def offer_restore(self, message: str) -> None:
        answer = QMessageBox.warning(self, "The library is damaged", message + "\n\nRestore "
                                     "the newest good backup now?",
                                     QMessageBox.StandardButton.Yes
                                     | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._restore(None)

    def _restore(self, path) -> None:
        self.details.commit()  # what was typed is saved first
        old = self.lib
        expert = old.acting.name if old.acting else None

        def work(ctx):
            old.close()
            lib = Library.reopen_from_backup(old.folder, path)
            if expert:
                lib.act_as(expert)
            return lib

        def done(lib):
            self._swap_library(lib)
            self.statusBar().showMessage("The library was restored from the backup.", 8000)
        self.ops.run(work, on_success=done, label="Restoring the library", show_progress=True,
                     changes="all")

    def reconcile_index(self) -> None:
        """Bring the search index up to date in the background (rebuilt if damaged)."""
        lib = self.lib

        def work(ctx):
            if lib.indexer.needs_rebuild():
                ctx.label = "Rebuilding the search index"
                lib.indexer.rebuild(progress=ctx.progress,
                                    cancel=ctx.cancelled)
            else:
                lib.indexer.drain()
            lib.indexer.warm(ctx.cancelled)  # the first search then waits on nothing
        self.ops.run(work, kind="write", label="Updating the search index", show_progress=True)

    # -- who and which library --------------------------------------------------------------
    def switch_expert(self) -> None:
        """Ask who is using Curator (perhaps someone new), then act as them. In a library
        the team register marks as shared, someone other than its owner types their key's
        passphrase (or, the first time, makes their key with one)."""
        self.details.commit()  # what was typed is saved first
        lib = self.lib
        names = [e.name for e in lib.experts(include_inactive=False)]
        current = lib.acting.name if lib.acting else ""
        choice, ok = QInputDialog.getItem(self, "Switch expert", "Who is using Curator?",
                                          [*names, SOMEONE_NEW],
                                          names.index(current) if current in names else 0, False)
        if not ok:
            return
        new = choice == SOMEONE_NEW
        if new:
            choice, ok = QInputDialog.getText(self, "New expert", "Your name:")
            if not ok or not choice.strip():
                return
        self._switch_to(" ".join(choice.split()), new, None)

    def _switch_to(self, name: str, new: bool, passphrase: str | None) -> None:
        lib = self.lib

        def work(ctx):
            # The register is read here, off the GUI thread (the team folder may be slow).
            if new and not lib.switch_needs_passphrase(name):
                lib.add_expert(name)
            return lib.switch_expert(name, passphrase)

        def failed(exc):
            if isinstance(exc, PassphraseNeeded) or (passphrase and isinstance(exc, NotAllowed)
                                                     and "passphrase" in exc.message):
                problem = "" if isinstance(exc, PassphraseNeeded) else exc.message
                has_key = getattr(exc, "has_key", True)
                QTimer.singleShot(0, lambda: self._ask_passphrase(name, has_key, problem))
                return True
            return None  # the error dialog says why (someone else's library, say)
        # Every list may differ for another expert ("My drafts", what they may approve).
        self.ops.run(work, changes="all", on_failure=failed, on_success=lambda expert: self
                     .statusBar().showMessage(f"Working as {expert.name}.", 6000))

    def _ask_passphrase(self, name: str, has_key: bool, problem: str = "") -> None:
        if not has_key:
            self._make_key(name)
            return
        words = (f"{problem}\n\n" if problem else "") + (
            f"{name} signs with their own key on this shared computer.\n"
            f"Type {name}'s passphrase:")
        passphrase, ok = QInputDialog.getText(self, "Switch expert", words,
                                              QLineEdit.EchoMode.Password)
        if ok and passphrase:
            self._switch_to(name, False, passphrase)

    def _make_key(self, name: str) -> None:
        answer = QMessageBox.question(
            self, "Make a key",
            f"{name} has no key on this computer yet. Everything {name} approves or sends "
            f"through the team folder is signed with it.\n\nMake {name}'s key now, locked "
            f"with a passphrase only {name} knows, and write their request to join the "
            f"team?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        first, ok = QInputDialog.getText(self, "Make a key", f"Choose {name}'s passphrase "
                                         "(at least 8 characters; a short sentence is "
                                         "best):", QLineEdit.EchoMode.Password)
        if not ok:
            return
        again, ok = QInputDialog.getText(self, "Make a key", "The same passphrase again:",
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return
        if again != first:
            QMessageBox.warning(self, "Make a key", "The two passphrases differ; nothing "
                                "was made. Try again.")
            return
        lib = self.lib
        self.ops.run(lambda ctx: lib.team_make_key(name, first), changes="none",
                     on_success=lambda made: QMessageBox.information(
                         self, "Key made",
                         f"{name}'s key is made and their request to join is in "
                         f"{made[0]}. Once the person who keeps the team register admits "
                         f"it, choose {name} under File › Switch expert again."))

    def open_library_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a library folder",
                                                  str(self.lib.folder.parent))
        if folder:
            self.switch_library(folder)

    def switch_library(self, folder: str) -> None:
        self.details.commit()  # what was typed is saved first
        old = self.lib
        expert = old.acting.name if old.acting else None

        def work(ctx):
            lib = Library.open(folder)
            try:
                lib.act_as(expert)
            except CuratorError:
                lib.act_as(None) if lib.setting("last_expert") else None
            return lib

        def done(lib):
            self._swap_library(lib)
            self.ops.run(lambda ctx: old.close(), changes="none")
        self.ops.run(work, on_success=done, label="Opening the library", show_progress=True,
                     changes="all")
