"""Metadata and opening text of PDF documents (research reports, guidance, papers).

pypdf is pure Python and some PDFs are huge or hostile, so we read at most
:data:`MAX_PAGES` pages and stop after :data:`TIME_BUDGET` seconds in all, checked while
a page is being read too, not only between pages.  A page's drawing instructions are
decompressed and parsed only up to :data:`MAX_PAGE_CONTENT` bytes: one page of a report
can hold megabytes of chart paths that would take pypdf a minute and hundreds of MB to
parse, and the text of a page almost never needs more.  Any failure (encryption,
corruption, odd fonts) becomes a plain-English warning instead of an exception: a PDF we
cannot read is still worth clipping.
"""

from __future__ import annotations

import io
import logging
import re
import time
import warnings
import zlib
from dataclasses import dataclass, field

from .dates import parse_date

MAX_PAGES = 10
TIME_BUDGET = 5.0
#: The most decompressed drawing instructions read from one page (its content streams,
#: and each form it draws). A page of text needs a few KB; pypdf parses roughly a sixth
#: of a MB a second, so this also bounds the time one page can take before it is checked.
MAX_PAGE_CONTENT = 200_000
#: How deep forms drawn inside forms are checked against the cap.
_FORM_DEPTH = 4


@dataclass
class PdfInfo:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    summary: str | None = None
    language: str | None = None
    text: str = ""
    warnings: list[str] = field(default_factory=list)
    updated: str | None = None  # the document's ModDate, when later than its creation
    lines: list[str] = field(default_factory=list, repr=False)  # first pages' visual lines


#: A Subject this short is a label ("Neglect practice briefing"), not a summary.
_SUBJECT_SUMMARY_WORDS = 12
_SUMMARY_CHARS = 600
_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint)\s*-|untitled|document\d*$|slide \d+$)|"
    r"\.(?:docx?|pptx?|indd|pdf|rtf|odt)$|^[\w-]+_[\w-]+$",
    re.I,
)


def usable_title(title: str | None) -> str | None:
    """The info dictionary's title, unless it is a file name or a program's default."""
    if not title or _JUNK_TITLE.search(title.strip()) or len(re.findall(r"[^\W\d_]", title)) < 3:
        return None
    return title


def _real_paragraph(para: str) -> bool:
    words = re.findall(r"[^\W\d_]+", para)
    if len(words) < 20:
        return False
    if re.search(r"\.{4,}|…{2,}|_{4,}", para):  # contents pages, forms
        return False
    letters = [c for c in para if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False
    if not re.search(r"[.!?][\"'’”)]?(?:\s|$)", para):
        return False
    lower_words = sum(1 for w in words if w[:1].islower())
    return lower_words >= 0.4 * len(words)  # prose, not a list of titled headings


def blocks(lines: list[str]) -> list[str]:
    """Visual lines grouped into paragraphs: a paragraph ends at a short line (its last
    line, or a heading) or at a blank one; end-of-line hyphens are undone."""
    lines = [" ".join(x.split()) for x in lines]
    width = max((len(x) for x in lines[:300]), default=0)
    out: list[str] = []
    cur = ""
    for line in lines:
        if not line:
            if cur:
                out.append(cur)
            cur = ""
            continue
        if cur.endswith("-") and line[:1].islower():
            cur = cur[:-1] + line
        else:
            cur = f"{cur} {line}" if cur else line
        if len(line) < 0.8 * width:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def opening_paragraph(lines: list[str], limit: int = _SUMMARY_CHARS) -> str | None:
    """The first real paragraph of a document (cut at a sentence near *limit*)."""
    for para in blocks(lines)[:300]:
        if not _real_paragraph(para):
            continue
        if len(para) <= limit:
            return para
        head = para[:limit]
        end = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
        if end > limit // 3:
            return head[: end + 1]
        space = head.rfind(" ")
        return head[: space if space > 0 else limit].rstrip(" ,;:") + "…"
    return None


def first_line_title(lines: list[str]) -> str | None:
    """A title from the document's first lines when its info dictionary has none."""
    for line in [x for x in (" ".join(y.split()) for y in lines) if x][:5]:
        words = len(line.split())
        if 2 <= words <= 20 and not _real_paragraph(line) and not re.fullmatch(r"[\d\W]+", line):
            return line
    return None


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


class _OutOfTime(Exception):
    """Raised from inside pypdf's text extraction when the time budget has run out."""


def extract_pdf(body: bytes, *, time_budget: float = TIME_BUDGET,
                max_page_content: int = MAX_PAGE_CONTENT) -> PdfInfo:
    """Read a PDF's document information and the text of its first pages."""
    info = PdfInfo()
    deadline = time.monotonic() + time_budget
    pypdf_logger = logging.getLogger("pypdf")
    old_level = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _read(body, info, deadline, max_page_content)
    except Exception:  # pypdf raises many types on broken files; all mean "unreadable"
        info.warnings.append("PDF could not be read (it may be damaged or incomplete)")
    finally:
        pypdf_logger.setLevel(old_level)
    return info


def _read(body: bytes, info: PdfInfo, deadline: float, max_page_content: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body), strict=False)
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception:
            ok = 0
        if not ok:
            info.warnings.append("The PDF is encrypted (locked with a password), so its text "
                                 "could not be read. Add a title and summary yourself.")
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
        modified = parse_date(_clean(meta.get("/ModDate")))
        if modified and info.published and modified > info.published:
            info.updated = modified
    try:
        lang = reader.trailer["/Root"].get("/Lang")
        info.language = _clean(lang)
    except Exception:
        pass
    texts: list[str] = []
    try:
        pages = reader.pages
        count = len(pages)
    except Exception:
        info.warnings.append("PDF text could not be read")
        return
    cut: list[int] = []
    for i in range(min(count, MAX_PAGES)):
        if time.monotonic() > deadline:
            info.warnings.append(_too_slow(f"only the text of its first {i} pages was kept"
                                           if i else "none of its text was kept"))
            break
        try:
            page = pages[i]
            if _cap_page(page, max_page_content):
                cut.append(i + 1)
            t, finished = _page_text(page, deadline)
        except Exception:
            continue
        if t.strip():
            texts.append(_paragraphs(t))
            if len(info.lines) < 400:
                info.lines.extend(t.replace("\r", "\n").split("\n"))
        if not finished:
            info.warnings.append(_too_slow(f"its text stops part of the way through page "
                                           f"{i + 1}"))
            break
    if cut:
        which = (f"Page {cut[0]} of the PDF holds" if len(cut) == 1 else
                 f"Pages {', '.join(str(n) for n in cut)} of the PDF hold")
        info.warnings.append(f"{which} too many drawing instructions to read in full, so "
                             "some of the text may be missing")
    info.text = "\n\n".join(texts)
    _fill_from_text(info)
    if not info.text:
        info.warnings.append(
            "PDF text could not be read (it may be scanned images without a text layer)"
        )
    elif count > MAX_PAGES:
        info.warnings.append(f"Only the first {MAX_PAGES} of {count} PDF pages were read")


def _fill_from_text(info: PdfInfo) -> None:
    """A title and summary from the text where the document information has none fit
    to show: a Subject of a few words is a label, so the opening paragraph is better."""
    info.title = usable_title(info.title) or first_line_title(info.lines) or info.title
    subject = info.summary
    if subject and len(subject.split()) >= _SUBJECT_SUMMARY_WORDS:
        return
    info.summary = opening_paragraph(info.lines) or subject


def _too_slow(what: str) -> str:
    return f"The PDF was too slow to read, so {what}"


def _page_text(page, deadline: float) -> tuple[str, bool]:
    """The text of one page, and False when the time ran out part of the way through
    (the text so far is returned then)."""
    parts: list[str] = []

    def check(*_args) -> None:
        if time.monotonic() > deadline:
            raise _OutOfTime

    def keep(text, *_args) -> None:
        parts.append(text)

    try:
        return page.extract_text(visitor_operand_before=check, visitor_text=keep) or "", True
    except _OutOfTime:
        return "".join(parts), False


def _cap_page(page, cap: int) -> bool:
    """Cut what pypdf will parse for *page* (its contents and the forms it draws) to *cap*
    bytes each, never decompressing more than that. True when something was cut."""
    from pypdf.generic import ArrayObject, NameObject

    cut = False
    contents = page.get("/Contents")
    if contents is not None:
        obj = contents.get_object()
        streams = list(obj) if isinstance(obj, ArrayObject) else [obj]
        data, complete = _capped_join(streams, cap)
        if not complete:
            page[NameObject("/Contents")] = _decoded(data, None)
            cut = True
    return _cap_forms(page.get("/Resources"), cap, _FORM_DEPTH, set()) or cut


def _cap_forms(resources, cap: int, depth: int, seen: set[int]) -> bool:
    if resources is None or depth <= 0:
        return False
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return False
    xobjects = xobjects.get_object()
    cut = False
    for name in list(xobjects.keys()):
        form = xobjects[name].get_object()
        if id(form) in seen or not hasattr(form, "get") or form.get("/Subtype") != "/Form":
            continue
        seen.add(id(form))
        data, complete = _capped_join([form], cap)
        if not complete:
            xobjects[name] = form = _decoded(data, form)
            cut = True
        cut = _cap_forms(form.get("/Resources"), cap, depth - 1, seen) or cut
    return cut


def _capped_join(streams, cap: int) -> tuple[bytes, bool]:
    """The streams' decoded bytes joined, at most *cap* of them; False when cut."""
    out = bytearray()
    for stream in streams:
        data, complete = _capped_data(stream.get_object(), cap - len(out))
        out += data
        if not complete:
            return _at_a_break(bytes(out)), False
        out += b"\n"
    return bytes(out), True


def _capped_data(stream, room: int) -> tuple[bytes, bool]:
    """Decode one stream, stopping after *room* bytes where it is plainly compressed."""
    filters = stream.get("/Filter")
    if filters is not None and not isinstance(filters, list):
        filters = [filters]
    raw = getattr(stream, "_data", None)
    data = None
    if filters and [str(f) for f in filters] in (["/FlateDecode"], ["/Fl"]) and \
            stream.get("/DecodeParms") is None and isinstance(raw, bytes):
        try:
            data = zlib.decompressobj().decompress(raw, room + 1)
        except zlib.error:
            data = None  # damaged: pypdf's own decoder knows how to recover some
    if data is None:
        data = stream.get_data()
    if len(data) > room:
        return data[:max(room, 0)], False
    return data, True


def _at_a_break(data: bytes) -> bytes:
    """Cut after the last line break, so no instruction is left half-written."""
    end = data.rfind(b"\n")
    return data[:end + 1] if end >= len(data) // 2 else data


def _decoded(data: bytes, like):
    """A decoded stream holding *data*, with the other entries of *like* (a form's)."""
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    if like is not None:
        for key, value in like.items():
            if key not in ("/Filter", "/DecodeParms", "/Length"):
                stream[NameObject(key)] = value
    stream.set_data(data)
    return stream
