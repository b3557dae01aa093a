"""Collect page metadata from every source a publisher might use, then choose.

Sources, most explicit first: schema.org JSON-LD, Highwire ``citation_*`` tags (journal
articles), OpenGraph / article:*, Dublin Core, Twitter cards, Parse.ly and generic
``<meta name>`` tags, microdata, then the visible page (headings, bylines, ``<time>``)
and finally the URL.  Each field takes the first plausible value in its own priority
order; a few cross-checks catch common publisher mistakes (a "headline" that is really
a category, an author that is a Facebook URL, a site name of "U.S.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import jsonld as jl
from .authors import clean_authors, clean_name
from .dates import date_from_url, parse_date
from .htmltree import text_of
from .titles import norm, similar, strip_known_site, strip_site_suffix, tidy


@dataclass
class PageMeta:
    """The metadata fields of :class:`curator.clipping.extract.Extracted` for an HTML page."""

    title: str | None = None
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    published: str | None = None
    canonical_url: str | None = None
    language: str | None = None


class _Meta:
    """``<meta>`` values by lower-cased key (name, property, itemprop), in page order."""

    def __init__(self, root: etree._Element) -> None:
        self.values: dict[str, list[str]] = {}
        for el in root.iter("meta"):
            content = el.get("content")
            if content is None:
                content = el.get("value")
            if content is None:
                continue
            content = tidy(content)
            if not content:
                continue
            keys: list[str] = []
            for attr in ("property", "name", "itemprop", "http-equiv"):
                v = el.get(attr)
                if v:
                    keys.extend(v.lower().split())
            for k in keys:
                self.values.setdefault(k, []).append(content)

    def first(self, *keys: str) -> str | None:
        for k in keys:
            vals = self.values.get(k)
            if vals:
                return vals[0]
        return None

    def all(self, *keys: str) -> list[str]:
        out: list[str] = []
        for k in keys:
            out.extend(self.values.get(k, []))
        return out


def _first(values: Iterable[str | None]) -> str | None:
    for v in values:
        if v:
            return v
    return None


def _main_node(ld: jl.JsonLd) -> dict[str, Any] | None:
    """The JSON-LD node that describes this page's article (or page, or work)."""
    for wanted in (jl.ARTICLE_TYPES, jl.WORK_TYPES, jl.PAGE_TYPES):
        for node in ld.of_types(wanted):
            if node.get("headline") or node.get("name"):
                return node
    return None


def _headings(root: etree._Element) -> list[str]:
    out = []
    for tag in ("h1",):
        for el in root.iter(tag):
            t = text_of(el)
            if t and len(t) < 300:
                out.append(t)
            if len(out) > 12:
                break
    return out


def _ld_title(node: dict[str, Any] | None, doc_title: str | None) -> str | None:
    """``headline`` normally; ``name`` when it looks more like the ``<title>`` (Wikipedia
    puts a description in ``headline``)."""
    if not node:
        return None
    headline = jl.text_value(node.get("headline"))
    name = jl.text_value(node.get("name"))
    if headline and name and norm(headline) != norm(name) and doc_title:
        if similar(name, doc_title) > similar(headline, doc_title):
            return name
    return headline or name


# ---------------------------------------------------------------- title


def choose_title(
    meta: _Meta, main: dict[str, Any] | None, root: etree._Element, sites: list[str]
) -> str | None:
    title_el = root.find(".//title")
    doc_title = tidy(text_of(title_el)) if title_el is not None else None
    headings = _headings(root)
    explicit = _first(
        [
            _ld_title(main, doc_title) if main and jl.types_of(main) & jl.ARTICLE_TYPES else None,
            meta.first("citation_title", "dc.title", "dcterms.title", "dc:title"),
            meta.first("og:title", "twitter:title", "title", "parsely-title", "sailthru.title"),
            _ld_title(main, doc_title),
        ]
    )
    explicit = tidy(explicit)
    if explicit and len(explicit) > 3:
        return strip_known_site(explicit, sites)
    if doc_title:
        return strip_site_suffix(doc_title, sites, headings)
    return tidy(headings[0]) if headings else None


# ---------------------------------------------------------------- authors

_BYLINE_CLASS = re.compile(
    r"(^|[\s_-])(byline\w*|by-line|author\w*|writer|writtenby|dateline|"
    r"contributor\w*|p-author|article-author|post-author|entry-author|vcard)($|[\s_-])",
    re.I,
)
_BYLINE_SKIP = re.compile(
    r"(bio|avatar|img|image|photo|description|about|box|more|social|follow|info)", re.I
)
_OUTSIDE_ARTICLE = re.compile(
    r"comment|sidebar|related|footer|recommend|popular|trending|reply|respon", re.I
)
_IN_COMMENTS = re.compile(r"comment|reply|respon|related|recommend|popular|trending", re.I)
_BY_TEXT = re.compile(
    r"^(?:[^|•·]{0,30}[|•·]\s*)?(?:by|von|par|por|door)\s*:?\s+((?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s*){1,4}"
    r"(?:(?:,|and|&|und)\s+(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s*){1,4})*)",
)


_BY_START = re.compile(r"(by|von|par|por|door)\b", re.I)


def _in_furniture(el: etree._Element, pattern: re.Pattern[str] = _OUTSIDE_ARTICLE) -> bool:
    """True when a byline candidate sits in comments, sidebars or recommendation lists."""
    p = el.getparent()
    depth = 0
    while p is not None and depth < 8 and p.tag not in ("body", "html"):
        if p.tag in ("aside", "footer", "nav"):
            return True
        cls = (p.get("class") or "") + " " + (p.get("id") or "")
        if pattern.search(cls):
            return True
        p = p.getparent()
        depth += 1
    return False


def _marker(el: etree._Element) -> str:
    return " ".join(
        el.get(a) or "" for a in ("class", "id", "data-testid", "data-component", "itemprop")
    )


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
        cls = _marker(el)
        if not _BYLINE_CLASS.search(cls) or _BYLINE_SKIP.search(cls):
            continue
        count += 1
        if count > 30:
            break
        t = text_of(el)
        if not t or len(t) > 80 or _in_furniture(el):
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
        if _in_furniture(el):
            continue
        names = clean_authors([m.group(1)])
        if names:
            return names
    return []


def choose_authors(
    meta: _Meta, ld: jl.JsonLd, main: dict[str, Any] | None, root: etree._Element, sites: list[str]
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


# ---------------------------------------------------------------- site name


def choose_site_name(
    meta: _Meta,
    ld: jl.JsonLd,
    main: dict[str, Any] | None,
) -> str | None:
    publisher = None
    if main:
        pub = ld.resolve(main.get("publisher"))
        if isinstance(pub, list) and pub:
            pub = ld.resolve(pub[0])
        if isinstance(pub, dict):
            publisher = jl.text_value(pub.get("name"))
        elif isinstance(pub, str) and not pub.startswith("http"):
            publisher = tidy(pub)
    website = None
    for node in ld.of_types({"website"}):
        website = jl.text_value(node.get("name"))
        if website:
            break
    return tidy(
        _first(
            [
                publisher,
                meta.first("og:site_name"),
                meta.first("citation_journal_title"),
                website,
                meta.first(
                    "application-name", "apple-mobile-web-app-title", "msapplication-tooltip"
                ),
                meta.first("citation_publisher", "dc.publisher", "dcterms.publisher"),
            ]
        )
    )


# ---------------------------------------------------------------- dates

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


def _page_dates(root: etree._Element, dayfirst: bool) -> str | None:
    """Dates shown on the page: ``<time>``, microdata, and short date-like elements.

    Elements marked as publication dates win; otherwise the first date that is not
    labelled as an update.  Comment timestamps are skipped.
    """
    body = root.find("body")
    if body is None:
        return None
    plain: str | None = None
    seen = 0
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        seen += 1
        if seen > 20000:
            break
        itemprop = (el.get("itemprop") or "").lower()
        marker = _marker(el)
        is_time = el.tag == "time"
        is_prop = itemprop in ("datepublished", "datecreated", "dateposted")
        if not (is_time or is_prop or (marker and _DATE_MARKER.search(marker))):
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
        label = marker + " " + (text or "")[:40]
        if _UPDATE_MARKER.search(label) or _in_furniture(el, _IN_COMMENTS):
            continue
        if is_prop or el.get("pubdate") is not None or _PUBLISH_MARKER.search(marker):
            return d
        if plain is None:
            plain = d
    return plain


def _last_modified(root: etree._Element) -> str | None:
    """Wiki-style "This page was last edited on ..." footers: better than no date."""
    for el in root.iter("li", "div", "p", "span"):
        marker = (el.get("id") or "") + " " + (el.get("class") or "")
        if "lastmod" in marker.lower() or "last-modified" in marker.lower():
            d = parse_date(" ".join(" ".join(el.itertext()).split())[:150])
            if d:
                return d
    return None


def choose_published(
    meta: _Meta,
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
    return _page_dates(root, dayfirst) or _last_modified(root)


# ---------------------------------------------------------------- the rest


def choose_summary(meta: _Meta, main: dict[str, Any] | None) -> str | None:
    return tidy(
        _first(
            [
                jl.text_value(main.get("description")) if main else None,
                meta.first("og:description"),
                meta.first("description"),
                meta.first(
                    "dc.description",
                    "dcterms.description",
                    "dcterms.abstract",
                    "dc:description",
                    "citation_abstract",
                ),
                meta.first("twitter:description"),
            ]
        )
    )


def choose_canonical(root: etree._Element, meta: _Meta, url: str) -> str | None:
    base = url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(url, base_el.get("href", "").strip())
    href = None
    for el in root.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        if "canonical" in rel and el.get("href"):
            href = el.get("href", "").strip()
            break
    href = href or meta.first("og:url")
    if not href:
        return url or None
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return url or None
    return absolute if urlsplit(absolute).scheme in ("http", "https") else (url or None)


def choose_language(root: etree._Element, meta: _Meta, main: dict[str, Any] | None) -> str | None:
    raw = _first(
        [
            root.get("lang"),
            root.get("{http://www.w3.org/XML/1998/namespace}lang"),
            root.get("xml:lang"),
            meta.first("content-language", "dc.language", "language"),
            meta.first("og:locale"),
            jl.text_value(main.get("inLanguage")) if main else None,
        ]
    )
    if not raw:
        return None
    raw = raw.split(",")[0].strip().replace("_", "-")
    m = re.fullmatch(r"([A-Za-z]{2,3})(?:-([A-Za-z0-9]{2,8}))?", raw)
    if not m:
        return None
    lang = m.group(1).lower()
    return (
        f"{lang}-{m.group(2).upper() if len(m.group(2)) == 2 else m.group(2)}"
        if m.group(2)
        else lang
    )


def _domain_names(url: str) -> list[str]:
    """ "bbc.co.uk" -> ["bbc.co.uk", "bbc"]: sites often brand titles with their domain."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    if not host or host == "fakehost":
        return []
    label = host.split(".")[0]
    return [host, label] if len(label) > 2 else [host]


def extract_metadata(root: etree._Element, url: str) -> PageMeta:
    """All metadata for a parsed HTML page (``root`` is not modified)."""
    meta = _Meta(root)
    blocks = [
        el.text or "" for el in root.iter("script") if "ld+json" in (el.get("type") or "").lower()
    ]
    ld = jl.parse_blocks(blocks)
    main = _main_node(ld)
    site = choose_site_name(meta, ld, main)
    sites = [s for s in (site, meta.first("og:site_name"), meta.first("application-name")) if s]
    sites.extend(_domain_names(url))
    language = choose_language(root, meta, main)
    return PageMeta(
        title=choose_title(meta, main, root, sites),
        summary=choose_summary(meta, main),
        authors=choose_authors(meta, ld, main, root, sites),
        site_name=site,
        published=choose_published(meta, ld, main, root, url, language),
        canonical_url=choose_canonical(root, meta, url),
        language=language,
    )
