"""Decide what a response body is (HTML, PDF or something else) before parsing it.

Servers mislabel content all the time (PDFs served as octet-stream, HTML served with no
type at all), so the magic bytes win over the header for PDFs, and HTML is only
assumed for untyped bodies that look like markup.  Parsing an image as HTML would
produce garbage titles, so anything binary is "other", even when served as a web page:
bytes are binary when they start like a known file type, hold zero bytes where no text
encoding puts them, carry many control bytes, or make sense in no encoding at all.
"""

from __future__ import annotations

import re

from .decode import plausible_text, wide_encoding

HTML = "html"
PDF = "pdf"
OTHER = "other"

HTML_TYPES = {"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"}
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


_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
#: Control bytes that text in no ASCII-based encoding uses (tab, line breaks, form feed
#: and escape are allowed); more than 2% of them in the first 8 KB means binary.
_CONTROLS = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])
_NOT_CONTROLS = bytes(b for b in range(256) if b not in _CONTROLS)


def looks_binary(body: bytes, content_type: str | None = None) -> bool:
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC):
        return True
    # Zero bytes do not occur in text, except in UTF-16/32, which carries a BOM or is
    # named in the HTTP header.
    if head.startswith(_WIDE_BOMS) or wide_encoding(body, content_type):
        return False
    if b"\x00" in head:
        return True
    sample = body[:8192]
    return len(sample.translate(None, _NOT_CONTROLS)) > len(sample) * 0.02


def looks_html(body: bytes, content_type: str | None = None) -> bool:
    head = body[:4096]
    wide = "utf-16" if head.startswith(_WIDE_BOMS[:2]) else wide_encoding(head, content_type)
    if wide:
        # UTF-16/32 text: compare on the decoded prefix.
        try:
            head = head.decode(wide, "ignore").encode("utf-8", "ignore")
        except Exception:
            return False
    return bool(_LOOKS_HTML.search(head))


def sniff_kind(body: bytes, content_type: str | None) -> str:
    """Return ``"html"``, ``"pdf"`` or ``"other"`` for a body and its declared type."""
    mt = media_type(content_type)
    if is_pdf_bytes(body) or mt == "application/pdf" or mt == "application/x-pdf":
        return PDF
    if mt in HTML_TYPES:
        if looks_binary(body, content_type) or \
                (not looks_html(body, content_type) and not plausible_text(body, content_type)):
            return OTHER
        return HTML
    if mt in _XML_TYPES or (mt and mt.endswith("+xml")):
        # Only XHTML is a page; RSS/Atom/SVG are not articles.
        return HTML if re.search(rb"<html\b", body[:4096], re.I) else OTHER
    if mt is None or mt in ("text/plain", "application/octet-stream", "binary/octet-stream"):
        # Untyped or generic: trust the bytes.  text/plain is often mislabelled HTML;
        # octet-stream only counts as HTML if it plainly is markup.
        if looks_binary(body, content_type):
            return OTHER
        if mt == "application/octet-stream" or mt == "binary/octet-stream":
            return OTHER
        return HTML if looks_html(body, content_type) else OTHER
    return OTHER
