"""CSL-JSON: the reference format Zotero, Mendeley and citation tools share.

A file is a JSON list of items (an object holding ``items`` is accepted too). The web
address is ``URL``, else the ``DOI`` as a doi.org link; authors come from ``author``
(family and given names, or a literal name), the date from ``issued``, tags from
``keyword``, notes from ``note`` and the summary from ``abstract``.
"""

from __future__ import annotations

import json

from curator.importing.formats.ris import doi_url
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


def looks_like(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("[") and ('"type"' in head or '"title"' in head or head == "[]") \
        or head.startswith("{") and ('"items"' in head or '"URL"' in head)


def _names(people) -> str:
    out = []
    for p in people if isinstance(people, list) else []:
        if isinstance(p, dict):
            name = p.get("literal") or " ".join(
                str(p.get(k) or "") for k in ("given", "non-dropping-particle", "family"))
            if one_line(name):
                out.append(one_line(name))
        elif isinstance(p, str) and one_line(p):
            out.append(one_line(p))
    return "; ".join(out)


def _issued(value) -> str | None:
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                nums = [int(str(p)) for p in parts[0][:3]]
            except ValueError:
                nums = []
            if nums:
                text = "-".join([f"{nums[0]:04d}"] + [f"{n:02d}" for n in nums[1:]])
                return parse_date(text)
        for key in ("raw", "literal"):
            if value.get(key):
                return parse_date(value[key])
        return None
    return parse_date(value) if isinstance(value, str | int) else None


def parse(text: str, name: str = "The file") -> list[ImportRow]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ImportFileError(
            f"{name} is not valid JSON{where}, so it cannot be read as a CSL-JSON reference "
            "list. Export again from your reference manager and choose CSL JSON.",
            detail=str(exc)) from None
    if isinstance(data, dict):
        data = data.get("items", [data] if ("URL" in data or "DOI" in data) else None)
    if not isinstance(data, list):
        raise ImportFileError(
            f"{name} is JSON but not a CSL-JSON reference list (it should be a list of "
            "references). Export again and choose CSL JSON.")
    if len(data) > MAX_ROWS:
        raise too_many_rows(name)
    rows: list[ImportRow] = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            rows.append(ImportRow(position=n, url="", error="This entry is not a reference."))
            continue
        url = tidy_url(item.get("URL") if isinstance(item.get("URL"), str) else "")
        doi = item.get("DOI") if isinstance(item.get("DOI"), str) else ""
        url = url or doi_url(doi)
        keywords = item.get("keyword") or item.get("keywords") or ""
        row = ImportRow(
            position=n, url=url, title=one_line(item.get("title") or ""),
            notes=tidy_block(strip_markup(str(item.get("note") or ""))),
            summary=tidy_block(str(item.get("abstract") or "")),
            tags=split_list(keywords, ",;"),
            author=_names(item.get("author")) or _names(item.get("editor")),
            published=_issued(item.get("issued")),
            raw={"type": str(item.get("type") or ""), "doi": doi, "id": str(item.get("id", "")),
                 "journal": str(item.get("container-title") or ""),
                 "publisher": str(item.get("publisher") or "")})
        if not url:
            row.error = "This reference has no web address or DOI."
        rows.append(row)
    return rows
