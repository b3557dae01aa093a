"""With the window open, the native host hands the clip to it through the single-instance
socket; the window saves it on its writer and says which page arrived. And Help shows the
bookmarklet for computers where IT allows no extensions."""

from __future__ import annotations

import threading

from curator.browser.scheme import BOOKMARKLET
from tests.support.nativehost import run_host

ARTICLE = ("<html><head><title>Fathers in child protection</title></head><body><article>"
           "<h1>Fathers in child protection</h1><p>" + "Invite fathers to every meeting. " * 60
           + "</p></article></body></html>")


def test_a_clip_goes_to_the_running_window_and_shows_there(window, qtbot):
    from curator.ui import browser_clips
    from curator.ui.single import InstanceServer

    server = InstanceServer(parent=window)
    server.message.connect(window.handle_request)
    assert server.listen()
    got = {}

    def host():
        got["answers"], got["stderr"] = run_host(None, {
            "type": "clip", "url": "https://partner.example/fathers", "html": ARTICLE,
            "title": "Fathers in child protection", "themes": ["DA"], "access": "login",
            "id": 3})
    talker = threading.Thread(target=host)
    talker.start()
    qtbot.waitUntil(lambda: not talker.is_alive(), timeout=240_000)
    talker.join()
    answer = got["answers"][0]
    assert answer["ok"] and answer["to"] == "window" and answer["id"] == 3, got
    assert "Fathers in child protection" in answer["message"]
    qtbot.waitUntil(lambda: "From your browser" in window.statusBar().currentMessage(),
                    timeout=60_000)
    assert "Clipped “Fathers in child protection”." in window.statusBar().currentMessage()
    [res] = [r for r in window.lib.list(limit=100) if r.url == "https://partner.example/fathers"]
    assert res.themes == ["DA"]
    assert window.lib.browser_access(res.id)["access"] == "login"
    assert list(browser_clips.inbox().glob("clip-*.json")) == []  # nothing left behind
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=10_000)
    server.close()


def test_a_message_naming_a_file_outside_the_inbox_is_ignored(window, tmp_path):
    from curator.ui import browser_clips

    outside = tmp_path / "clip-0123456789abcdef0123456789abcdef.json"
    outside.write_text('{"url": "https://example.org/"}')
    assert browser_clips.take(window, "../" + outside.name) is False
    assert browser_clips.take(window, str(outside)) is False
    assert window.ops.pending() == 0


def test_help_shows_the_bookmarklet_and_copies_it(qtbot):
    from PySide6.QtGui import QGuiApplication

    from curator.ui.guide import GuideDialog

    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.text.toPlainText()
    assert "Clip from your browser" in text and "curator:clip?url=" in text
    dialog.copy_bookmarklet.click()
    assert QGuiApplication.clipboard().text() == BOOKMARKLET
    assert dialog.copy_bookmarklet.text().startswith("Copied")


def test_the_next_start_says_which_pages_arrived_while_curator_was_closed(window, qtbot):
    from curator.ui import browser_clips

    answers, _ = run_host(window.lib.folder, {
        "type": "clip", "url": "https://partner.example/closed", "html": ARTICLE,
        "title": "Fathers, clipped while closed", "access": "open"}, expert="Sam Patel")
    assert answers[0]["ok"] and "to" not in answers[0], answers  # saved through the core
    browser_clips.take_waiting(window)
    assert window.statusBar().currentMessage() == (
        "Clipped from your browser while Curator was closed: “Fathers, clipped while "
        "closed”.")
    assert list(browser_clips.inbox().glob("arrived-*.json")) == []
