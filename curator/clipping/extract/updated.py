"""When a page says it was last updated, kept apart from when it was published.

Guidance pages (GOV.UK and its many imitators) carry both a published and a "last
updated" date, and review needs the second: a page updated after an expert last confirmed
it may no longer say what they confirmed.  Sources, most explicit first: the article's
JSON-LD ``dateModified``, modification meta tags, then a visible line on the page
("Updated 12 January 2025", "Last updated: 3 March 2024", a ``<dt>Last updated</dt>``
pair).  Dates are kept as the publisher wrote them (see :mod:`.dates`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import jsonld as jl
from .dates import parse_date
from .htmltree import IN_COMMENTS, in_furniture

if TYPE_CHECKING:
    from .metatags import MetaTags

_MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "article:modified",
    "og:updated_time",
    "modified_time",
    "dcterms.modified",
    "dc.date.modified",
    "dc.modified",
    "last-modified",
    "lastmod",
    "datemodified",
    "revised",
    "last-updated",
)

#: A visible label, then the date: "Updated 12 January 2025", "Last updated: 3/3/2024",
#: "Page last updated on 4 May 2023", "Last modified 2024-01-02", "Revised March 2 2021".
_LABEL = re.compile(
    r"^\s*(?:page\s+|this\s+page\s+was\s+)?(?:last\s+)?(?:updated|modified|revised|edited)"
    r"(?:\s+(?:on|at))?\s*[:\-\u2013\u2014]?\s*(?P<rest>.*)$",
    re.I | re.S,
)
_LABEL_ONLY = re.compile(
    r"^\s*(?:page\s+)?(?:last\s+)?(?:updated|modified|revised)(?:\s+on)?\s*:?\s*$", re.I
)
#: The same for the publication date: "Published 5 March 2019", "First published: ...".
PUBLISHED_LABEL = re.compile(
    r"^\s*(?:first\s+)?(?:published|posted|date\s+published|publication\s+date)"
    r"(?:\s+(?:on|at))?\s*[:\-\u2013\u2014]?\s*(?P<rest>.*)$",
    re.I | re.S,
)
PUBLISHED_LABEL_ONLY = re.compile(
    r"^\s*(?:first\s+)?(?:published|posted|date\s+published|publication\s+date)"
    r"(?:\s+on)?\s*:?\s*$",
    re.I,
)
_STARTS = re.compile(r"(?i)\W*(page|this|last|upd|mod|rev|edi|first|pub|post|date)")
_MAX_LINE = 120
_MAX_ELEMENTS = 20000


def _text(el: etree._Element) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _next_element(el: etree._Element) -> etree._Element | None:
    sib = el.getnext()
    while sib is not None and not isinstance(sib.tag, str):
        sib = sib.getnext()
    return sib


def visible_updated(root: etree._Element, dayfirst: bool = True) -> str | None:
    """A date from a visible "Updated ..." / "Last updated" line, outside comments."""
    return labelled_date(root, _LABEL, _LABEL_ONLY, dayfirst)


def labelled_date(
    root: etree._Element, label: re.Pattern[str], label_only: re.Pattern[str], dayfirst: bool
) -> str | None:
    """The first date that follows a visible *label* (in the same element, its tail or
    the next element), outside comments and related articles."""
    body = root.find("body")
    if body is None:
        return None
    seen = 0
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "a"):
            continue
        seen += 1
        if seen > _MAX_ELEMENTS:
            break
        head = (el.text or "").strip()
        if not head or len(head) > _MAX_LINE or not _STARTS.match(head):
            continue
        if label_only.match(head) and not len(el):
            # <dt>Last updated</dt><dd>12 January 2025</dd>, <span>Updated:</span> <time>
            sib = _next_element(el)
            d = None
            if el.tail and el.tail.strip():
                d = parse_date(el.tail.strip()[:80], dayfirst=dayfirst)
            if not d and sib is not None:
                d = parse_date((sib.get("datetime") or _text(sib))[:_MAX_LINE], dayfirst=dayfirst)
            if d and not in_furniture(el, IN_COMMENTS):
                return d
            continue
        line = _text(el)
        if len(line) > _MAX_LINE:
            continue
        m = label.match(line)
        if not m:
            continue
        rest = m.group("rest")
        timed = el.find(".//time[@datetime]")
        d = parse_date(timed.get("datetime"), dayfirst=dayfirst) if timed is not None else None
        d = d or parse_date(rest[:80], dayfirst=dayfirst)
        if d and not in_furniture(el, IN_COMMENTS):
            return d
    return None


def choose_updated(
    meta: MetaTags,
    ld: jl.JsonLd,
    main: dict[str, Any] | None,
    root: etree._Element,
    published: str | None,
    dayfirst: bool,
) -> str | None:
    """The page's "last updated" date, or None when it states none that is later than
    its publication date (a modified date equal to the published one says nothing)."""
    cands: list[str | None] = []
    if main:
        cands.append(jl.text_value(main.get("dateModified")))
    cands.extend(meta.all(*_MODIFIED_META))
    found: str | None = None
    for c in cands:
        found = parse_date(c, dayfirst=dayfirst)
        if found:
            break
    if not found:
        found = visible_updated(root, dayfirst)
    if not found or (published and found <= published):
        return None
    return found
