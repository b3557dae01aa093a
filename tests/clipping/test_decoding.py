"""Pages in other encodings are read by evidence, served for real (pytest-httpserver) and
clipped through the Library, so what is checked is what the expert will see stored."""

from __future__ import annotations

import pytest

from curator.clipping.extract import extract
from curator.clipping.extract.decode import choose_encoding

DESSERT = ("<html><head><title>Crème brûlée and the café: a naïve résumé</title></head>"
           "<body><main><h1>Crème brûlée and the café: a naïve résumé</h1>"
           + "<p>The foster carer’s crème brûlée won the café’s prize; "
             "the children’s résumé said so.</p>" * 12
           + "</main></body></html>")
TITLE = "Crème brûlée and the café: a naïve résumé"


def serve(httpserver, path: str, body: bytes, content_type: str) -> str:
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)
    return httpserver.url_for(path)


def test_windows_1252_with_no_charset_anywhere_is_not_mojibake(library, httpserver):
    url = serve(httpserver, "/dessert", DESSERT.encode("cp1252"), "text/html")
    result = library.clip(url, note="Lovely example of life-story work.")
    stored = library.get(result.resource.id)
    assert stored.title == TITLE
    assert "Crčme" not in stored.title and "brűlée" not in stored.title
    text = library.store.query("SELECT text FROM resource_text WHERE resource_id = ?",
                               (stored.id,))[0]["text"]
    assert "foster carer’s crème brûlée won the café’s prize" in text
    assert stored.notes == "Lovely example of life-story work."


@pytest.mark.parametrize("sample", [
    "<p>Crème brûlée</p>",
    "<p>Children’s services – “early help” for £5…</p>",
    "<title>Déjà vu in the naïve café</title>",
])
def test_short_western_pages_without_a_declaration_read_as_windows_1252(sample):
    assert choose_encoding(sample.encode("cp1252"), "text/html") == "cp1252"


def test_a_page_really_in_central_european_windows_1250_is_still_recognised():
    polish = ("<p>Dziecko łączy się z rodziną zastępczą, a pracownik socjalny ocenia "
              "sytuację. Żółć, źdźbło, gęś — ważne są więzi rodzinne i bezpieczeństwo "
              "dziecka w każdym środowisku.</p>") * 4
    assert choose_encoding(polish.encode("cp1250"), "text/html") in ("cp1250", "iso8859_2")


@pytest.mark.parametrize("codec,label", [
    ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"),
    ("utf-16-le", "UTF-16LE"), ("utf-16-be", "utf-16be"),
])
def test_utf16_named_only_in_the_http_header_is_read(library, httpserver, codec, label):
    body = DESSERT.encode(codec)  # no byte-order mark, no <meta charset>
    url = serve(httpserver, f"/wide-{codec}-{label}", body, f"text/html; charset={label}")
    result = library.clip(url)
    assert result.fetched
    assert result.warnings == []
    stored = library.get(result.resource.id)
    assert stored.title == TITLE
    assert stored.fetch_state == "ok" and stored.fetch_error is None


def test_utf32_named_only_in_the_http_header_is_read():
    ex = extract(DESSERT.encode("utf-32-le"), "https://ex.org/", "text/html; charset=utf-32")
    assert ex.kind == "html" and ex.title == TITLE


def test_a_header_claiming_utf16_for_a_plain_page_is_not_believed(library, httpserver):
    url = serve(httpserver, "/liar", DESSERT.encode("utf-8"), "text/html; charset=utf-16")
    stored = library.get(library.clip(url).resource.id)
    assert stored.title == TITLE


def test_utf16_with_a_byte_order_mark_and_no_header_charset_is_read(library, httpserver):
    url = serve(httpserver, "/bom", DESSERT.encode("utf-16"), "text/html")
    assert library.get(library.clip(url).resource.id).title == TITLE
