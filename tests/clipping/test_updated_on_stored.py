"""A page's "last updated" date is stored, searchable as updated:, and used in review."""

from __future__ import annotations

import datetime as dt

from curator.base import clock
from tests.support.servers import serve


def _guidance(updated: str) -> bytes:
    return (
        "<!doctype html><html lang='en-GB'><head><title>Neglect: what to do - GOV.UK</title>"
        "<meta property='og:title' content='Neglect: what to do'></head><body><main>"
        "<h1>Neglect: what to do</h1><dl class='gem-c-metadata'><dt>Published</dt>"
        f"<dd>5 March 2019</dd><dt>Last updated</dt><dd>{updated}</dd></dl>"
        f"<p>{'Practitioners should act on early signs of neglect. ' * 30}</p>"
        "</main></body></html>").encode()


def _updated_on(library, rid: str) -> str | None:
    return library.store.db.execute("SELECT updated_on FROM resources WHERE id = ?",
                                    (rid,)).fetchone()[0]


def test_the_last_updated_date_is_stored_and_searchable(library, httpserver):
    url = serve(httpserver, "/guidance/neglect", _guidance("12 January 2025"))
    result = library.clip(url)
    r = result.resource
    assert r.published == "2019-03-05"
    assert _updated_on(library, r.id) == "2025-01-12"
    assert [h.id for h in library.search("updated:>2024").hits] == [r.id]
    assert library.search("updated:<2024").hits == []
    assert [h.id for h in library.search("neglect updated:2025-01").hits] == [r.id]


def test_an_update_after_the_last_confirmation_asks_for_review(library, httpserver,
                                                                monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 2, 1))
    httpserver.expect_ordered_request("/guidance/neglect").respond_with_data(
        _guidance("12 January 2025"), content_type="text/html")
    httpserver.expect_ordered_request("/guidance/neglect").respond_with_data(
        _guidance("20 June 2025"), content_type="text/html")
    r = library.clip(httpserver.url_for("/guidance/neglect")).resource
    library.confirm(r.id, "Checked the whole page")  # last confirmed 1 Feb 2025
    assert library.review_queue() == []

    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 7, 1))
    assert library.refetch(r.id).ok
    assert _updated_on(library, r.id) == "2025-06-20"
    [item] = library.review_queue()
    [reason] = [x for x in item.reasons if x.code == "page_updated"]
    assert reason.text.startswith("Changed since you last confirmed it")
    assert "2025-06-20" in reason.text and "2025-02-01" in reason.text

    library.confirm(r.id, "Read the changes; still right")
    assert library.review_queue() == []


def test_the_why_column_says_it_in_a_few_words():
    from curator.review.flags import short_reason
    from curator.review.queue import Reason

    assert short_reason(Reason("page_updated", "..."), {}) == \
        "Changed since you last confirmed it"


def test_a_link_check_notices_the_page_was_updated(library, httpserver, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 2, 1))
    httpserver.expect_ordered_request("/guidance/neglect").respond_with_data(
        _guidance("12 January 2025"), content_type="text/html")
    httpserver.expect_request("/guidance/neglect").respond_with_data(
        _guidance("3 March 2025"), content_type="text/html")
    r = library.clip(httpserver.url_for("/guidance/neglect")).resource
    library.confirm(r.id, "Checked")
    library.check_links(spacing=0)
    assert _updated_on(library, r.id) == "2025-03-03"
    codes = [x.code for i in library.review_queue() for x in i.reasons]
    assert "page_updated" in codes
