"""A plain list of web addresses: pasted into a box, or a .txt file, one per line.

Blank lines and lines starting with ``#`` are left out. A line may carry words around
its address ("NICE guideline: https://..."): the address is taken out and the words
become the title. A line with no address in it comes back as a row whose ``url`` is
the line itself, so the preview can say why it was not imported.
"""

from __future__ import annotations

import re

from curator.importing.formats.rows import MAX_ROWS, ImportRow, one_line, tidy_url, too_many_rows

_WEB = re.compile(r"https?://[^\s<>\"']+", re.I)
_TRAILING = ".,;:!?)]}>'\""


def _cut(url: str) -> str:
    # A closing bracket belongs to the address only when it opened one (Wikipedia).
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def parse(text: str, name: str = "The list") -> list[ImportRow]:
    rows: list[ImportRow] = []
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("#"):
            continue
        if len(rows) >= MAX_ROWS:
            raise too_many_rows(name)
        m = _WEB.search(stripped)
        if m:
            url = _cut(m.group(0))
            rest = (stripped[:m.start()] + " " + stripped[m.start() + len(url):])
            title = re.sub(r"\(\s*\)|\[\s*\]|<\s*>|\"\s*\"", " ", one_line(rest))
            title = one_line(title).strip(" -–—:|,;.")
            if not any(ch.isalnum() for ch in title):
                title = ""
            rows.append(ImportRow(position=n, url=url, title=title, raw={"line": line}))
        else:
            first = stripped.split()[0]
            url = tidy_url(first if "." in first or ":" in first else stripped)
            title = one_line(stripped[len(first):]) if url == tidy_url(first) else ""
            rows.append(ImportRow(position=n, url=url, title=title, raw={"line": line}))
    return rows
