"""Empty states: an empty list says what belongs there and the one thing to do about it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from curator.base import clock
from curator.catalogue.vocab import VIEW_LABELS
from curator.ui.empty_state import day_words
from tests.support.qt import idle

EMPTY_LIBRARY = ("Nothing here yet. Press Ctrl+L to clip your first link, or File › Import "
                 "links to bring in bookmarks.")


@pytest.fixture
def empty_window(qtbot, tmp_path, settings):
    """The main window on a new library of one's own, with nothing in it yet."""
    from curator.firstrun import set_up_library
    from curator.ui.main_window import MainWindow

    lib = set_up_library(tmp_path / "mine", "Alex Lead", ["DA"])
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    win.show()
    idle(qtbot, win)
    yield win
    if win.isVisible():
        win.close()


def _overlay(window):
    return window._empty_state


def _shows(qtbot, window, start: str) -> str:
    qtbot.waitUntil(lambda: getattr(window, "_empty_state", None) is not None
                    and _overlay(window).isVisible()
                    and _overlay(window).text().startswith(start))
    return _overlay(window).text()


def _luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_an_empty_library_says_how_to_clip_the_first_link(empty_window, qtbot):
    window = empty_window
    assert _shows(qtbot, window, "Nothing here yet.") == EMPTY_LIBRARY
    overlay = _overlay(window)
    assert overlay.button.isVisible() and overlay.button.text() == "Clip a link…"
    # Readable: the words are in the palette's text colour on the table's background.
    text = overlay.message.palette().color(QPalette.ColorRole.WindowText)
    ground = window.table.viewport().palette().color(QPalette.ColorRole.Base)
    assert _contrast(text, ground) >= 4.5
    window.grab().save("/tmp/h22-empty-library.png")
    overlay.button.click()
    assert window.clip_dialog is not None and window.clip_dialog.isVisible()
    window.clip_dialog.reject()


@pytest.mark.parametrize("key", [k for k, _ in VIEW_LABELS if k not in ("all", "broken")])
def test_every_empty_view_says_what_belongs_there(empty_window, qtbot, key):
    window = empty_window
    _shows(qtbot, window, "Nothing here yet.")
    window.sidebar.select("view", key)
    qtbot.waitUntil(lambda: window._scope == ("view", key) and _overlay(window).isVisible()
                    and not _overlay(window).text().startswith("Nothing here yet."))
    words = _overlay(window).text()
    assert words.endswith(".") and len(words.split()) >= 4, words
    if key == "trash":
        assert words.startswith("The trash is empty.")
    if key == "due":
        assert words.startswith("Nothing is due for review.")
    if key == "drafts":
        assert words.startswith("You have no drafts.")
    if key == "awaiting":
        assert words.startswith("Nothing is awaiting approval.")


def test_an_empty_theme_says_how_to_fill_it(empty_window, qtbot):
    window = empty_window
    window.sidebar.select("theme", "DA")
    assert _shows(qtbot, window, "Nothing in Domestic abuse yet.").endswith(
        "tick Domestic abuse under Themes.")


def test_broken_links_says_when_links_were_last_checked(empty_window, qtbot, httpserver):
    window = empty_window
    window.sidebar.select("view", "broken")
    assert _shows(qtbot, window, "Links have not been checked yet") .startswith(
        "Links have not been checked yet: Tools › Check links.")
    assert _overlay(window).button.text() == "Check links now"
    window.grab().save("/tmp/h22-empty-broken-never.png")

    httpserver.expect_request("/fine").respond_with_data(
        "<html><head><title>Fine</title></head><body><p>Still here.</p></body></html>",
        content_type="text/html")
    window.lib.add_resource(httpserver.url_for("/fine"), title="A page that works",
                            text="Still here.")
    _overlay(window).button.click()  # Check links now
    idle(qtbot, window, timeout=30000)
    window.sidebar.select("view", "all")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert not _overlay(window).isVisible()
    window.sidebar.select("view", "broken")
    words = _shows(qtbot, window, "Nothing broken")
    assert words.startswith(f"Nothing broken: the last check on {day_words(clock.now_iso())} "
                            "found no broken links.")
    window.grab().save("/tmp/h22-empty-broken-checked.png")


def test_a_search_with_no_results_says_so_and_clears(window, qtbot):
    assert not getattr(window, "_empty_state", None) or not _overlay(window).isVisible()
    window.search.set_text("zebra crossing")
    assert _shows(qtbot, window, "No resources match").startswith(
        "No resources match “zebra crossing”.")
    window.grab().save("/tmp/h22-empty-search.png")
    _overlay(window).button.click()  # Clear the search
    qtbot.waitUntil(lambda: window.model.rowCount() == 15)
    idle(qtbot, window)
    assert not _overlay(window).isVisible()


def test_the_trash_of_a_full_library_is_empty_and_says_so(window, qtbot):
    window.sidebar.select("view", "trash")
    assert _shows(qtbot, window, "The trash is empty.")
    window.grab().save("/tmp/h22-empty-trash.png")
    window.sidebar.select("view", "all")
    qtbot.waitUntil(lambda: window.model.rowCount() == 15)
    assert not _overlay(window).isVisible()
