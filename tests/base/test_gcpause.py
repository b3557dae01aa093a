"""The cycle collector is held off for a batch, nests across threads, and always comes
back: after a batch, after a hold released once or twice, and once the app's first
screen has settled (issue 21)."""

from __future__ import annotations

import gc

from curator.base import gcpause


def test_a_hold_ends_once_and_nests_with_batches():
    assert gc.isenabled()
    release = gcpause.hold()
    assert not gc.isenabled()
    with gcpause.paused():
        release()
        release()  # a second call does nothing: the batch still holds it off
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_once_the_first_screen_has_settled(qtbot, tmp_path,
                                                                 monkeypatch):
    from PySide6.QtCore import QSettings

    from curator.library import Library
    from curator.ui import app as app_module
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.add_resource("https://example.org/a", title="A", index=False)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = app_module.open_window(str(folder), expert="Alex", settings=settings)
    qtbot.addWidget(win)
    assert not gc.isenabled()  # while the first screen fills
    with qtbot.waitSignal(win.first_screen_settled, timeout=10000):
        win.show()
    qtbot.waitUntil(gc.isenabled, timeout=5000)
    assert win.model.rowCount() == 1
    win.close()
