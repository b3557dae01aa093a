"""Hyperlinks behind Excel cells: "Click here" or a title that links to the page.

openpyxl's read-only mode gives cell values only, so the links are read from the
workbook's parts directly: the sheet's ``<hyperlink ref="B2" r:id="rId3"/>`` entries and
the external targets they point to in the sheet's relationships. Only web links are
kept; links to places inside the workbook are not.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
MAX_LINKS = 200_000


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _cells(ref: str) -> list[tuple[int, int]]:
    parts = ref.upper().split(":")
    ends = [_REF.match(p) for p in parts]
    if not all(ends):
        return []
    (c1, r1), (c2, r2) = ((_col(m.group(1)), int(m.group(2))) for m in (ends[0], ends[-1]))
    if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
        return []
    return [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in zf.namelist():
        return {}
    root = etree.fromstring(zf.read(rels_name), etree.XMLParser(resolve_entities=False))
    return {r.get("Id"): (r.get("Target") or "", r.get("TargetMode") or "")
            for r in root.iter(f"{{{_PKG}}}Relationship")}


def sheet_hyperlinks(data: bytes, sheet_title: str) -> dict[tuple[int, int], str]:
    """``{(row, column): url}`` for the web links on the named sheet (rows from 1,
    columns from 0). Empty when there are none or the parts cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parser = etree.XMLParser(resolve_entities=False, huge_tree=False)
            book = etree.fromstring(zf.read("xl/workbook.xml"), parser)
            rid = next((s.get(f"{{{_REL}}}id") for s in book.iter(f"{{{_MAIN}}}sheet")
                        if s.get("name") == sheet_title), None)
            target = _rels(zf, "xl/workbook.xml").get(rid or "", ("", ""))[0]
            if not target:
                return {}
            part = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))
            links = _rels(zf, part)
            out: dict[tuple[int, int], str] = {}
            with zf.open(part) as fh:
                for _, el in etree.iterparse(fh, tag=f"{{{_MAIN}}}hyperlink",
                                             resolve_entities=False):
                    url, mode = links.get(el.get(f"{{{_REL}}}id") or "", ("", ""))
                    if mode == "External" and url.lower().startswith(("http://", "https://")):
                        for cell in _cells(el.get("ref") or ""):
                            out[cell] = url
                    el.clear()
                    if len(out) > MAX_LINKS:
                        break
            return out
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return {}
