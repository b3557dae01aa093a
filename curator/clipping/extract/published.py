"""When a page was published: metadata dates first, then the date in its address,
then dates shown on the page (a ``<time>``, a dated byline, a "last edited" footer).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import jsonld as jl
from .dates import date_from_url, parse_date
from .htmltree import IN_COMMENTS, in_furniture, marker
from .updated import PUBLISHED_LABEL, PUBLISHED_LABEL_ONLY, labelled_date

if TYPE_CHECKING:
    from .metatags import MetaTags

_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "og:published_time",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "dc:date",
    "dc:date.created",
    "prism.publicationdate",
    "parsely-pub-date",
    "sailthru.date",
    "datepublished",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "publication_date",
    "pub_date",
    "date",
    "created",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "og:pubdate",
    "datecreated",
    "dc.created",
    "dcterms.available",
)


_DATE_MARKER = re.compile(
    r"date|time|publish|posted|dateline|byline|author|meta|fecha|datum|rubric", re.I
)
_PUBLISH_MARKER = re.compile(
    r"publish|posted|pubdate|entry-date|post-date|date-header|created", re.I
)
_UPDATE_MARKER = re.compile(r"modif|updat|edited|revis|comment|join|birth|member since", re.I)


def _in_article(el: etree._Element) -> bool:
    p = el.getparent()
    depth = 0
    while p is not None and depth < 12:
        if p.tag in ("article", "main") or (p.get("role") or "").lower() == "main":
            return True
        p = p.getparent()
        depth += 1
    return False


def _page_dates(root: etree._Element, dayfirst: bool) -> tuple[str | None, str | None]:
    """Dates shown on the page: ``<time>``, microdata, and short date-like elements.

    Returns (marked, plain): the first element marked as a publication date, and
    otherwise the first date that is not labelled as an update, preferring one inside
    the article (or main) over one elsewhere.  Comment timestamps are skipped.
    """
    body = root.find("body")
    if body is None:
        return None, None
    plain: str | None = None
    plain_in_article: str | None = None
    seen = 0
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        seen += 1
        if seen > 20000:
            break
        itemprop = (el.get("itemprop") or "").lower()
        mark = marker(el)
        is_time = el.tag == "time"
        is_prop = itemprop in ("datepublished", "datecreated", "dateposted")
        if not (is_time or is_prop or (mark and _DATE_MARKER.search(mark))):
            continue
        raw = el.get("datetime") or el.get("content")
        text = None
        if not raw:
            text = " ".join(" ".join(el.itertext()).split())
            if len(text) > 100:
                continue
            raw = text or el.get("title")
        d = parse_date(raw, dayfirst=dayfirst)
        if not d and el.get("title"):
            d = parse_date(el.get("title"), dayfirst=dayfirst)
        if not d:
            continue
        label = mark + " " + (text or "")[:40]
        if _UPDATE_MARKER.search(label) or in_furniture(el, IN_COMMENTS):
            continue
        if is_prop or el.get("pubdate") is not None or _PUBLISH_MARKER.search(mark):
            return d, None
        if plain is None:
            plain = d
        if plain_in_article is None and _in_article(el):
            plain_in_article = d
    return None, plain_in_article or plain


def _last_modified(root: etree._Element) -> str | None:
    """Wiki-style "This page was last edited on ..." footers: better than no date."""
    for el in root.iter("li", "div", "p", "span"):
        mark = (el.get("id") or "") + " " + (el.get("class") or "")
        if "lastmod" in mark.lower() or "last-modified" in mark.lower():
            d = parse_date(" ".join(" ".join(el.itertext()).split())[:150])
            if d:
                return d
    return None


def choose_published(
    meta: MetaTags,
    ld: jl.JsonLd,
    main: dict[str, Any] | None,
    root: etree._Element,
    url: str,
    language: str | None,
) -> str | None:
    lang = (language or "").lower()
    dayfirst = bool(lang) and lang not in ("en", "en-us")
    cands: list[str | None] = []
    if main:
        cands.append(jl.text_value(main.get("datePublished")))
    cands.extend(meta.all(*_DATE_META))
    # Nodes without a headline/name are often half-filled templates: trust them less.
    for node in ld.nodes:
        if node is not main and (jl.types_of(node) & (jl.ARTICLE_TYPES | jl.PAGE_TYPES)):
            cands.append(jl.text_value(node.get("datePublished")))
    if main:
        cands.append(jl.text_value(main.get("dateCreated")))
    from_url = date_from_url(url)
    if from_url:
        # A full date in the URL path is fixed when the article is created, while
        # metadata dates are often rewritten by the CMS on every edit or migration.
        return from_url
    for c in cands:
        d = parse_date(c, dayfirst=dayfirst)
        if d:
            return d
    marked, plain = _page_dates(root, dayfirst)
    return (
        marked
        or labelled_date(root, PUBLISHED_LABEL, PUBLISHED_LABEL_ONLY, dayfirst)
        or plain
        or _last_modified(root)
    )
