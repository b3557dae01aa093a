"""Which kind of collection a file is: by its content first, then by its name."""

from __future__ import annotations

import csv
import io
import re
from pathlib import PurePath

from curator.importing.formats import csljson, netscape, pocket, ris
from curator.importing.formats.rows import ImportFileError
from curator.importing.formats.textdecode import decode_text

FORMATS = ("netscape", "csv", "xlsx", "csljson", "ris", "urllist", "pocket")
LABELS = {"netscape": "Browser bookmarks", "pocket": "Pocket export", "csv": "Spreadsheet (CSV)",
          "xlsx": "Excel workbook", "csljson": "CSL-JSON references",
          "ris": "RIS references", "urllist": "List of web addresses"}
#: What the report calls a row's position in each kind of file.
POSITION_LABELS = {"netscape": "Bookmark", "pocket": "Saved item", "csv": "Row", "xlsx": "Row", "csljson": "Item",
                   "ris": "Line", "urllist": "Line"}

WHAT_WE_READ = ("Curator reads browser and Pocket bookmark exports (.html), spreadsheets (.csv, .xlsx), "
                "reference lists (CSL-JSON .json, RIS .ris) and lists of web addresses (.txt).")
_REFUSED = {
    ".xls": "an old-style Excel file (.xls). Open it in Excel and save it as .xlsx or CSV",
    ".ods": "an OpenDocument spreadsheet. Save it as .xlsx or CSV",
    ".numbers": "a Numbers spreadsheet. Export it as CSV or .xlsx",
    ".bib": "a BibTeX file. Export the references as CSL JSON or RIS instead",
    ".enw": "an EndNote tagged file. Export the references as RIS instead",
    ".pdf": "a PDF document, not a list of links",
    ".docx": "a Word document. Save the list as a spreadsheet (CSV) or text file",
    ".doc": "a Word document. Save the list as a spreadsheet (CSV) or text file",
    ".json": "JSON, but not a CSL-JSON reference list",
}
_MAGIC = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": ".xls",
    b"%PDF-": ".pdf",
}
_WEB = re.compile(r"(https?://|www\.)\S+", re.I)


def not_readable(name: str, why: str = "") -> ImportFileError:
    lead = f"This file is not a bookmark export or spreadsheet Curator can read: {name}"
    return ImportFileError(f"{lead}{' is ' + why if why else ''}. {WHAT_WE_READ}")


def _tabular(text: str) -> bool:
    from curator.importing.formats.spreadsheet import _choose_delimiter

    delim = _choose_delimiter(text)
    rows = [r for r in csv.reader(io.StringIO(text[:65536]), delimiter=delim)
            if any(c.strip() for c in r)][:40]
    if len(rows) > 2:
        rows = rows[:-1]
    widths = [len(r) for r in rows]
    return bool(widths) and min(widths) >= 2 and widths.count(widths[0]) >= 0.8 * len(widths)


def detect(data: bytes, name: str = "") -> str:
    """The format of *data* (one of :data:`FORMATS`), or :class:`ImportFileError`."""
    ext = PurePath(name).suffix.lower() if name else ""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise not_readable(name or "the file", _REFUSED[kind])
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"  # not a zip: the reader says it is damaged
    text, _ = decode_text(data[:262_144])
    stripped = text.strip()
    if not stripped:
        return {".html": "netscape", ".htm": "netscape", ".csv": "csv", ".tsv": "csv",
                ".json": "csljson", ".ris": "ris"}.get(ext, "urllist")
    controls = sum(1 for ch in stripped[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.02 * min(len(stripped), 20000) or "\ufffd" * 8 in stripped[:20000]:
        raise not_readable(name or "the file", "not text")
    if netscape.looks_like(text):
        return "netscape"
    if pocket.looks_like(text):
        return "pocket"
    if ris.looks_like(text):
        return "ris"
    if csljson.looks_like(text):
        return "csljson"
    if ext in _REFUSED and ext != ".json":
        raise not_readable(name, _REFUSED[ext])
    web_page = bool(re.match(r"<(!doctype|html|\?xml|head|body)", stripped, re.I))
    by_name = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".json": "csljson",
               ".ris": "ris"}.get(ext)
    if by_name:
        return by_name  # the reader says what is wrong with it, if anything
    if ext in (".html", ".htm", ".xhtml") or web_page:
        raise not_readable(name or "the file",
                           "a web page, not a bookmark export. In your browser, use "
                           "'Export bookmarks' to make an export file")
    if ext not in (".txt", ".text", ".list") and stripped[:1] in "[{":
        return "csljson"
    if _tabular(text):
        return "csv"
    if _WEB.search(text) or ext in (".txt", ".text", ".list", ".url", ""):
        return "urllist"
    raise not_readable(name or "the file")
