"""Who wrote a page: authors from structured metadata, else the visible byline.

Structured sources (JSON-LD, citation tags, ``<meta name=author>``) come first; a
byline on the page is read when they are missing or only name the site itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import jsonld as jl
from .authors import clean_authors, clean_name
from .htmltree import in_furniture, marker, text_of
from .titles import norm

if TYPE_CHECKING:
    from .metatags import MetaTags

_BYLINE_CLASS = re.compile(
    r"(^|[\s_-])(byline\w*|by-line|author\w*|writer|writtenby|dateline|"
    r"contributor\w*|p-author|article-author|post-author|entry-author|vcard)($|[\s_-])",
    re.I,
)
_BYLINE_SKIP = re.compile(
    r"(bio|avatar|img|image|photo|description|about|box|more|social|follow|info)", re.I
)
_BY_TEXT = re.compile(
    r"^(?:[^|•·]{0,30}[|•·]\s*)?(?:by|von|par|por|door)\s*:?\s+((?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s*){1,4}"
    r"(?:(?:,|and|&|und)\s+(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s*){1,4})*)",
)


_BY_START = re.compile(r"(by|von|par|por|door)\b", re.I)


def _page_byline(root: etree._Element) -> list[str]:
    """Names from visible bylines: rel=author links, itemprop=author, byline classes."""
    body = root.find("body")
    if body is None:
        return []
    for el in body.iter("a", "span", "div", "p", "address", "li"):
        if el.get("rel", "").lower() == "author" or el.get("itemprop") == "author":
            name_el = el.find(".//*[@itemprop='name']")
            t = text_of(name_el if name_el is not None else el)
            name = clean_name(t)
            if name and len(t) < 80:
                return [name]
    count = 0
    for el in body.iter("a", "span", "div", "p", "address", "li", "strong", "b", "section"):
        cls = marker(el)
        if not _BYLINE_CLASS.search(cls) or _BYLINE_SKIP.search(cls):
            continue
        count += 1
        if count > 30:
            break
        t = text_of(el)
        if not t or len(t) > 80 or in_furniture(el):
            continue
        # Prefer a linked name ("By <a>Jane Doe</a> | 9 May"); else words spaced by tags.
        link_names = clean_authors([text_of(a) for a in el.iter("a")][:3])
        if link_names:
            return link_names
        t = " ".join(" ".join(el.itertext()).split())
        names = clean_authors([t])
        if names:
            return names
    # Last resort: a short "By Jane Doe" line near the top of the page.
    count = 0
    for el in body.iter("p", "span", "div", "li", "address"):
        # Cheap pre-check on the element's first words before joining its text.
        head = (el.text or "").strip()
        if not head and len(el):
            head = (el[0].text or "").strip()
        if not head or not (_BY_START.match(head) or "|" in head[:30]):
            continue
        t = text_of(el)
        if not t or len(t) > 60:
            continue
        m = _BY_TEXT.match(" ".join(" ".join(el.itertext()).split()))
        if not m:
            continue
        count += 1
        if count > 10:
            break
        if in_furniture(el):
            continue
        names = clean_authors([m.group(1)])
        if names:
            return names
    return []


def choose_authors(
    meta: MetaTags, ld: jl.JsonLd, main: dict[str, Any] | None, root: etree._Element,
    sites: list[str],
) -> list[str]:
    candidates: list[list[str]] = []
    if main:
        candidates.append(clean_authors(jl.names_of(ld, main.get("author")), split=False))
    cites = meta.all("citation_author", "dc.creator", "dcterms.creator", "dc:creator")
    if meta.values.get("citation_author"):
        cites = meta.all("citation_author")
    candidates.append(clean_authors(cites, split=False))
    for keys in (
        (
            "author",
            "article:author",
            "og:article:author",
            "article:author_name",
            "parsely-author",
            "sailthru.author",
            "byl",
            "twitter:creator:name",
            "citation_authors",
        ),
    ):
        vals = [v for v in meta.all(*keys) if not v.lower().startswith(("http", "www."))]
        candidates.append(clean_authors(vals[:1]))
    if main is None:
        for node in ld.of_types(jl.ARTICLE_TYPES | jl.PAGE_TYPES | jl.WORK_TYPES):
            names = clean_authors(jl.names_of(ld, node.get("author")), split=False)
            if names:
                candidates.append(names)
                break
    site_names = {norm(s) for s in sites if s}
    fallback: list[str] = []
    for names in candidates:
        if names:
            if all(norm(n) in site_names for n in names):
                # "Author: Madame Figaro" is the brand, not a writer; prefer a byline.
                fallback = fallback or names
                continue
            return names
    return _page_byline(root) or fallback
