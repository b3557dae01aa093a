"""The details pane says when the page was last updated and how sure the type guess is."""

from __future__ import annotations

from pathlib import Path

from tests.support.servers import serve

SET = Path(__file__).resolve().parent.parent / "fixtures" / "types"

_PAGE = (b"<!doctype html><html lang='en-GB'><head><title>Neglect practice guidance</title>"
         b"</head><body><main><h1>Neglect practice guidance</h1><dl><dt>Published</dt>"
         b"<dd>5 March 2019</dd><dt>Last updated</dt><dd>12 January 2025</dd></dl><p>"
         + b"Practitioners should act on early signs of neglect and must record them. " * 20
         + b"</p></main></body></html>")


def test_the_pane_shows_the_last_updated_date_and_the_guess(qtbot, library, httpserver):
    from curator.ui.details import DetailsPane

    r = library.clip(serve(httpserver, "/guidance/neglect", _PAGE)).resource
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_resource(library.get(r.id), [])
    text = pane.facts.text()
    assert "The page says it was last updated on 12 January 2025" in text
    assert "Type guessed from the page (fairly sure)" in text
    pane.resize(420, 900)
    pane.grab().save("/tmp/ex18-details.png")

    library.edit(r.id, {"type": "toolkit"})
    pane.show_resource(library.get(r.id), [])
    assert "Type guessed" not in pane.facts.text()  # a person chose it


def test_nothing_is_said_when_the_page_said_nothing(qtbot, library):
    from curator.ui.details import DetailsPane

    r = library.add_resource("https://example.org/a", title="A page")
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_resource(library.get(r.id if hasattr(r, "id") else r), [])
    assert "last updated" not in pane.facts.text() and "guessed" not in pane.facts.text()
