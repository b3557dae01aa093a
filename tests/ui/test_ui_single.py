"""A second start of Curator hands over to the running one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from curator.cli.parser import link_as_app
from curator.ui.single import InstanceServer, instance_key, send_to_running

ROOT = Path(__file__).resolve().parents[2]


def test_a_link_on_the_command_line_means_clip_it_in_the_app():
    assert link_as_app(["https://example.org/a"]) == ["app", "--clip", "https://example.org/a"]
    assert link_as_app(["--library", "L", "http://x.example/b"]) == [
        "--library", "L", "app", "--clip", "http://x.example/b"]
    assert link_as_app(["search", "https://example.org"]) == ["search", "https://example.org"]
    assert link_as_app(["--as", "Sam", "clip", "https://e.org"])[2] == "clip"


def test_no_running_app_means_start_normally(qapp):
    assert send_to_running({"raise": True}) is False


def test_the_running_window_comes_forward_and_clips_the_link(window, qtbot):
    server = InstanceServer(parent=window)
    assert server.listen()
    server.message.connect(window.handle_request)
    with qtbot.waitSignal(server.message, timeout=3000) as got:
        assert send_to_running({"raise": True, "clip": "https://example.org/guide"})
    assert got.args[0]["clip"] == "https://example.org/guide"
    assert window.clip_dialog.isVisible()
    assert window.clip_dialog.url.text() == "https://example.org/guide"
    window.clip_dialog.reject()
    server.close()


def test_a_second_process_hands_over_and_exits(qtbot, qapp):
    server = InstanceServer()
    assert server.listen()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    with qtbot.waitSignal(server.message, timeout=15000) as got:
        proc = subprocess.Popen([sys.executable, "-m", "curator", "https://example.org/x"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "already running" in out
    assert got.args[0] == {"raise": True, "clip": "https://example.org/x"}
    server.close()


CRASHING_APP = """
from PySide6.QtCore import QCoreApplication
from curator.ui.single import InstanceServer
app = QCoreApplication([])
server = InstanceServer()
print("listening" if server.listen() else "refused", flush=True)
app.exec()
"""


def test_a_socket_left_by_a_crashed_app_is_taken_over(qtbot, qapp):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", CRASHING_APP], env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "listening"
        assert send_to_running({"ping": True})  # the other app really is running ...
        assert not InstanceServer().listen()   # ... so a second start does not take over
    finally:
        proc.kill()  # it crashes: no chance to close its server
        proc.wait(10)
        proc.stdout.close()
    if sys.platform != "win32":  # Qt keeps the socket file in the temporary folder
        left = Path(os.environ.get("TMPDIR") or "/tmp") / instance_key()
        assert left.exists(), "the crashed app left its socket file behind"
    assert send_to_running({"ping": True}) is False  # nobody answers on it
    second = InstanceServer()
    assert second.listen()
    assert second.key == instance_key()
    try:
        with qtbot.waitSignal(second.message, timeout=3000) as got:
            assert send_to_running({"raise": True})
        assert got.args[0] == {"raise": True}
    finally:
        second.close()


@pytest.mark.skipif(sys.platform == "win32", reason="socket files are a Unix matter")
def test_a_stale_socket_file_does_not_block_the_start(qapp, tmp_path):
    import socket as pysocket
    server = InstanceServer()
    path = Path("/tmp") / server.key
    dead = pysocket.socket(pysocket.AF_UNIX)
    dead.bind(str(path))  # a socket file nobody listens on
    dead.close()
    try:
        assert server.listen()
    finally:
        server.close()
        path.unlink(missing_ok=True)
