"""Starting the desktop app: first run, the last library, or a demo library."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from curator import APP_NAME, __version__
from curator.base.errors import CuratorError
from curator.storage import paths

DESKTOP_ID = "io.github.curator_app.Curator"


#: The longest the cycle collector is held off while the first screen fills.
FIRST_SCREEN_GC_HOLD_MS = 10_000


def demo_folder() -> Path:
    from curator.ui.demo_visit import demo_folder as where
    return where()


def make_app(argv: list[str] | None = None) -> QApplication:
    # Background threads (fetching, indexing) share the interpreter lock with the GUI
    # thread; handing it over more often keeps the window responding while they work.
    sys.setswitchinterval(0.002)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    # Ties the window to the installed desktop entry (its name and icon) on Linux desktops.
    app.setDesktopFileName(DESKTOP_ID)
    from importlib.resources import files

    from PySide6.QtGui import QIcon
    icon = files("curator") / "data" / "icon.png"  # drawn from packaging/linux's SVG
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def open_window(library_dir: str | None = None, demo: bool = False, expert: str | None = None,
                settings: QSettings | None = None):
    """Open the main window on the right library, asking the welcome questions on a first run.

    Returns the window, or None when the person cancelled the welcome.
    """
    from curator.base import gcpause
    # The collector has nothing to find while modules load, the window is built and its
    # first screen filled (it ran about seventy times there, 15-20 ms, finding no
    # garbage): it is held off until the first screen has settled, and what exists then
    # lives as long as the app, so it is kept out of later collections, which then stay
    # short enough not to be felt.
    release = gcpause.hold()
    try:
        window = _open_window(library_dir, demo, expert, settings)
    except BaseException:
        release()
        raise
    if window is None:
        release()
        return None

    def settled() -> None:
        gcpause.settle_startup_objects()
        release()
    window.first_screen_settled.connect(settled, Qt.ConnectionType.SingleShotConnection)
    window.destroyed.connect(release)  # closed before it settled
    QTimer.singleShot(FIRST_SCREEN_GC_HOLD_MS, release)  # and whatever else happens
    return window


def _open_window(library_dir, demo, expert, settings):
    from curator.firstrun import set_up_library
    from curator.ui import demo_visit
    from curator.ui.errors import show_error
    from curator.ui.main_window import MainWindow
    from curator.ui.welcome import WelcomeDialog

    settings = settings or QSettings()
    expert = expert or os.environ.get("CURATOR_EXPERT")
    if demo:
        lib = set_up_library(library_dir or demo_folder(), expert or "Sam Patel", [], demo=True)
        window = MainWindow(lib, settings)
        demo_visit.mark_window(window)  # a visit: never remembered as the library to open
        return window
    folder = (library_dir or os.environ.get(paths.LIBRARY_ENV)
              or demo_visit.remembered_folder(settings))
    if folder and (Path(folder) / paths.DB_NAME).exists():
        try:
            lib = _open_or_restore(folder)
            if lib is None:
                return None
            try:
                lib.act_as(expert)
            except CuratorError:
                if not _choose_expert(lib):
                    return None
            return MainWindow(lib, settings)
        except CuratorError as exc:
            show_error(None, exc.message, exc.detail or "")
    welcome = WelcomeDialog(Path(folder) if folder else paths.default_library_dir())
    while welcome.exec():
        choice = welcome.choices()
        target = demo_folder() if choice["demo"] else choice["folder"]
        try:
            lib = set_up_library(target, choice["name"], choice["themes"], demo=choice["demo"])
        except CuratorError as exc:
            welcome.error.setText(exc.message)
            continue
        demo_visit.remember_library(settings, lib)  # not the demo: it is a visit
        window = MainWindow(lib, settings)
        if choice["demo"]:
            demo_visit.mark_window(window)
        return window
    return None


def _open_or_restore(folder):
    """Open the library; if it is damaged, offer the newest good backup."""
    from PySide6.QtWidgets import QMessageBox

    from curator.library import Library, LibraryDamaged
    try:
        # The full integrity check runs in the background once the window is up.
        return Library.open(folder, check="none")
    except LibraryDamaged as exc:
        if exc.newest is None:
            raise
        answer = QMessageBox.warning(None, "The library is damaged", exc.message +
                                     "\n\nRestore the newest good backup now?",
                                     QMessageBox.StandardButton.Yes
                                     | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return Library.reopen_from_backup(folder)


def _choose_expert(lib) -> bool:
    from PySide6.QtWidgets import QInputDialog
    names = [e.name for e in lib.experts(include_inactive=False)]
    name, ok = QInputDialog.getItem(None, "Who are you?", "Choose your name:", names, 0, False) \
        if names else QInputDialog.getText(None, "Who are you?", "Your name:")
    if not ok or not name:
        return False
    lib.act_as(name)
    return True


def run_app(library_dir: str | None = None, demo: bool = False, expert: str | None = None,
            quit_after_ms: int | None = None, clip: str | None = None) -> int:
    """Start the app, or hand over to the one already running (and clip *clip* there)."""
    from curator.ui.single import InstanceServer, send_to_running

    started = time.perf_counter()
    app = make_app()
    if send_to_running(handover_message(clip, demo, library_dir, expert)):
        print("Curator is already running: its window was brought to the front"
              + (" and asked to open the demo library (it says there if it cannot)."
                 if demo else " to clip the link." if clip else "."))
        return 0
    window = open_window(library_dir, demo, expert)
    if window is None:
        return 0
    server = InstanceServer(parent=window)
    server.message.connect(window.handle_request)
    server.listen()
    window.show()
    from curator.ui import browser_clips
    browser_clips.take_waiting(window)  # pages the browser sent while the window closed
    if clip:
        window.open_clip_dialog(clip)
    if quit_after_ms is not None:
        from PySide6.QtCore import QTimer
        QTimer.singleShot(quit_after_ms, window.close)
    window.startup_seconds = time.perf_counter() - started
    return app.exec()


def handover_message(clip: str | None = None, demo: bool = False,
                     library_dir: str | None = None, expert: str | None = None) -> dict:
    """What a second start asks the running window to do (see MainWindow.handle_request)."""
    message: dict = {"raise": True, "clip": clip}
    if demo:  # switch to the demo, or say in the window why not
        message.update(demo=True, expert=expert,
                       library=str(Path(library_dir).resolve()) if library_dir else None)
    return message


def smoke_test(library_dir: str | None = None, demo: bool = False, expert: str | None = None,
               timeout_s: float = 60.0) -> int:
    """Open the window on a library, wait for its table and background start-up work, quit.

    Prints one line ("Curator VERSION works: N resources shown from FOLDER") and returns 0,
    or explains what went wrong and returns 1. Used to check a packaged build.
    """
    from PySide6.QtCore import QTimer

    app = make_app()
    window = open_window(library_dir, demo, expert)
    if window is None:
        print("Curator smoke test: no library was opened.", file=sys.stderr)
        return 1
    window.show()
    deadline = time.monotonic() + timeout_s
    result = {"code": 1}

    def check() -> None:
        if window.model.rowCount() > 0 and window.ops.pending() == 0:
            print(f"{APP_NAME} {__version__} works: {window.model.rowCount()} resources shown "
                  f"from {window.lib.folder}", flush=True)
            result["code"] = 0
            window.close()
            app.quit()
        elif time.monotonic() > deadline:
            print("Curator smoke test: the window did not become ready in time.",
                  file=sys.stderr)
            window.close()
            app.quit()
        else:
            QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)
    app.exec()
    return result["code"]
