"""Clipping end to end: a real local web server, the real extractor, a real library file."""

import pytest
from werkzeug import Response as WResponse

from curator.base.errors import InvalidURL
from tests.support.pdfs import make_pdf
from tests.support.servers import serve


def test_clip_stores_a_well_described_draft(library, httpserver, page_bytes):
    url = serve(httpserver, "/guidance/coercive-control", page_bytes("guidance.html"))
    result = library.clip(url, themes_=["DA"], tags=["coercive control"],
                          note="Share with new starters", audience=["practitioners"])
    r = result.resource
    assert not result.duplicate and result.fetched
    assert r.title == "Recognising coercive control: guidance for practitioners"
    assert r.site == "Example Safeguarding Partnership"
    assert r.author == "Jordan Reeve"
    assert r.published == "2024-03-14"
    assert r.summary.startswith("How practitioners can recognise coercive")
    assert r.canonical_url == "https://safeguarding.example.org/guidance/coercive-control"
    assert (r.status, r.clipped_by, r.fetch_state) == ("draft", "Alex Lead", "ok")
    assert r.themes == ["DA"] and r.tags == ["coercive control"]
    assert r.notes == "Share with new starters"
    assert r.review_due is not None
    text = library.text(r.id)
    assert "Children who live with it are victims of domestic abuse" in text
    assert "Cookie settings" not in text
    assert library.history(r.id)[0]["action"] == "resource.clip"


def test_clipping_a_known_page_returns_the_existing_resource(library, httpserver, page_bytes):
    url = serve(httpserver, "/guidance/coercive-control", page_bytes("guidance.html"))
    first = library.clip(url).resource
    fetched = len(httpserver.log)
    again = library.clip(url + "?utm_source=newsletter#what-to-do-next")
    assert again.duplicate and again.resource.id == first.id
    assert len(library.list()) == 1
    # Known before anything is fetched: the page is not downloaded again (so it also
    # works offline, and quickly).
    assert len(httpserver.log) == fetched
    httpserver.clear()
    offline = library.clip(url)
    assert offline.duplicate and offline.resource.id == first.id


def test_canonical_address_catches_duplicates(library, httpserver, page_bytes):
    first = library.add_resource("https://safeguarding.example.org/guidance/coercive-control",
                                 title="Already here", index=False)
    url = serve(httpserver, "/print-version", page_bytes("guidance.html"))
    result = library.clip(url)
    assert result.duplicate and result.resource.id == first.id


def test_journal_citation_tags_and_pdf(library, httpserver, page_bytes):
    r = library.clip(serve(httpserver, "/article/42", page_bytes("journal.html"))).resource
    assert r.title == "Neglect and the early years: a cohort study"
    assert r.published == "2021-06-30"
    assert "Okafor" in r.author and "Lindqvist" in r.author
    pdf = make_pdf("Working with perplexing presentations", "Dr A. Example",
                   "D:20230105120000Z",
                   ["Fabricated or induced illness is rare but harmful.",
                    "Share concerns early with the paediatrician."])
    r = library.clip(serve(httpserver, "/files/fii.pdf", pdf, "application/pdf")).resource
    assert r.title == "Working with perplexing presentations"
    assert r.author == "Dr A. Example"
    assert r.published == "2023-01-05"
    assert r.content_type == "application/pdf"
    assert "Share concerns early" in library.text(r.id)


def test_image_is_kept_with_its_type_and_size_not_parsed(library, httpserver):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 2000
    r = library.clip(serve(httpserver, "/poster.png", png, "image/png")).resource
    assert r.content_type == "image/png" and r.content_size == len(png)
    assert library.text(r.id) == ""


def test_windows_1252_page_without_http_charset_is_decoded(library, httpserver, page_bytes):
    url = serve(httpserver, "/cafe", page_bytes("cp1252.html"), content_type="text/html")
    r = library.clip(url).resource
    assert "Café culture" in r.title
    assert "practitioners’ guidance" in library.text(r.id)


def test_offline_clip_keeps_the_link_and_refetch_fills_it_in(library, httpserver, page_bytes):
    url = httpserver.url_for("/later")
    httpserver.expect_ordered_request("/later").respond_with_response(WResponse(status=503))
    result = library.clip(url, themes_=["DA"], note="Read this")
    r = result.resource
    assert result.fetch_error and "error 503" in result.fetch_error
    assert (r.fetch_state, r.title, r.notes) == ("failed", "", "Read this")
    httpserver.expect_ordered_request("/later").respond_with_data(
        page_bytes("guidance.html"), content_type="text/html")
    outcome = library.refetch(r.id)
    assert outcome.ok
    r = library.get(r.id)
    assert r.fetch_state == "ok"
    assert r.title.startswith("Recognising coercive control")
    assert r.notes == "Read this"


def test_failed_refetch_never_erases_good_text(library, httpserver, page_bytes):
    url = httpserver.url_for("/page")
    httpserver.expect_ordered_request("/page").respond_with_data(
        page_bytes("guidance.html"), content_type="text/html")
    r = library.clip(url).resource
    before = library.text(r.id)
    httpserver.expect_ordered_request("/page").respond_with_response(WResponse(status=500))
    outcome = library.refetch(r.id)
    assert not outcome.ok
    after = library.get(r.id)
    assert library.text(r.id) == before
    assert after.fetch_state == "ok"
    assert "error 500" in after.fetch_error


def test_refetch_does_not_overwrite_what_the_expert_wrote(library, httpserver, page_bytes):
    url = serve(httpserver, "/page", page_bytes("guidance.html"))
    r = library.clip(url).resource
    library.edit(r.id, {"title": "Coercive control (our short title)"})
    library.refetch(r.id)
    assert library.get(r.id).title == "Coercive control (our short title)"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,hi",
                                 "file:///etc/passwd", "\\\\server\\share"])
def test_unsafe_addresses_are_never_stored(library, bad):
    with pytest.raises(InvalidURL):
        library.clip(bad)
    assert library.list() == []


def test_hostile_title_is_stored_as_plain_text(library, httpserver):
    page = (b"<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt; Guidance</title></head>"
            b"<body><p>Text of the page that is long enough to be the main content.</p>"
            b"</body></html>")
    r = library.clip(serve(httpserver, "/x", page)).resource
    assert r.title == "<script>alert(1)</script> Guidance"


def test_octet_stream_is_not_parsed_as_html(library, httpserver):
    blob = b"PK\x03\x04" + b"<title>not a page</title>" + b"\x00\xff" * 500
    r = library.clip(serve(httpserver, "/download", blob, "application/octet-stream")).resource
    assert r.title == "" and r.content_type == "application/octet-stream"
    assert r.content_size == len(blob)
