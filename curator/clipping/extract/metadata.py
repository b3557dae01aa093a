"""Collect page metadata from every source a publisher might use, then choose.

Sources, most explicit first: schema.org JSON-LD, Highwire ``citation_*`` tags (journal
articles), OpenGraph / article:*, Dublin Core, Twitter cards, Parse.ly and generic
``<meta name>`` tags, microdata, then the visible page (headings, bylines, ``<time>``)
and finally the URL.  Each field takes the first plausible value in its own priority
order; a few cross-checks catch common publisher mistakes (a "headline" that is really
a category, an author that is a Facebook URL, a site name of "U.S.").  Authors are chosen
in :mod:`.bylines` and the publication date in :mod:`.published`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import jsonld as jl
from .bylines import choose_authors
from .htmltree import text_of
from .metatags import MetaTags
from .published import choose_published
from .sites import organisation_name, site_from_address, site_from_title
from .updated import choose_updated
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
    updated: str | None = None  # "last updated", only when later than published
    page_types: list[str] = field(default_factory=list)  # schema.org @types, lower case
    og_type: str | None = None
    citation: bool = False  # Highwire citation_* tags (a journal article)


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
    meta: MetaTags, main: dict[str, Any] | None, root: etree._Element, sites: list[str]
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


# ---------------------------------------------------------------- site name


def choose_site_name(
    meta: MetaTags,
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


# ---------------------------------------------------------------- the rest


def choose_summary(meta: MetaTags, main: dict[str, Any] | None) -> str | None:
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


def choose_canonical(root: etree._Element, meta: MetaTags, url: str) -> str | None:
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


def choose_language(
    root: etree._Element, meta: MetaTags, main: dict[str, Any] | None
) -> str | None:
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


def _site_fallback(
    root: etree._Element, meta: MetaTags, ld: jl.JsonLd, main: dict[str, Any] | None, url: str
) -> str | None:
    """No site name in the metadata: the page's branding, else its address."""
    title_el = root.find(".//title")
    doc_title = tidy(text_of(title_el)) if title_el is not None else None
    clean = [meta.first("og:title"), meta.first("twitter:title"), *_headings(root)]
    if main:
        clean.append(jl.text_value(main.get("headline")) or jl.text_value(main.get("name")))
    return (
        organisation_name(ld)
        or site_from_title(doc_title, [c for c in clean if c], url)
        or site_from_address(url)
    )


def extract_metadata(root: etree._Element, url: str) -> PageMeta:
    """All metadata for a parsed HTML page (``root`` is not modified)."""
    meta = MetaTags(root)
    blocks = [
        el.text or "" for el in root.iter("script") if "ld+json" in (el.get("type") or "").lower()
    ]
    ld = jl.parse_blocks(blocks)
    main = _main_node(ld)
    site = choose_site_name(meta, ld, main) or _site_fallback(root, meta, ld, main, url)
    sites = [s for s in (site, meta.first("og:site_name"), meta.first("application-name")) if s]
    sites.extend(_domain_names(url))
    language = choose_language(root, meta, main)
    published = choose_published(meta, ld, main, root, url, language)
    lang = (language or "").lower()
    return PageMeta(
        title=choose_title(meta, main, root, sites),
        summary=choose_summary(meta, main),
        authors=choose_authors(meta, ld, main, root, sites),
        site_name=site,
        published=published,
        canonical_url=choose_canonical(root, meta, url),
        language=language,
        page_types=sorted({t for node in ld.nodes for t in jl.types_of(node)}),
        og_type=meta.first("og:type"),
        citation=bool(meta.first("citation_title", "citation_doi", "citation_journal_title")),
        updated=choose_updated(
            meta, ld, main, root, published, bool(lang) and lang not in ("en", "en-us")
        ),
    )
