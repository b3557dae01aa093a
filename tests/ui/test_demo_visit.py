"""The demo is a visit: it never becomes the library or expert Curator reopens, and
starting it while Curator is open asks the open window to switch (or says there why not)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from curator.ui import app as app_module
from curator.ui import demo_visit
from curator.ui.app import handover_message
from curator.ui.single import InstanceServer, send_to_running
from tests.support.qt import idle


@pytest.fixture
def own_folder(tmp_path) -> Path:
    """Jo's own library, with one resource, closed again (as after quitting Curator)."""
    from curator.firstrun import set_up_library
    lib = set_up_library(tmp_path / "mine", "Jo Grant", ["DA"])
    lib.add_resource("https://guidance.example.org/coercive-control",
                     title="Coercive control: a briefing", themes_=["DA"], text="Briefing.")
    folder = lib.folder
    lib.close()
    return folder


@pytest.fixture
def demo_place(tmp_path, monkeypatch) -> Path:
    """Where the demo library lives (in the test's own folder, never the person's)."""
    place = tmp_path / "Demo library"
    monkeypatch.setattr(demo_visit, "demo_folder", lambda: place)
    monkeypatch.delenv("CURATOR_LIBRARY")  # a plain start: what the settings remember
    from curator.ui.welcome import WelcomeDialog

    def welcome(self):
        raise AssertionError("the welcome opened: Curator forgot the person's own library")
    monkeypatch.setattr(WelcomeDialog, "exec", welcome)
    return place


@pytest.fixture
def own_window(qtbot, own_folder, settings, demo_place):
    """Curator open on Jo's own library, listening for later starts on a real socket."""
    settings.setValue("library/path", str(own_folder))
    win = app_module.open_window(settings=settings)
    win.show()  # closed by the test or below, once (a second close has nothing to stop)
    qtbot.waitUntil(lambda: win.model.rowCount() == 1 and win.ops.pending() == 0,
                    timeout=10000)
    server = InstanceServer(parent=win)
    assert server.listen()
    server.message.connect(win.handle_request)
    yield win
    server.close()
    if win.isVisible():
        win.close()


def _plain_start_opens(qtbot, settings, folder: Path, expert: str) -> None:
    """Start Curator as a double-click would, and find the person's own library."""
    win = app_module.open_window(settings=settings)
    try:
        win.show()
        idle(qtbot, win)
        assert win.lib.folder == folder
        assert win.lib.acting.name == expert
        assert "demo" not in win.windowTitle().lower()
        # The folder's name; the platform adds " — Curator" itself (said once, not twice).
        assert win.windowTitle() == folder.name
    finally:
        win.close()


def _start_the_demo(qtbot, window, demo_place) -> None:
    with qtbot.waitSignal(window.findChild(InstanceServer).message, timeout=5000):
        assert send_to_running(handover_message(demo=True, library_dir=str(demo_place)))


def test_quitting_the_demo_reopens_your_own_library_as_you(qtbot, settings, own_folder,
                                                           demo_place):
    settings.setValue("library/path", str(own_folder))
    demo = app_module.open_window(demo=True, settings=settings)
    try:
        demo.show()
        qtbot.waitUntil(lambda: demo.model.rowCount() == 15 and demo.ops.pending() == 0,
                        timeout=15000)
        assert demo.lib.acting.name == "Sam Patel"
        assert "demo library (a visit" in demo.windowTitle().lower()
        demo.grab().save("/tmp/h22-demo-visit-title.png")
    finally:
        demo.close()
    assert settings.value("library/path") == str(own_folder)
    _plain_start_opens(qtbot, settings, own_folder, "Jo Grant")


def test_an_older_curator_that_remembered_the_demo_reopens_your_own(qtbot, settings,
                                                                    own_folder, demo_place,
                                                                    monkeypatch):
    from curator.storage import paths
    demo = app_module.open_window(demo=True, settings=settings)
    try:
        idle(qtbot, demo)
    finally:
        demo.close()
    settings.setValue("library/path", str(demo_place))  # what an older Curator wrote
    monkeypatch.setattr(paths, "default_library_dir", lambda: own_folder)
    _plain_start_opens(qtbot, settings, own_folder, "Jo Grant")
    assert settings.value("library/path") == str(own_folder)  # remembered aright now
    settings.setValue("library/path", str(demo_place))
    assert demo_visit.remembered_folder(settings) == str(own_folder)
    assert settings.value("library/path") is None  # the demo is forgotten


def test_starting_the_demo_while_curator_is_open_switches_the_window(qtbot, own_window,
                                                                     settings, own_folder,
                                                                     demo_place):
    window = own_window
    _start_the_demo(qtbot, window, demo_place)
    qtbot.waitUntil(lambda: window.lib.folder == demo_place.resolve(), timeout=15000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 15 and window.ops.pending() == 0,
                    timeout=15000)
    assert "demo library (a visit" in window.windowTitle().lower()
    assert "visiting the demo library" in window.statusBar().currentMessage()
    window.grab().save("/tmp/h22-demo-switched.png")
    window.close()
    assert settings.value("library/path") == str(own_folder)
    _plain_start_opens(qtbot, settings, own_folder, "Jo Grant")


def test_what_was_typed_is_saved_before_the_demo_opens(qtbot, own_window, own_folder,
                                                       demo_place):
    from curator.library import Library
    window = own_window
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.details.title.text() == "Coercive control: a briefing")
    window.details.notes.setPlainText("Read before the MARAC meeting")
    assert window.details.is_dirty()
    _start_the_demo(qtbot, window, demo_place)
    qtbot.waitUntil(lambda: window.lib.folder == demo_place.resolve(), timeout=15000)
    idle(qtbot, window)
    window.close()
    lib = Library.open(own_folder)
    try:
        assert lib.list()[0].notes == "Read before the MARAC meeting"
    finally:
        lib.close()


def test_an_open_dialog_is_said_in_the_window_and_nothing_switches(qtbot, own_window,
                                                                   own_folder, demo_place):
    window = own_window
    dialog = window.open_clip_dialog("")
    qtbot.waitUntil(dialog.isVisible)
    _start_the_demo(qtbot, window, demo_place)
    qtbot.waitUntil(lambda: getattr(window, "_demo_notice", None) is not None
                    and window._demo_notice.isVisible())
    words = window._demo_notice.text()
    assert "“Clip a link” is still open" in words and "start the demo again" in words
    window.grab().save("/tmp/h22-demo-refused.png")
    window._demo_notice.grab().save("/tmp/h22-demo-refused-notice.png")
    window._demo_notice.accept()
    dialog.reject()
    idle(qtbot, window)
    assert window.lib.folder == own_folder


def test_edits_that_cannot_be_saved_are_said_in_the_window(qtbot, own_window, own_folder,
                                                          demo_place, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()))
    window = own_window
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.details.title.text() == "Coercive control: a briefing")
    rid = window.current_id()
    window.details.title.setText("My clearer title")
    window.details.title.textEdited.emit("My clearer title")
    window.lib.edit(rid, {"title": "Someone else's title"})  # changed meanwhile elsewhere
    _start_the_demo(qtbot, window, demo_place)
    qtbot.waitUntil(lambda: getattr(window, "_demo_notice", None) is not None
                    and window._demo_notice.isVisible(), timeout=10000)
    words = window._demo_notice.text()
    assert words.startswith("Curator did not open the demo library: your changes to")
    assert "could not be saved" in words
    assert window.lib.folder == own_folder
    assert window.details.title.text() == "My clearer title"  # what was typed stays
    window._demo_notice.accept()
    window.details.revert_button.click()


def test_a_second_start_asks_for_the_demo_and_nothing_else():
    assert handover_message("https://example.org/x") == {"raise": True,
                                                         "clip": "https://example.org/x"}
    message = handover_message(demo=True, library_dir="Demo here", expert="Priya Shah")
    assert message["demo"] is True and message["expert"] == "Priya Shah"
    assert Path(message["library"]).is_absolute()
