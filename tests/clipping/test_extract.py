"""Tests for curator.clipping.extract: metadata, main text, decoding, PDFs and robustness.

All pages are the project's own hand-written fixtures in tests/fixtures/extract/.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curator.clipping.extract import Extracted, extract
from curator.clipping.extract.dates import date_from_url, parse_date
from curator.clipping.extract.decode import decode
from curator.clipping.extract.manifest import run_manifest
from curator.clipping.extract.titles import strip_site_suffix

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# ---------------------------------------------------------------- metadata


def test_opengraph_page() -> None:
    ex = extract(load("opengraph.html"), "https://practice.example.org/x?utm=1", "text/html")
    assert ex.kind == "html"
    assert ex.content_type == "text/html"
    assert ex.title == "Kinship carers need earlier support"
    assert ex.site_name == "Practice Notes"
    assert ex.summary == "A short review of what helps family and friends carers in the first year."
    assert ex.authors == ["Amina Rahman"]  # the profile URL in article:author is not a name
    assert ex.published == "2021-05-04"
    assert ex.canonical_url == "https://practice.example.org/2021/05/kinship-carers"
    assert ex.language == "en-GB"
    assert ex.size == len(load("opengraph.html"))


def test_opengraph_main_text_keeps_article_drops_furniture() -> None:
    text = extract(load("opengraph.html"), "https://practice.example.org/x").text
    assert "Kinship carers often step in at a moment of crisis" in text
    assert "A named worker who returned calls within a day." in text  # list kept
    assert "What helped" in text  # subheading kept
    assert "It was the first time someone asked" in text  # blockquote kept
    assert "fewer placement breakdowns" in text
    for junk in (
        "Related stories",
        "Foster care pay",
        "cookies",
        "All rights reserved",
        "Topics",
        "About us",
    ):
        assert junk not in text
    # headline is stored as the title, not repeated in the text
    assert not text.startswith("Kinship carers need earlier support")
    # paragraphs separated by blank lines
    assert "\n\n" in text
    assert all(p.strip() for p in text.split("\n\n"))


def test_jsonld_graph_article() -> None:
    ex = extract(load("jsonld_graph.html"), "https://fjr.example.org/reunification")
    assert ex.title == "Reunification after care: what the evidence says"
    assert ex.authors == ["Dr Tom Okafor", "Sarah Lee"]  # @id reference resolved
    assert ex.site_name == "Family Justice Review Trust"  # publisher via @id
    assert ex.published == "2019-03-14"
    assert ex.summary == "Returning home works best with planned, sustained support."
    assert "About a third of children who leave care" in ex.text
    assert "Great article" not in ex.text  # comments dropped


def test_citation_journal_page_with_several_authors() -> None:
    ex = extract(load("citation.html"), "https://journal.example.org/doi/10.1/abc")
    assert ex.title == "Outcomes of early help: a cohort study"
    assert ex.authors == ["Patel, Nisha", "Jones, Gareth", "O'Brien, Ciara"]
    assert ex.published == "2020-11-02"
    assert ex.site_name == "Journal of Child Welfare Research"
    assert "1,200 families" in ex.text


def test_dublin_core_page() -> None:
    ex = extract(load("dublin_core.html"), "https://board.example.wales/guidance")
    assert ex.title == "Guidance on safeguarding disabled children"
    assert ex.authors == ["Welsh Safeguarding Board"]
    assert ex.published == "2018-07-09"
    assert ex.summary == "Practice guidance for professionals."
    assert ex.site_name == "Welsh Safeguarding Board"
    assert ex.language == "cy"
    assert "Disabled children are at greater risk" in ex.text


def test_title_suffix_is_removed() -> None:
    ex = extract(load("title_suffix.html"), "https://www.gov.uk/guidance/homes")
    assert ex.title == "Children's homes: a new inspection framework"
    assert "inspectors will judge" in ex.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Story title here | BBC News", "Story title here"),
        ("Guidance for social workers - GOV.UK", "Guidance for social workers"),
        ("A long story title – Section – The Paper", "A long story title – Section"),
        ("Google - Site Reliability Engineering", "Google - Site Reliability Engineering"),
        ("No separator at all", "No separator at all"),
        ("Coronavirus: what it means for carers", "Coronavirus: what it means for carers"),
    ],
)
def test_strip_site_suffix(raw: str, expected: str) -> None:
    assert strip_site_suffix(raw, [], []) == expected


def test_site_suffix_matched_by_site_name_and_heading() -> None:
    assert strip_site_suffix("Penny - Stardew Wiki", ["Stardew Wiki"], []) == "Penny"
    assert strip_site_suffix("Ann - Ideas - Blog", [], ["Ann - Ideas"]) == "Ann - Ideas"


def test_script_in_title_is_plain_text() -> None:
    html = (
        b"<html><head><title>Hello <script>alert(1)</script> world</title></head>"
        b"<body><p>Body text that is long enough to be a paragraph of an article.</p>"
        b"</body></html>"
    )
    ex = extract(html, "https://example.org/")
    assert ex.title == "Hello <script>alert(1)</script> world"
    assert "alert(1)" not in ex.text
    html2 = (
        b'<html><head><meta property="og:title" '
        b'content="&lt;script&gt;alert(1)&lt;/script&gt; Hi"></head><body><p>x</p></body></html>'
    )
    assert extract(html2, "https://example.org/").title == "<script>alert(1)</script> Hi"


def test_byline_and_time_from_page() -> None:
    html = b"""<html><head><title>Short breaks for disabled children</title></head><body>
    <article><h1>Short breaks for disabled children</h1>
    <div class="post-meta"><span class="author-name">By Jo Smith</span>
    <time datetime="2022-02-03T10:00">3 February 2022</time></div>
    <p>Short breaks give families a rest and give children new experiences, and most parents
    in the survey said they could not cope without them.</p></article></body></html>"""
    ex = extract(html, "https://example.org/short-breaks")
    assert ex.authors == ["Jo Smith"]
    assert ex.published == "2022-02-03"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-03-14T23:30:00-05:00", "2019-03-14"),
        ("D:20190301120000+00'00'", "2019-03-01"),
        ("Thu, 14 Mar 2019 10:00:00 GMT", "2019-03-14"),
        ("March 14th, 2019", "2019-03-14"),
        ("14.03.2019", "2019-03-14"),
        ("2017/01", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        ("1066-10-14", None),
    ],
)
def test_parse_date(raw: str | None, expected: str | None) -> None:
    assert parse_date(raw) == expected


def test_day_first_dates() -> None:
    assert parse_date("02/10/2020", dayfirst=True) == "2020-10-02"
    assert parse_date("02/10/2020", dayfirst=False) == "2020-02-10"
    assert parse_date("25/10/2020") == "2020-10-25"


def test_date_from_url() -> None:
    assert date_from_url("https://ex.org/news/2019/03/14/story") == "2019-03-14"
    assert date_from_url("https://ex.org/20190314/story") == "2019-03-14"
    assert date_from_url("https://ex.org/2019/03/story") is None
    assert date_from_url("https://ex.org/item/12345678") is None


# ---------------------------------------------------------------- decoding


def test_meta_charset_windows_1252_without_http_charset() -> None:
    body = load("windows1252.html")
    ex = extract(body, "https://example.org/cafe", "text/html")
    assert ex.title == "Café culture “quoted”"
    assert "Naïve résumé of the café sessions" in ex.text
    assert "advisers – and said" in ex.text


def test_http_charset_wins_over_guessing() -> None:
    body = "<html><head><title>Niño</title></head><body><p>¡Hola!</p></body></html>"
    ex = extract(body.encode("latin-1"), "https://ex.org/", "text/html; charset=ISO-8859-1")
    assert ex.title == "Niño"


def test_utf8_bytes_beat_wrong_declaration() -> None:
    body = '<html><head><meta charset="iso-8859-1"><title>Zoë’s story</title></head></html>'
    ex = extract(body.encode("utf-8"), "https://ex.org/")
    assert ex.title == "Zoë’s story"


def test_invalid_bytes_are_replaced_not_raised() -> None:
    body = (
        b"<html><head><title>Bad \xff\xfe bytes \xc3</title></head>"
        b"<body><p>ok \x80\x81</p></body></html>"
    )
    for ct in (None, "text/html", "text/html; charset=utf-8", "text/html; charset=nonsense"):
        ex = extract(body, "https://ex.org/", ct)
        assert ex.kind == "html"
        assert ex.title and ex.title.startswith("Bad")


def test_decode_bom_and_utf16() -> None:
    text, enc = decode("\ufeff<p>hé</p>".encode("utf-16"))
    assert "hé" in text and enc.startswith("utf-16")
    ex = extract("<html><head><title>Wide</title></head></html>".encode("utf-16"), "https://e/")
    assert ex.title == "Wide"


# ---------------------------------------------------------------- kinds


def _pdf_with_text(title: str, author: str, date: str, words: str) -> bytes:
    """A one-page PDF with a real text layer and an Info dictionary, written by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author ({author}) /CreationDate ({date}) >>".encode("latin-1"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pdf_metadata_and_text() -> None:
    body = _pdf_with_text(
        "Leaving care report",
        "R. Ahmed",
        "D:20190301120000+00'00'",
        "Care leavers need stable homes.",
    )
    ex = extract(body, "https://ex.org/report.pdf", "application/octet-stream")
    assert ex.kind == "pdf"
    assert ex.content_type == "application/octet-stream"
    assert ex.title == "Leaving care report"
    assert ex.authors == ["R. Ahmed"]
    assert ex.published == "2019-03-01"
    assert "Care leavers need stable homes." in ex.text
    assert ex.warnings == []


def test_pdf_written_by_pypdf_with_metadata() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {
            "/Title": "Blank guidance",
            "/Author": "Team A; Team B",
            "/CreationDate": "D:20200115000000Z",
        }
    )
    buf = io.BytesIO()
    writer.write(buf)
    ex = extract(buf.getvalue(), "https://ex.org/blank.pdf", "application/pdf")
    assert ex.kind == "pdf"
    assert ex.title == "Blank guidance"
    assert ex.authors == ["Team A", "Team B"]
    assert ex.published == "2020-01-15"
    assert any("could not be read" in w for w in ex.warnings)  # no text layer


def test_encrypted_pdf_gives_warning() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    ex = extract(buf.getvalue(), "https://ex.org/locked.pdf", "application/pdf")
    assert ex.kind == "pdf"
    assert ex.warnings and "encrypted" in ex.warnings[0].lower()


def test_broken_pdf_gives_warning() -> None:
    ex = extract(b"%PDF-1.7\n1 0 obj << /Type /Catalog", "https://ex.org/x.pdf")
    assert ex.kind == "pdf"
    assert ex.warnings
    assert ex.text == ""


def test_image_is_other_and_not_parsed() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"<title>not a title</title>"
    ex = extract(png, "https://ex.org/pic.png", "image/png")
    assert ex == Extracted(
        kind="other",
        content_type="image/png",
        size=len(png),
        canonical_url="https://ex.org/pic.png",
    )
    ex2 = extract(png, "https://ex.org/pic")
    assert ex2.kind == "other" and ex2.title is None


def test_octet_stream_zip_is_other() -> None:
    ex = extract(b"PK\x03\x04" + b"\x00" * 100, "https://ex.org/a.zip", "application/zip")
    assert ex.kind == "other"
    assert ex.size == 104


def test_untyped_html_is_sniffed() -> None:
    ex = extract(b"  <!doctype html><title>Untyped</title><p>hi</p>", "https://ex.org/")
    assert ex.kind == "html"
    assert ex.title == "Untyped"


def test_xhtml() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<head><title>XHTML page</title></head><body><p>Text</p></body></html>"
    )
    ex = extract(body, "https://ex.org/", "application/xhtml+xml")
    assert ex.kind == "html"
    assert ex.title == "XHTML page"


# ---------------------------------------------------------------- robustness


def test_empty_and_whitespace_bodies() -> None:
    for body in (b"", b"   ", b"\x00\x00", b"<", b"<html>"):
        ex = extract(body, "https://ex.org/", "text/html")
        assert isinstance(ex, Extracted)
        assert ex.size == len(body)


def test_truncated_html() -> None:
    full = load("opengraph.html")
    for cut in (10, 100, 500, 1000, 1500, len(full) - 7):
        ex = extract(full[:cut], "https://ex.org/", "text/html")
        assert ex.kind == "html"
    assert "Kinship carers often" in extract(full[:1500], "https://ex.org/").text


def test_deeply_nested_html() -> None:
    body = (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * 5000
        + "<p>Deep paragraph text that goes on long enough to count as content.</p>"
        + "</div>" * 5000
        + "</body></html>"
    ).encode()
    started = time.monotonic()
    ex = extract(body, "https://ex.org/deep")
    assert ex.kind == "html"
    assert ex.title == "Deep"
    assert time.monotonic() - started < 10
    assert sys.getrecursionlimit() >= 1000  # unchanged: we never recurse per element


@pytest.mark.slow
def test_huge_page_is_bounded() -> None:
    para = "<p>" + "Social work practice evidence, reflection and supervision. " * 20 + "</p>"
    body = (
        "<html><head><title>Huge</title></head><body><article>"
        + para * 6000
        + "</article></body></html>"
    ).encode()
    assert len(body) > 7_000_000
    started = time.monotonic()
    ex = extract(body, "https://ex.org/huge")
    assert time.monotonic() - started < 30
    assert ex.title == "Huge"
    assert ex.text
    assert any("very large" in w for w in ex.warnings)


def test_garbage_markup() -> None:
    for body in (
        b"<<<>>><//><p<p<p>",
        b"<html><body>" + b"<table>" * 300,
        b"<svg><svg><p>x",
        b"<script>never closed",
        b"<!-- open comment",
        b"<title>t</title" * 100,
    ):
        assert isinstance(extract(body, "https://ex.org/"), Extracted)


def test_never_imports_gui() -> None:
    # In a fresh interpreter: pytest-qt has already imported PySide6 in this one.
    code = (
        "import sys, curator.clipping.extract, curator.clipping.extract.manifest, "
        "curator.clipping.extract.content, curator.clipping.extract.metadata, "
        "curator.clipping.extract.pdf; "
        "curator.clipping.extract.extract(b'<p>x</p>', 'https://e/'); "
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# ---------------------------------------------------------------- manifest


def test_run_manifest(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html.gz").write_bytes(gzip.compress(load("opengraph.html")))
    (tmp_path / "pages" / "b.html").write_bytes(load("jsonld_graph.html"))
    lines = [
        {"id": "a", "file": "pages/a.html.gz", "url": "https://practice.example.org/a"},
        {"id": "b", "file": "pages/b.html", "url": "https://fjr.example.org/b"},
        {"id": "missing", "file": "pages/nope.html", "url": "https://ex.org/"},
    ]
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    failures = run_manifest(manifest, out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert failures == 1
    assert [r["id"] for r in rows] == ["a", "b", "missing"]
    assert rows[0]["title"] == "Kinship carers need earlier support"
    assert rows[0]["author"] == "Amina Rahman"
    assert rows[0]["description"].startswith("A short review")
    assert rows[1]["author"] == "Dr Tom Okafor; Sarah Lee"
    assert rows[1]["published"] == "2019-03-14"
    assert set(rows[0]) == {
        "id",
        "title",
        "author",
        "published",
        "description",
        "site_name",
        "text",
    }
    assert rows[2]["error"]
    assert all(
        rows[2][k] is None
        for k in ("title", "author", "published", "description", "site_name", "text")
    )
