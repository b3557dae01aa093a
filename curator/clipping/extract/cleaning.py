"""Remove page furniture (navigation, ads, share bars, comments, cookie banners).

Furniture is recognised by tag (``nav``, ``aside``, ``footer``), ARIA role, hidden
state, and class/id words such as "share", "related", "cookie" or "comments".  Class
words are a blunt tool (sites put "has-sidebar" on the element that wraps everything),
so the article element, the densest run of paragraphs, and their ancestors are never
removed by class rules, and neither is anything holding most of the page's text.
"""

from __future__ import annotations

import re

from lxml import etree

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "source",
    "track",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "map",
    "area",
    "applet",
    "dialog",
    "label",
    "datalist",
    "output",
    "progress",
    "meter",
    "frameset",
    "frame",
    "noembed",
)
FURNITURE_TAGS = ("nav", "aside", "footer", "menu")
FURNITURE_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "menu",
    "menubar",
    "dialog",
    "alertdialog",
    "search",
    "toolbar",
    "tablist",
    "alert",
    "status",
    "tooltip",
}
# Class/id words that mark page furniture.  Whole tokens (split on space, - and _):
_BAD_TOKENS = frozenset(
    """nav navbar navigation menu menus submenu breadcrumb breadcrumbs footer sidebar
    sidebars rail widget widgets related recommended recommendations recirc share shares
    sharing sharebar social socials comment comments commentlist disqus respond cookie
    cookies consent gdpr newsletter newsletters subscribe subscription signup promo promos
    promotion advert advertisement advertising ad ads adslot adunit dfp sponsor sponsored
    banner popup modal overlay outbrain taboola paywall masthead toolbar pagination pager
    tags tag taglist tagcloud byline bylines print skip sr sronly visually-hidden
    screenreader hidden hide trending popular mostread most-read follow login signin
    search copyright disclaimer jump tools toc-nav author-bio authorbio bio about-author
    author-info post-meta entry-meta postmeta meta metadata timestamp dateline date
    published share-tools shareicons icons icon more-stories moreStories readmore
    read-more see-also seealso topics keywords categories category subscribe-box
    app-download donate donation feedback rating ratings reactions likes zergnet
    nativo sticky fixed top-bar topbar header site-header page-header global-header
    masthead lightbox gallery-nav carousel-nav slick-dots outbrain-widget
    """.split()
)
_BAD_PREFIXES = (
    "comment",
    "sidebar",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "advert",
    "sponsor",
    "breadcrumb",
    "cookie",
    "social",
    "sharing",
    "share",
    "navbar",
    "navigation",
    "pagination",
    "outbrain",
    "taboola",
    "disqus",
    "popular",
    "trending",
    "promo",
    "footer",
    "masthead",
    "byline",
    "paywall",
    "consent",
)
_GOOD_TOKENS = frozenset(
    """article articles content contents main body text story entry post blog prose
    articlebody article-body post-body entry-content post-content story-body page-content
    hentry h-entry single column""".split()
)
_TOKEN_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])-(?=[a-z])")


def _class_tokens(el: etree._Element) -> list[str]:
    cls = el.get("class") or ""
    ident = el.get("id") or ""
    if not cls and not ident:
        return []
    s = (cls + " " + ident).lower()
    tokens = _TOKEN_SPLIT.split(s)
    # keep the compound forms too ("share-tools" as well as "share", "tools")
    tokens.extend(s.split())
    return [t for t in tokens if t]


def class_weight(el: etree._Element) -> int:
    """+25 for content-like class/id words, -25 for furniture-like ones."""
    toks = _class_tokens(el)
    if not toks:
        return 0
    w = 0
    if any(t in _GOOD_TOKENS for t in toks):
        w += 25
    if any(t in _BAD_TOKENS or t.startswith(_BAD_PREFIXES) for t in toks):
        w -= 25
    return w


def _is_furniture_class(el: etree._Element) -> bool:
    toks = _class_tokens(el)
    if not toks:
        return False
    bad = any(t in _BAD_TOKENS or t.startswith(_BAD_PREFIXES) for t in toks)
    if not bad:
        return False
    good = any(t in _GOOD_TOKENS for t in toks)
    if good:
        # "article-share", "post-comments": still furniture if the bad word is specific
        strong = any(
            t.startswith(
                (
                    "comment",
                    "share",
                    "sharing",
                    "social",
                    "related",
                    "recommend",
                    "newsletter",
                    "subscri",
                    "advert",
                    "sponsor",
                    "breadcrumb",
                    "cookie",
                    "outbrain",
                    "taboola",
                    "disqus",
                    "byline",
                    "promo",
                )
            )
            or t
            in (
                "tags",
                "meta",
                "ad",
                "ads",
                "byline",
                "author-bio",
                "nav",
                "footer",
                "sidebar",
                "toolbar",
                "widget",
                "pagination",
                "related",
            )
            for t in toks
        )
        return strong
    return True


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    if (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


# ------------------------------------------------------------------ cleaning


def _protected(root: etree._Element) -> set[etree._Element]:
    """The article element(s) and all their ancestors: never removed by class rules."""
    keep: set[etree._Element] = set()
    for el in root.iter("article", "main"):
        keep.add(el)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ip = (el.get("itemprop") or "").lower()
        if ip in ("articlebody", "text", "reviewbody", "description") and el.tag != "meta":
            keep.add(el)
    densest = _densest_paragraph_parent(root)
    if densest is not None:
        keep.add(densest)
    out = set(keep)
    for el in keep:
        p = el.getparent()
        while p is not None and p not in out:
            out.add(p)
            p = p.getparent()
    return out


def _densest_paragraph_parent(root: etree._Element) -> etree._Element | None:
    """The element with the most non-link text in its direct ``<p>`` children.

    That is nearly always the article body, even when a layout wrapper around it has a
    class like "fixed-sidebar-layout"; protecting it (and its ancestors) from the class
    rules stops us throwing the article away with the sidebar.
    """
    sums: dict[etree._Element, int] = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is None:
            continue
        total = len("".join(p.itertext()).strip())
        if total < 40:
            continue
        links = sum(len("".join(a.itertext())) for a in p.iter("a"))
        if links > total / 2:
            continue
        sums[parent] = sums.get(parent, 0) + total - links
    if not sums:
        return None
    best = max(sums, key=lambda el: sums[el])
    return best if sums[best] >= 200 else None


def _text_lengths(root: etree._Element) -> dict[etree._Element, int]:
    """Characters of text under each element, in one bottom-up pass."""
    lengths: dict[etree._Element, int] = {}
    for _event, el in etree.iterwalk(root, events=("end",)):
        n = len(el.text.strip()) if el.text else 0
        for child in el:
            n += lengths.get(child, 0)
            if child.tail:
                n += len(child.tail.strip())
        lengths[el] = n
    return lengths


def _has_ancestor(el: etree._Element, tags: tuple[str, ...]) -> bool:
    p = el.getparent()
    while p is not None:
        if p.tag in tags:
            return True
        p = p.getparent()
    return False


def clean_tree(root: etree._Element, aggressive: bool = True) -> None:
    """Remove non-content elements from ``root`` in place."""
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    to_drop: list[etree._Element] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("html", "body"):
            continue
        if _is_hidden(el):
            to_drop.append(el)
    _drop(to_drop)
    if not aggressive:
        return
    protected = _protected(root)
    lengths = _text_lengths(root)
    body = root.find("body")
    total = lengths.get(body if body is not None else root, 0) or 1
    to_drop = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body") or el in protected:
            continue
        tag = el.tag
        if tag == "header":
            # A page header is furniture; an article's own header holds its standfirst.
            if not _has_ancestor(el, ("article", "main")):
                to_drop.append(el)
            continue
        if tag in FURNITURE_TAGS:
            if lengths.get(el, 0) < 0.6 * total:
                to_drop.append(el)
            continue
        role = (el.get("role") or "").lower()
        if role in FURNITURE_ROLES and lengths.get(el, 0) < 0.6 * total:
            to_drop.append(el)
            continue
        if tag in ("a", "span", "em", "strong", "b", "i", "sup", "sub", "code", "time"):
            continue
        if _is_furniture_class(el) and lengths.get(el, 0) < 0.6 * total:
            to_drop.append(el)
    _drop(to_drop)


def _drop(elements: list[etree._Element]) -> None:
    """Remove elements (keeping their tail text), skipping already-detached ones."""
    for el in elements:
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail and tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)
