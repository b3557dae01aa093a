"""Shared test fixtures: real temporary libraries and real local web servers."""

from __future__ import annotations

import faulthandler
import ipaddress
import os
import re
import socket
import tempfile
from pathlib import Path

import pytest

from tests.support import FIXTURES

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _on_this_machine(name: str) -> bool:
    if name in ("", "localhost") or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.strip("[]"))  # an address, not a name to look up
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def _no_name_lookup_leaves_the_machine(monkeypatch):
    """Tests never reach the internet, not even the resolver: a site name that is not
    this machine's is "not found", as on an offline laptop."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if name is None or _on_this_machine(name):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)



#: A test still running after this long is stuck (the slowest need about two minutes on
#: a busy two-core machine): its worker stops, writing where every thread was waiting.
HANG_SECONDS = 900


@pytest.fixture(autouse=True)
def _stuck_tests_stop(request):
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
    report = Path(tempfile.gettempdir()) / f"curator-stuck-test-{name}.txt"
    with open(report, "w") as fh:
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=fh)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()
    report.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _no_message_box_waits_for_a_person(monkeypatch):
    """Offscreen, nobody can answer a message box: one that opens fails the test at once
    (saying what it asked) instead of leaving the run waiting for ever. Tests that expect
    one replace it with their answer."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(kind):
        def box(*args, **kwargs):
            words = [a for a in args if isinstance(a, str)]
            raise AssertionError(f"A {kind} message box would wait for a person: {words}")
        return box
    for kind in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(refuse(kind)))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: refuse("modal")(
        self.windowTitle(), self.text()))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory):
    """No test may touch the person's real library or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CURATOR_LIBRARY", str(home / "default-library"))
    monkeypatch.setenv("CURATOR_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("CURATOR_EXPERT", raising=False)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def library(tmp_path):
    from curator.library import Library

    lib = Library.open(tmp_path / "lib")
    lib.act_as("Alex Lead")
    yield lib
    lib.close()


@pytest.fixture
def page_bytes():
    def load(name: str) -> bytes:
        return (FIXTURES / "pages" / name).read_bytes()
    return load


@pytest.fixture
def raw_server():
    from tests.support.servers import RawServer

    server = RawServer()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path):
    """App settings in a temporary file, never the person's own."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, tmp_path, settings):
    """The main window on a fresh demo library, its first loads finished."""
    from curator.firstrun import set_up_library
    from curator.ui.main_window import MainWindow

    lib = set_up_library(tmp_path / "demo", "Sam Patel", [], demo=True)
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() == 15 and win.ops.pending() == 0, timeout=10000)
    yield win
    if win.isVisible():
        win.close()
