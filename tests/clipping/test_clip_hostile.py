"""What a page says about itself never costs the expert the clip or their note.

Each page is served for real (pytest-httpserver) and clipped through the Library; the
command line is run in-process to see what a person reads there.
"""

from __future__ import annotations

import io
import random

import pytest

from curator.cli import main
from tests.support.pdfs import make_pdf

NOTE = "Useful for the new starters' induction on neglect."


def serve(httpserver, path: str, body: bytes, content_type: str) -> str:
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)
    return httpserver.url_for(path)


def long_words(n: int) -> str:
    words = "practitioners notice neglect early and record what they see".split()
    return " ".join(words[i % len(words)] for i in range(n))


def test_a_title_over_a_thousand_characters_is_cut_with_a_notice(library, httpserver):
    title = long_words(400)  # about 2,700 characters
    page = f"<html><head><title>{title}</title></head><body><p>Short.</p></body></html>"
    result = library.clip(serve(httpserver, "/t", page.encode(), "text/html; charset=utf-8"),
                          note=NOTE)
    stored = library.get(result.resource.id)
    assert stored.notes == NOTE
    assert stored.fetch_state == "ok"
    assert 900 < len(stored.title) <= 1000 and stored.title.endswith("…")
    assert title.startswith(stored.title[:-1])
    cut = [w for w in result.warnings if "title" in w]
    assert cut == [f"The page's title was {len(title):,} characters long, so it was cut to "
                   "1,000."]
    assert cut[0] in stored.fetch_error  # the note kept with the resource


def test_a_first_paragraph_over_ten_thousand_characters_is_cut_not_refused(library, httpserver):
    para = long_words(3000)  # about 20,000 characters, and no description in the metadata
    page = f"<html><head><title>Neglect</title></head><body><main><p>{para}</p></main></body>"
    result = library.clip(serve(httpserver, "/p", page.encode(), "text/html; charset=utf-8"),
                          note=NOTE)
    stored = library.get(result.resource.id)
    assert stored.notes == NOTE and stored.title == "Neglect"
    assert len(stored.summary) <= 10_000
    assert any(w.startswith("The page's summary was") for w in result.warnings)
    text = library.store.query("SELECT text FROM resource_text WHERE resource_id = ?",
                               (stored.id,))[0]["text"]
    assert para in text  # the full text is still searchable


def test_an_over_long_author_and_site_name_are_cut_too(library, httpserver):
    page = (f'<html><head><title>Neglect</title><meta name="author" content="{"A" * 3000}">'
            f'<meta property="og:site_name" content="{long_words(200)}"></head>'
            "<body><p>Text.</p></body></html>")
    result = library.clip(serve(httpserver, "/a", page.encode(), "text/html"), note=NOTE)
    stored = library.get(result.resource.id)
    assert len(stored.site) <= 300
    assert len(stored.author) <= 1000
    assert any("site name" in w for w in result.warnings)


@pytest.mark.parametrize("kind", ["random bytes", "control bytes"])
def test_binary_served_as_a_web_page_is_kept_with_a_warning(library, httpserver, kind):
    rng = random.Random(7)
    body = rng.randbytes(40_000) if kind == "random bytes" else \
        bytes(rng.choice(b"\x01\x02\x03\x04\x05abcdefgh") for _ in range(40_000))
    result = library.clip(serve(httpserver, "/blob", body, "text/html; charset=utf-8"),
                          note=NOTE)
    stored = library.get(result.resource.id)
    assert stored.notes == NOTE
    warning = ("The site said this was a web page, but what it sent is not readable text (it "
               "may be another kind of file), so no text was kept")
    assert warning in result.warnings
    assert warning in stored.fetch_error
    text = library.store.query("SELECT text FROM resource_text WHERE resource_id = ?",
                               (stored.id,))[0]["text"]
    assert text == "" and not stored.title and not stored.summary


def encrypted_pdf() -> bytes:
    """A report with a text layer, locked with a password the reader does not have."""
    from pypdf import PdfReader, PdfWriter

    report = make_pdf("Locked report", "Research team", "D:20230105", ["Secret findings."])
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(report)))
    locked.encrypt("secret", "owner", algorithm="RC4-128")
    out = io.BytesIO()
    locked.write(out)
    return out.getvalue()


LOCKED = ("The PDF is encrypted (locked with a password), so its text could not be read. "
          "Add a title and summary yourself.")


def test_an_encrypted_pdf_warning_reaches_the_expert(library, httpserver):
    url = serve(httpserver, "/locked.pdf", encrypted_pdf(), "application/pdf")
    result = library.clip(url, note=NOTE)
    assert result.fetched and result.fetch_error is None
    assert LOCKED in result.warnings
    stored = library.get(result.resource.id)
    assert stored.fetch_state == "ok" and stored.notes == NOTE
    assert stored.fetch_error == LOCKED
    text = library.store.query("SELECT text FROM resource_text WHERE resource_id = ?",
                               (stored.id,))[0]["text"]
    assert "Secret findings" not in text


def test_a_refetch_says_what_it_found_and_keeps_the_note(library, httpserver):
    url = serve(httpserver, "/locked-later.pdf", encrypted_pdf(), "application/pdf")
    r = library.clip(url, note=NOTE, fetch=False).resource
    outcome = library.refetch(r.id)
    assert outcome.ok and outcome.message == f"Fetched. {LOCKED}"
    assert library.get(r.id).fetch_error == LOCKED


def test_a_clean_page_leaves_no_note(library, httpserver):
    page = ("<html><head><title>Neglect guidance</title></head><body><main>"
            + "<p>Practitioners should notice the signs of neglect early.</p>" * 20
            + "</main></body></html>")
    result = library.clip(serve(httpserver, "/ok", page.encode(), "text/html"))
    assert result.warnings == []
    assert library.get(result.resource.id).fetch_error is None


def test_the_command_line_shows_the_notices(tmp_path, httpserver, capsys):
    page = f"<html><head><title>{long_words(400)}</title></head><body><p>x</p></body></html>"
    url = serve(httpserver, "/cli", page.encode(), "text/html")
    code = main(["--library", str(tmp_path / "lib"), "--as", "Sam Patel", "clip", url,
                 "--note", NOTE])
    out, err = capsys.readouterr()
    assert code == 0 and len(out.strip()) == 36
    assert "Warning: The page's title was" in err and "so it was cut to 1,000." in err
    assert "Traceback" not in err
