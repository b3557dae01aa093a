"""Waiting for the app's background work in Qt tests."""


def idle(qtbot, win, timeout=10000):
    qtbot.waitUntil(lambda: win.ops.pending() == 0, timeout=timeout)
