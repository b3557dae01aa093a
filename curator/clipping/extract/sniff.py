"""Decide what a response body is (HTML, PDF or something else) before parsing it.

Servers mislabel content all the time (PDFs served as octet-stream, HTML served with no
type at all), so the magic bytes win over the header for PDFs, and HTML is only
assumed for untyped bodies that look like markup.  Parsing an image as HTML would
produce garbage titles, so anything binary is "other".
"""

from __future__ import annotations

import re

HTML = "html"
PDF = "pdf"
OTHER = "other"

_HTML_TYPES = {"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"}
_XML_TYPES = {"application/xml", "text/xml"}
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP, WAV, AVI
    b"PK\x03\x04",  # zip, docx, epub
    b"\x1f\x8b",  # gzip
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",  # ico
    b"OggS",
    b"ID3",
    b"fLaC",
    b"\x7fELF",
    b"7z\xbc\xaf",
    b"Rar!",
    b"wOFF",
    b"wOF2",
)
_LOOKS_HTML = re.compile(
    rb"<(!doctype\s+html|html|head|body|title|meta|p|div|h1|h2|article|table|a\s|br)\b",
    re.I,
)


def media_type(content_type: str | None) -> str | None:
    """The bare, lower-cased media type of a Content-Type header (no parameters)."""
    if not content_type:
        return None
    mt = content_type.split(";", 1)[0].strip().lower()
    return mt or None


def is_pdf_bytes(body: bytes) -> bool:
    """PDF magic may follow a little junk (BOMs, blank lines) in the first KB."""
    return b"%PDF-" in body[:1024]


def looks_binary(body: bytes) -> bool:
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC):
        return True
    # NUL bytes do not occur in text, except in UTF-16/32, which carries a BOM.
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return False


def looks_html(body: bytes) -> bool:
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text: compare on the decoded prefix.
        try:
            head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
        except Exception:
            return False
    return bool(_LOOKS_HTML.search(head))


def sniff_kind(body: bytes, content_type: str | None) -> str:
    """Return ``"html"``, ``"pdf"`` or ``"other"`` for a body and its declared type."""
    mt = media_type(content_type)
    if is_pdf_bytes(body) or mt == "application/pdf" or mt == "application/x-pdf":
        return PDF
    if mt in _HTML_TYPES:
        return OTHER if looks_binary(body) else HTML
    if mt in _XML_TYPES or (mt and mt.endswith("+xml")):
        # Only XHTML is a page; RSS/Atom/SVG are not articles.
        return HTML if re.search(rb"<html\b", body[:4096], re.I) else OTHER
    if mt is None or mt in ("text/plain", "application/octet-stream", "binary/octet-stream"):
        # Untyped or generic: trust the bytes.  text/plain is often mislabelled HTML;
        # octet-stream only counts as HTML if it plainly is markup.
        if looks_binary(body):
            return OTHER
        if mt == "application/octet-stream" or mt == "binary/octet-stream":
            return OTHER
        return HTML if looks_html(body) else OTHER
    return OTHER
