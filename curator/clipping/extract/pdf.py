"""Metadata and opening text of PDF documents (research reports, guidance, papers).

pypdf is pure Python and some PDFs are huge or hostile, so we read at most
:data:`MAX_PAGES` pages and stop after :data:`TIME_BUDGET` seconds.  Any failure
(encryption, corruption, odd fonts) becomes a plain-English warning instead of an
exception: a PDF we cannot read is still worth clipping.
"""

from __future__ import annotations

import io
import logging
import re
import time
import warnings
from dataclasses import dataclass, field

from .dates import parse_date

MAX_PAGES = 10
TIME_BUDGET = 5.0


@dataclass
class PdfInfo:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    summary: str | None = None
    language: str | None = None
    text: str = ""
    warnings: list[str] = field(default_factory=list)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).replace("\x00", "").split())
    return s or None


def _paragraphs(raw: str) -> str:
    """pypdf returns visual lines; re-join them into paragraphs split by blank lines."""
    raw = raw.replace("\r", "\n").replace("\x00", "")
    paras = re.split(r"\n\s*\n", raw)
    out = []
    for p in paras:
        lines = [line.strip() for line in p.split("\n") if line.strip()]
        if not lines:
            continue
        joined = ""
        for line in lines:
            if joined.endswith("-") and line[:1].islower():
                joined = joined[:-1] + line  # undo end-of-line hyphenation
            else:
                joined = f"{joined} {line}" if joined else line
        out.append(joined)
    return "\n\n".join(out)


def extract_pdf(body: bytes) -> PdfInfo:
    """Read a PDF's document information and the text of its first pages."""
    info = PdfInfo()
    pypdf_logger = logging.getLogger("pypdf")
    old_level = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _read(body, info)
    except Exception:  # pypdf raises many types on broken files; all mean "unreadable"
        info.warnings.append("PDF could not be read (it may be damaged or incomplete)")
    finally:
        pypdf_logger.setLevel(old_level)
    return info


def _read(body: bytes, info: PdfInfo) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body), strict=False)
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception:
            ok = 0
        if not ok:
            info.warnings.append("PDF is encrypted; its text could not be read")
            return
    try:
        meta = reader.metadata
    except Exception:
        meta = None
    if meta:
        info.title = _clean(meta.get("/Title"))
        author = _clean(meta.get("/Author"))
        if author:
            parts = re.split(r"\s*;\s*|\s+and\s+", author)
            info.authors = [p for p in (x.strip(" ,") for x in parts) if p]
        info.summary = _clean(meta.get("/Subject"))
        info.published = parse_date(_clean(meta.get("/CreationDate"))) or parse_date(
            _clean(meta.get("/ModDate"))
        )
    try:
        lang = reader.trailer["/Root"].get("/Lang")
        info.language = _clean(lang)
    except Exception:
        pass
    started = time.monotonic()
    texts: list[str] = []
    try:
        pages = reader.pages
        count = len(pages)
    except Exception:
        info.warnings.append("PDF text could not be read")
        return
    for i in range(min(count, MAX_PAGES)):
        if time.monotonic() - started > TIME_BUDGET:
            info.warnings.append(f"PDF text was cut short after {i} pages (too slow to read)")
            break
        try:
            t = pages[i].extract_text() or ""
        except Exception:
            continue
        if t.strip():
            texts.append(_paragraphs(t))
    info.text = "\n\n".join(texts)
    if not info.text:
        info.warnings.append(
            "PDF text could not be read (it may be scanned images without a text layer)"
        )
    elif count > MAX_PAGES:
        info.warnings.append(f"Only the first {MAX_PAGES} of {count} PDF pages were read")
