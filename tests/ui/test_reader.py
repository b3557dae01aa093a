"""Issue 17: Read the page, in the real main window on a demo library (offscreen)."""

from __future__ import annotations

from curator.ui import reader
from tests.support.qt import idle


def _window_with_reader(window):
    if not hasattr(window.details, "read_button"):  # main_window attaches it
        reader.attach(window)
    return window


def test_read_the_page_marks_search_words_and_shows_changes_since_approval(window, qtbot):
    window = _window_with_reader(window)
    lib = window.lib
    lib.act_as("Sam Patel")
    res = next(r for r in lib.list() if r.status == "approved" and lib.text(r.id))
    text = lib.text(res.id)
    word = next(w for w in text.split() if len(w) > 6 and w.isalpha())
    # As if approved with this text, and the page then changed (an accepted change).
    with lib.store.write() as db:
        db.execute("INSERT OR REPLACE INTO approved_texts VALUES (?, ?, ?, ?)",
                   (res.id, text, "2026-11-02T10:00:00Z", "Sam Patel"))
        db.execute("UPDATE resource_text SET text = ? WHERE resource_id = ?",
                   (text + "\nA new paragraph about safety planning for families.", res.id))
    window.open_resource(res.id)
    idle(qtbot, window)
    window.search.box.setText(word)
    button = window.details.read_button
    assert button.accessibleName() == "Read the saved page text"
    button.click()
    qtbot.waitUntil(lambda: getattr(window, "reader_dialog", None) is not None, timeout=10000)
    dialog = window.reader_dialog
    qtbot.addWidget(dialog)
    assert dialog.title.text() == res.title
    assert dialog.words.text() == word
    assert reader.MARK in dialog.text.toHtml() or "font-weight:600" in dialog.text.toHtml()
    assert "of your search marked" in dialog.about.text()
    assert dialog.tabs.tabText(1) == "&Since approval (changed)"
    assert "approved on 2 November 2026 by Sam Patel: 1 passage differs" in \
        dialog.approval.text()
    html = dialog.compare.toHtml()
    assert "safety planning" in html and "As approved on 2 November 2026" in html
    dialog.resize(900, 640)
    dialog.grab().save("/tmp/h17b-reader-text.png")
    dialog.tabs.setCurrentIndex(1)
    dialog.grab().save("/tmp/h17b-reader-since.png")
    # Other words, marked again off the GUI thread.
    dialog.words.setText("families")
    dialog.mark_button.click()
    qtbot.waitUntil(lambda: dialog.reading.query == "families", timeout=10000)
    assert dialog.reading.marks
    dialog.close()
    idle(qtbot, window)


def test_marked_html_escapes_the_page_text():
    out = reader.marked_html("<b>risk</b> & more\nsecond", [(3, 7)])
    assert out == (f"<p>&lt;b&gt;{reader.MARK}risk</span>&lt;/b&gt; &amp; more</p>"
                   "<p>second</p>")
