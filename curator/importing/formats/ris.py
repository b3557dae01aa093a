"""RIS reference files, as Zotero, Mendeley, EndNote and library catalogues export them.

Each record is a run of ``XX  - value`` lines from ``TY`` to ``ER``; a line without a tag
continues the value above it. The web address is the first http(s) address in ``UR``
(then ``L2``, ``L1``, ``LK``), else the DOI (``DO``) as a doi.org link. Keywords become
tags, notes (``N1``) notes, the abstract (``AB``/``N2``) the summary.
"""

from __future__ import annotations

import re

from curator.importing.formats.rows import (
    MAX_ROWS,
    ImportFileError,
    ImportRow,
    one_line,
    parse_date,
    split_list,
    strip_markup,
    tidy_block,
    tidy_url,
    too_many_rows,
)

_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*)|)$")
_DOI = re.compile(r"(10\.\d{4,9}/\S+)")
_URL_SPLIT = re.compile(r"[;\s]+")


def looks_like(text: str) -> bool:
    lines = [ln for ln in text[:20_000].splitlines() if ln.strip()][:40]
    return any(ln.startswith("TY  -") for ln in lines) and sum(
        bool(_LINE.match(ln)) for ln in lines) >= max(2, len(lines) // 2)


def doi_url(value: str) -> str:
    m = _DOI.search(value or "")
    return f"https://doi.org/{m.group(1).rstrip('.,;')}" if m else ""


def _records(text: str):
    fields: list[tuple[str, str]] = []
    start = 0
    for n, line in enumerate(text.splitlines(), 1):
        m = _LINE.match(line.rstrip())
        if m:
            tag, value = m.group(1), (m.group(2) or "").strip()
            if tag == "TY":
                if fields:
                    yield start, fields
                fields, start = [], n
            if tag == "ER":
                if fields:
                    yield start, fields
                fields = []
                continue
            if not fields:
                start = n
            fields.append((tag, value))
        elif fields and line.strip():
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value}\n{line.strip()}")
    if fields:
        yield start, fields


def _date(values: list[str]) -> str | None:
    for value in values:
        parts = [p for p in value.strip().split("/")]
        if len(parts) > 1 and parts[0].strip().isdigit():
            nums = [p.strip() for p in parts[:3]]
            text = "-".join(p.zfill(2) if i else p for i, p in enumerate(nums) if p.isdigit())
            date = parse_date(text)
        else:
            date = parse_date(value)
        if date:
            return date
    return None


def parse(text: str, name: str = "The file") -> list[ImportRow]:
    if not looks_like(text):
        raise ImportFileError(
            f"{name} is not a RIS reference file: it has no 'TY  - ' lines. Export again from "
            "your reference manager and choose RIS.")
    rows: list[ImportRow] = []
    for start, fields in _records(text):
        if len(rows) >= MAX_ROWS:
            raise too_many_rows(name)
        by: dict[str, list[str]] = {}
        for tag, value in fields:
            by.setdefault(tag, []).append(value)

        def first(*tags: str, by: dict = by) -> str:
            return next((v for t in tags for v in by.get(t, []) if v.strip()), "")
        links = [tidy_url(u) for t in ("UR", "L2", "L1", "LK") for v in by.get(t, [])
                 for u in _URL_SPLIT.split(v) if u.strip()]
        url = next((u for u in links if u.lower().startswith(("http://", "https://"))), "")
        doi = doi_url(first("DO"))
        url = url or doi or (links[0] if links else "")
        row = ImportRow(
            position=start, url=url,
            title=one_line(first("TI", "T1", "CT", "BT", "T2")),
            notes=tidy_block(strip_markup("\n\n".join(by.get("N1", [])))),
            summary=tidy_block(first("AB", "N2")),
            tags=split_list(by.get("KW", []), ";"),
            author="; ".join(one_line(a) for a in by.get("AU", []) + by.get("A1", [])
                             if one_line(a)),
            published=_date(by.get("PY", []) + by.get("Y1", []) + by.get("DA", [])),
            raw={"type": first("TY"), "doi": first("DO"), "journal": first("T2", "JO", "JF"),
                 "publisher": first("PB")})
        if not url:
            row.error = "This reference has no web address or DOI."
        rows.append(row)
    return rows
