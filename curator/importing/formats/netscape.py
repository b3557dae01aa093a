"""Browser bookmark exports in the Netscape format (Chrome, Edge, Firefox, Safari, ...).

The format is loose HTML: ``<DL>`` lists hold ``<DT>`` entries, each a folder
(``<H3>name</H3>`` followed by its own ``<DL>``) or a bookmark (``<A HREF=...>title</A>``),
optionally followed by a ``<DD>`` description. Real exports leave tags unclosed, put
several entries on one line, or write links *inside* a description, so this reads
the file as a stream of tags rather than as a document tree: a link inside a ``<DD>``
is part of the description, not another bookmark.

Each bookmark becomes an :class:`ImportRow` numbered in file order; its folders (from
the outermost in) are the ``themes_hint`` (browser root folders such as "Bookmarks bar"
are left out), its ``TAGS`` attribute gives tags, and its description gives notes.
"""

from __future__ import annotations

import html
import re

from curator.importing.formats.rows import (
    MAX_ROWS,
    ImportRow,
    epoch_to_date,
    one_line,
    strip_markup,
    tidy_block,
    tidy_url,
    too_many_rows,
)

_TAG = re.compile(r"<(/?)(DL|DD|DT|H3|A|HR)\b([^>]*)>", re.I)
_END_A = re.compile(r"</A\s*>|(?=<(?:DT|DD|/?DL|H3)\b)", re.I)
_END_H3 = re.compile(r"</H3\s*>|(?=<(?:DT|DD|/?DL)\b)", re.I)
_END_DD = re.compile(r"<(?:DT|/?DL|H3|HR)\b", re.I)
_ATTR = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")

#: Folders every browser puts at the top; they say nothing about the links in them.
ROOT_FOLDERS = frozenset(n.casefold() for n in (
    "Bookmarks", "Bookmarks bar", "Bookmarks Toolbar", "Bookmarks Menu", "Other bookmarks",
    "Other Bookmarks", "Mobile bookmarks", "Mobile Bookmarks", "Favorites", "Favourites",
    "Favorites bar", "Favourites bar", "Other favorites", "Other favourites",
    "BookmarksBar", "BookmarksMenu", "Reading List", "com.apple.ReadingList",
    "Unsorted Bookmarks", "Unlabeled", "Imported", "Imported bookmarks",
    "Imported from Chrome", "Imported from Edge", "Imported from Firefox",
    "Imported from Safari", "Imported From Internet Explorer", "Links", "Lesezeichen",
    "Signets", "Favoris", "Barre de favoris", "Menu Signets"))
_ROOT_ATTRS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")


def looks_like(text: str) -> bool:
    """Is this text a Netscape bookmark export (and not some other web page)?"""
    head = text[:4096].lower()
    if "netscape-bookmark-file" in head:
        return True
    return bool(re.search(r"<dt>\s*<(a|h3)\b", text[:200_000], re.I)) and "<dl" in head


def attributes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text or ""):
        value = m.group(2) if m.group(2) is not None else (
            m.group(3) if m.group(3) is not None else m.group(4))
        out.setdefault(m.group(1).lower(), html.unescape(value))
    return out


def _split_tags(value: str) -> list[str]:
    parts = value.split(",") if "," in value else value.split()
    return [t for t in (one_line(p) for p in parts) if t]


def parse(text: str, name: str = "The file") -> list[ImportRow]:
    """Every bookmark in the export, in file order. Never raises over a bad entry."""
    rows: list[ImportRow] = []
    stack: list[str | None] = []
    pending_folder: str | None = None
    last_was_bookmark = False
    pos = 0
    while True:
        m = _TAG.search(text, pos)
        if m is None:
            break
        closing, tag, attrs_text = m.group(1), m.group(2).upper(), m.group(3)
        pos = m.end()
        if tag == "A" and not closing:
            end = _END_A.search(text, pos)
            stop = end.start() if end else len(text)
            title_html = text[pos:stop]
            pos = end.end() if end else len(text)
            if len(rows) >= MAX_ROWS:
                raise too_many_rows(name)
            rows.append(_bookmark(len(rows) + 1, attributes(attrs_text), title_html,
                                  [f for f in stack if f]))
            last_was_bookmark = True
        elif tag == "H3" and not closing:
            end = _END_H3.search(text, pos)
            stop = end.start() if end else len(text)
            folder = one_line(strip_markup(text[pos:stop]))
            attrs = attributes(attrs_text)
            if folder.casefold() in ROOT_FOLDERS or any(a in attrs for a in _ROOT_ATTRS):
                folder = ""
            pending_folder = folder or None
            pos = end.end() if end else len(text)
            last_was_bookmark = False
        elif tag == "DL":
            if closing:
                if stack:
                    stack.pop()
            else:
                stack.append(pending_folder)
                pending_folder = None
            last_was_bookmark = False
        elif tag == "DD" and not closing:
            end = _END_DD.search(text, pos)
            stop = end.start() if end else len(text)
            description = tidy_block(strip_markup(text[pos:stop]))
            if last_was_bookmark and description and rows:
                row = rows[-1]
                row.notes = f"{row.notes}\n\n{description}" if row.notes else description
            pos = stop
        elif tag == "HR":
            last_was_bookmark = False
    return rows


def _bookmark(position: int, attrs: dict[str, str], title_html: str,
              folders: list[str]) -> ImportRow:
    url = tidy_url(attrs.get("href", ""))
    row = ImportRow(position=position, url=url,
                    title=one_line(strip_markup(title_html)),
                    notes=tidy_block(attrs.get("description", "")),
                    tags=_split_tags(attrs.get("tags", "")),
                    themes_hint=list(folders))
    raw = {k: attrs[k] for k in ("add_date", "last_modified", "private") if k in attrs}
    if attrs.get("add_date"):
        raw["added"] = epoch_to_date(attrs["add_date"])
    if folders:
        raw["folder"] = " / ".join(folders)
    row.raw = raw
    if not url:
        row.error = "This bookmark has no web address."
    return row
