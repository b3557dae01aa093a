"""What Curator noticed about a clipped page reaches the expert in the window."""

from __future__ import annotations

from tests.support.qt import idle


def test_a_cut_title_is_said_in_the_status_bar_after_clipping(window, qtbot, httpserver):
    title = "Practice guidance " * 80  # about 1,400 characters
    page = f"<html><head><title>{title}</title></head><body><p>Text.</p></body></html>"
    httpserver.expect_request("/long").respond_with_data(page, content_type="text/html")
    url = httpserver.url_for("/long")
    dialog = window.open_clip_dialog(url)
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Fetched:"), timeout=10000)
    dialog.clip_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    idle(qtbot, window)
    message = window.statusBar().currentMessage()
    assert message.startswith("Clipped.")
    assert "title" in message and "cut to 1,000" in message
    assert len(window.lib.find_existing(url).title) <= 1000
