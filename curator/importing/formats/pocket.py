"""The HTML file Pocket's export gave its users.

It is a plain web page titled "Pocket Export": an ``<h1>`` for each list ("Unread",
"Read Archive") followed by a ``<ul>`` of ``<li><a href="..." time_added="..."
tags="a,b">title</a></li>``.  Each link becomes an :class:`ImportRow` in file order with
its tags and the date it was saved; the list it was in is kept in ``raw`` (it is not a
theme).  Like the other readers this never raises over a bad entry.
"""

from __future__ import annotations

import re

from curator.importing.formats.netscape import attributes
from curator.importing.formats.rows import (
    MAX_ROWS,
    ImportRow,
    epoch_to_date,
    one_line,
    strip_markup,
    too_many_rows,
    tidy_url,
)

_TAG = re.compile(r"<(/?)(A|H1|H2)\b([^>]*)>", re.I)
_END_A = re.compile(r"</A\s*>|(?=<(?:LI|/?UL|H1|H2)\b)", re.I)
_END_H = re.compile(r"</H[12]\s*>", re.I)


def looks_like(text: str) -> bool:
    """Is this text a Pocket export (and not some other web page)?"""
    head = text[:4096]
    if re.search(r"<title>\s*Pocket Export\s*</title>", head, re.I):
        return True
    return bool(re.search(r"<li>\s*<a\s[^>]*\btime_added\s*=", text[:200_000], re.I))


def _tags(value: str) -> list[str]:
    return [t for t in (one_line(p) for p in value.split(",")) if t]


def parse(text: str, name: str = "The file") -> list[ImportRow]:
    rows: list[ImportRow] = []
    section = ""
    pos = 0
    while True:
        m = _TAG.search(text, pos)
        if m is None:
            break
        closing, tag, attrs_text = m.group(1), m.group(2).upper(), m.group(3)
        pos = m.end()
        if closing:
            continue
        if tag in ("H1", "H2"):
            end = _END_H.search(text, pos)
            stop = end.start() if end else len(text)
            section = one_line(strip_markup(text[pos:stop]))[:80]
            pos = end.end() if end else len(text)
            continue
        end = _END_A.search(text, pos)
        stop = end.start() if end else len(text)
        title_html = text[pos:stop]
        pos = end.end() if end else len(text)
        if len(rows) >= MAX_ROWS:
            raise too_many_rows(name)
        attrs = attributes(attrs_text)
        url = tidy_url(attrs.get("href", ""))
        title = one_line(strip_markup(title_html))
        row = ImportRow(position=len(rows) + 1, url=url,
                        title="" if title == url else title,
                        tags=_tags(attrs.get("tags", "")))
        raw = {}
        if attrs.get("time_added"):
            raw["time_added"] = attrs["time_added"]
            raw["added"] = epoch_to_date(attrs["time_added"])
        if section:
            raw["list"] = section
        row.raw = raw
        if not url:
            row.error = "This saved item has no web address."
        rows.append(row)
    return rows
