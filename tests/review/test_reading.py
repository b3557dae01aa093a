"""Issue 17: reading the saved page, with search words marked, and the text as it was at
the last approval next to today's (real library, real SQLite)."""

from __future__ import annotations

from curator.search.highlight import marks, query_words

PAGE = ("Assessing risk at a MARAC\n"
        "A multi-agency risk assessment conference (MARAC) shares information on high-risk "
        "domestic abuse cases.\n"
        "Practitioners complete the assessment before the meeting.")


def _approved(lib, text=PAGE, **kw):
    lib.set_theme_role("DA", "Alex Lead", "lead")
    r = lib.add_resource("https://example.org/marac", title="MARAC guide", themes_=["DA"],
                         text=text, index=False, **kw)
    lib.submit(r.id)
    lib.approve(r.id)
    return r


def _set_text(lib, rid, text):
    """The stored text changes, as accepting a page change does."""
    with lib.store.write() as db:
        db.execute("UPDATE resource_text SET text = ? WHERE resource_id = ?", (text, rid))


def test_search_words_are_marked_as_search_matches_them():
    assert query_words('assessment "risk conference" marac* theme:DA -abuse OR') == (
        ["assess", "risk", "confer"], ["marac"])
    found = [PAGE[a:b] for a, b in marks(PAGE, "assessment marac")]
    assert found == ["Assessing", "MARAC", "assessment", "MARAC", "assessment"]
    assert marks(PAGE, "theme:DA -abuse") == [] and marks("", "x") == []


def test_the_reader_shows_the_saved_text_marked(library):
    r = _approved(library)
    reading = library.read_page(r.id, "assessment")
    assert reading.text == PAGE and reading.kind == "page"
    assert [reading.text[a:b] for a, b in reading.marks] == ["Assessing", "assessment",
                                                             "assessment"]
    assert "3 matches of your search marked" in reading.about
    assert not reading.differs
    assert reading.approval_words.startswith("The text is the same as when it was approved")
    assert "by Alex Lead" in reading.approval_words


def test_the_text_at_approval_is_kept_and_shown_where_it_differs(library):
    r = _approved(library)
    _set_text(library, r.id, PAGE.replace("before the meeting", "within five days"))
    reading = library.read_page(r.id)
    assert reading.approved.text == PAGE and reading.differs
    (hunk,) = reading.hunks
    (changed,) = [c for c in hunk.changes if c.kind != "same"]
    assert ("removed", "before the meeting.") in changed.words
    assert ("added", "within five days.") in changed.words
    assert reading.approval_words.endswith(": 1 passage differs.")
    assert reading.approved_label.startswith("As approved on ")
    # Approving again keeps today's text as the approved one.
    library.edit(r.id, {"notes": "Checked again."})
    library.approve(r.id)
    assert not library.read_page(r.id).differs


def test_never_approved_and_empty_pages_say_so_plainly(library):
    r = library.add_resource("https://example.org/draft", title="Draft", index=False)
    reading = library.read_page(r.id, "anything")
    assert reading.approved is None and not reading.differs
    assert "has not been approved" in reading.approval_words
    assert "is empty" in reading.about


def test_a_pdf_is_read_as_its_text(library):
    r = _approved(library)
    with library.store.write() as db:
        db.execute("UPDATE resources SET content_type = 'application/pdf' WHERE id = ?",
                   (r.id,))
    reading = library.read_page(r.id)
    assert reading.kind == "pdf" and reading.about.startswith("The PDF's text")
