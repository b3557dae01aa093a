"""What every importer produces: one :class:`ImportRow` per link found in a file.

Parsers never raise over one bad row: the row comes back with ``error`` set and the
import report says why. Only a file that cannot be read at all raises
:class:`ImportFileError`, with a message the person can act on.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from curator.base.errors import CuratorError

#: The most bytes read from one file. Bookmark exports and reading lists are far smaller;
#: anything bigger is the wrong file.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most links one import takes. Above this the person is asked to split the file.
MAX_ROWS = 50_000


class ImportFileError(CuratorError):
    """The file as a whole cannot be read as any collection Curator imports."""


def too_many_rows(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} has more than {MAX_ROWS:,} links; Curator imports up to {MAX_ROWS:,} at a "
        "time. Split the file into smaller parts and import each one.")


@dataclass
class ImportRow:
    """One link read from a file, before it is checked against the library.

    ``position`` is the line number (spreadsheets, RIS, URL lists) or the entry number
    (bookmarks, CSL-JSON) that the report quotes, so the person can find the row.
    ``themes_hint`` holds folder names or theme-column values: they become themes when
    they name one of the library's themes, and tags otherwise.
    """

    position: int
    url: str
    title: str = ""
    notes: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    themes_hint: list[str] = field(default_factory=list)
    published: str | None = None
    author: str = ""
    raw: dict = field(default_factory=dict)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


# -- small helpers the parsers share ------------------------------------------------------
_TAG_RE = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


def one_line(text: object) -> str:
    """Text on one line with single spaces (titles, authors, tags)."""
    return " ".join(str(text or "").replace("\x00", "").split())


def tidy_block(text: object) -> str:
    """Multi-line text (notes) with trailing spaces and runs of blank lines removed."""
    lines = [_SPACES.sub(" ", ln).rstrip() for ln in
             str(text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
             .split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def strip_markup(fragment: str) -> str:
    """Visible text of a small HTML fragment (a bookmark title or description)."""
    return html.unescape(_TAG_RE.sub("", fragment or ""))


def tidy_url(text: object) -> str:
    """The address as written, without the wrapping people paste around it."""
    url = str(text or "").strip().replace("\x00", "")
    while len(url) >= 2 and (url[0], url[-1]) in (("<", ">"), ('"', '"'), ("'", "'"),
                                                   ("(", ")"), ("[", "]")):
        url = url[1:-1].strip()
    return url


def split_list(text: object, seps: str = ",;|") -> list[str]:
    """Split a cell of tags or themes at any of the separators in *seps*."""
    if isinstance(text, list | tuple):
        items: list[str] = []
        for t in text:
            items.extend(split_list(t, seps))
        return items
    value = str(text or "")
    parts = re.split("|".join(re.escape(s) for s in seps), value) if seps else [value]
    return [one_line(v) for v in parts if one_line(v)]


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ].*)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?,?\s+(\d{4})$")


def _valid(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d:
            return dt.date(y, m or 1, d).isoformat()
        if m:
            dt.date(y, m, 1)
            return f"{y:04d}-{m:02d}"
        return f"{y:04d}" if 1000 <= y <= 2999 else None
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """A publication date as YYYY-MM-DD, YYYY-MM or YYYY, or None when it is not one.

    Reads ISO dates, UK day-first dates (03/04/2021 is 3 April), "March 2021", a bare
    year, and the date objects spreadsheets give. Never raises.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        year = int(value)
        return _valid(year) if value == year else None
    text = one_line(value).strip(" .")
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(g) if g else None for g in m.groups())
        return _valid(y, mo, d)
    m = _DMY.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return _valid(y, mo, d)
    m = _MONTH_YEAR.match(text)
    if m and m.group(1)[:3].lower() in _MONTHS:
        return _valid(int(m.group(2)), _MONTHS[m.group(1)[:3].lower()])
    try:
        from dateutil import parser as dparser

        parsed = dparser.parse(text, dayfirst=True, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.year == 1900:
        return None
    return parsed.date().isoformat()


def epoch_to_date(value: object) -> str | None:
    """A bookmark's ADD_DATE (seconds, or microseconds from some exporters) as a date."""
    text = str(value or "").strip()
    if not text.isdigit():
        return parse_date(text)
    n = int(text)
    while n > 10_000_000_000:  # milliseconds or microseconds
        n //= 1000
    try:
        return dt.datetime.fromtimestamp(n, dt.UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None
