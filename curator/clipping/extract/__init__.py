"""Metadata and main-text extraction for clipped links (HTML pages and PDFs).

This package is the core of clipping and must stay free of any GUI import: it runs in
worker threads, in the CLI and in tests.  :func:`extract` never raises on bad input;
problems a user should know about are reported in :attr:`Extracted.warnings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import sniff
from .decode import decode

__all__ = ["Extracted", "extract"]


@dataclass
class Extracted:
    kind: str  # "html", "pdf" or "other"
    content_type: str | None  # e.g. "text/html", "application/pdf", "image/png"
    title: str | None = None  # cleaned of site suffixes like " | BBC News", " - GOV.UK"
    summary: str | None = None  # the description
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD"
    canonical_url: str | None = None  # absolute
    language: str | None = None  # e.g. "en" / "en-GB"
    text: str = ""  # main article text, paragraphs separated by "\n\n"
    size: int = 0  # len(body bytes)
    warnings: list[str] = field(default_factory=list)  # plain-English notes
    updated: str | None = None  # ISO date the page says it was last updated
    type_guess: str | None = None  # a resource type guessed from evidence; None: no guess
    type_sureness: float | None = None  # 0..1, how sure the guess is
    type_evidence: list[str] = field(default_factory=list)  # why, in plain words


def extract(body: bytes, url: str, content_type: str | None = None) -> Extracted:
    """Extract metadata and main text from a fetched body.  Never raises on bad input."""
    if body is None:
        body = b""
    if isinstance(body, str):  # be forgiving with callers that already decoded
        body = body.encode("utf-8", errors="replace")
    body = bytes(body)
    kind = sniff.sniff_kind(body, content_type)
    mt = sniff.media_type(content_type)
    result = Extracted(kind=kind, content_type=mt, size=len(body), canonical_url=url or None)
    try:
        if kind == sniff.PDF:
            result.content_type = mt or "application/pdf"
            _fill_pdf(result, body, url)
        elif kind == sniff.HTML:
            result.content_type = mt or "text/html"
            _fill_html(result, body, url, content_type)
        else:
            _fill_other(result, body, content_type)
    except RecursionError:
        result.warnings.append("The page is too deeply nested to read completely")
    except Exception as exc:  # last line of defence: a clipping must never crash the app
        result.warnings.append(f"The page could not be fully read ({type(exc).__name__})")
    return result


def _fill_html(result: Extracted, body: bytes, url: str, content_type: str | None) -> None:
    from .content import extract_text
    from .htmltree import MAX_CHARS, parse_html
    from .metadata import extract_metadata
    from .typeguess import evidence_from_html, guess

    text, _encoding = decode(body, content_type)
    if "\ufffd" in text[:100_000] and text.count("\ufffd", 0, 100_000) > 20:
        result.warnings.append("Some characters could not be decoded and were replaced")
    if len(text) > MAX_CHARS:
        result.warnings.append("The page is very large; only its first part was read")
    root = parse_html(text)
    meta = extract_metadata(root, url)
    result.title = meta.title
    result.summary = meta.summary
    result.authors = meta.authors
    result.site_name = meta.site_name
    result.published = meta.published
    result.canonical_url = meta.canonical_url
    result.language = meta.language
    result.updated = meta.updated
    evidence = evidence_from_html(root, url, meta.title, meta.page_types, meta.og_type,
                                  meta.citation, meta.site_name)
    main = extract_text(root, meta.title)
    result.text = main.text
    evidence.text = main.text
    _set_type(result, guess(evidence))
    if not result.summary and main.first_paragraph:
        # No description in the metadata: the opening paragraph is the best summary.
        result.summary = main.first_paragraph
    if not result.text.strip():
        result.warnings.append("No article text was found on the page")


def _fill_pdf(result: Extracted, body: bytes, url: str) -> None:
    from .pdf import blocks, extract_pdf
    from .sites import site_from_address
    from .typeguess import Evidence, guess

    info = extract_pdf(body)
    result.title = info.title
    result.authors = info.authors
    result.published = info.published
    result.summary = info.summary
    result.language = info.language
    result.text = info.text
    result.updated = info.updated
    result.site_name = site_from_address(url)
    result.warnings.extend(info.warnings)
    headings = [b for b in blocks(info.lines[:40]) if 1 <= len(b.split()) <= 15][:6]
    _set_type(result, guess(Evidence(url=url, kind="pdf", content_type=result.content_type,
                                     title=result.title, headings=headings, text=info.text)))


def _set_type(result: Extracted, found) -> None:
    result.type_guess = found.type
    result.type_sureness = found.sureness if found.type else None
    result.type_evidence = found.evidence if found.type else []


def _fill_other(result: Extracted, body: bytes, content_type: str | None) -> None:
    mt = result.content_type or ""
    if mt in sniff.HTML_TYPES or mt.startswith("text/"):
        if sniff.looks_binary(body, content_type) or not sniff.plausible_text(body, content_type):
            what = "a web page" if mt in sniff.HTML_TYPES else "text"
            result.warnings.append(f"The site said this was {what}, but what it sent is not "
                                   "readable text (it may be another kind of file), so no "
                                   "text was kept")
            return
    if mt.startswith("text/") or (not mt and body and not sniff.looks_binary(body)):
        text, _ = decode(body[:2_000_000], content_type)
        result.text = text.strip()
