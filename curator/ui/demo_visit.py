"""The demo is a visit: it never becomes the library (or the expert) Curator reopens.

Quitting the demo and starting Curator again opens the person's own library as
themselves. Starting the demo while Curator is open asks the open window to switch to it
(through the single-instance socket, see :mod:`curator.ui.single`); when it cannot (a
dialog is open, typed changes could not be saved), the window says why.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from curator import APP_NAME
from curator.base.errors import CuratorError
from curator.demo import DEMO_EXPERTS, DEMO_SETTING

LIBRARY_KEY = "library/path"


def demo_folder() -> Path:
    """Where the demo library lives: beside the app's data, never the person's library."""
    data = platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)
    return Path(data) / "Demo library"


def _same_folder(a, b) -> bool:
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return False


def is_demo_folder(folder) -> bool:
    """The demo's own folder (a demo made elsewhere is known by its setting)."""
    return bool(folder) and _same_folder(folder, demo_folder())


def is_demo(lib) -> bool:
    try:
        marked = lib.setting(DEMO_SETTING) == "yes"
    except Exception:  # a library that cannot be read now (closing, damaged): its folder
        marked = False
    return marked or is_demo_folder(lib.folder)


def remember_library(settings: QSettings, lib) -> None:
    """Remember *lib* as the one to open next time, unless it is the demo."""
    if not is_demo(lib):
        settings.setValue(LIBRARY_KEY, str(lib.folder))


def remembered_folder(settings: QSettings) -> str | None:
    """The library to open at a plain start; never the demo (an older Curator remembered
    it: then the person's own library in the usual place, if there is one)."""
    folder = settings.value(LIBRARY_KEY)
    if not folder or not is_demo_folder(folder):
        return str(folder) if folder else None
    settings.remove(LIBRARY_KEY)
    from curator.storage import paths
    usual = paths.default_library_dir()
    return str(usual) if (usual / paths.DB_NAME).exists() else None


def mark_window(window) -> None:
    """Say in the title that this is a visit."""
    window.setWindowTitle("Demo library (a visit: Curator opens your own library next time)")


# -- switching the open window to the demo ---------------------------------------------------
def visit(window, message: dict) -> None:
    """Another start asked for the demo: switch this window to it, or say why not."""
    folder = Path(message.get("library") or demo_folder())
    expert = message.get("expert") if isinstance(message.get("expert"), str) else None
    if is_demo(window.lib) and _same_folder(window.lib.folder, folder):
        window.statusBar().showMessage("This is the demo library already.", 8000)
        return
    dialog = QApplication.activeModalWidget()
    if dialog is not None and dialog is not window:
        name = dialog.windowTitle() or "the open dialog"
        _tell(window, f"Curator was asked to open the demo library, but “{name}” is still "
              "open. Finish or close it, then start the demo again.")
        return
    details = window.details
    if details.is_dirty():
        # Save what was typed first, as leaving the field would; the demo opens once it
        # is safely stored (the writer takes work in order).
        save = getattr(details, "commit", None) or details._save
        save()
        title = details.title.text().strip() or "this resource"

        def saved(_result) -> None:
            if details.is_dirty():
                _tell(window, "Curator did not open the demo library: your changes to "
                      f"“{title}” could not be saved. Save or undo them, then start the "
                      "demo again.")
            else:
                _switch(window, folder, expert)
        window.ops.run(lambda ctx: None, on_success=saved, changes="none")
        return
    _switch(window, folder, expert)


def _switch(window, folder: Path, expert: str | None) -> None:
    from curator.firstrun import set_up_library
    old = window.lib

    def work(ctx):
        return set_up_library(folder, expert or DEMO_EXPERTS[0], [], demo=True)

    def done(lib) -> None:
        window._swap_library(lib)  # remembers nothing: see remember_library
        mark_window(window)
        # After the start-up work just queued (whose end clears the status bar).
        words = (f"You are visiting the demo library as {lib.acting.name}. Your own library "
                 "opens the next time you start Curator (or use File › Open library).")
        window.ops.run(lambda ctx: old.close(), changes="none",
                       on_success=lambda _r: window.statusBar().showMessage(words, 30000))

    def failed(error) -> bool:
        if isinstance(error, CuratorError):
            _tell(window, f"Curator could not open the demo library: {error.message}")
            return True
        return False
    window.ops.run(work, on_success=done, on_failure=failed, label="Opening the demo library",
                   show_progress=True, changes="all")


def _tell(window, text: str) -> None:
    """Say it in the window (not in a terminal nobody sees), without stopping anything."""
    box = QMessageBox(QMessageBox.Icon.Information, "Demo library", text,
                      QMessageBox.StandardButton.Ok, window)
    box.setAccessibleName("Demo library")
    box.open()
    window._demo_notice = box
    window.statusBar().showMessage(text, 20000)
