"""Parse decoded HTML into an lxml tree, tolerating anything; say where an element sits.

We use lxml's libxml2 HTML parser directly rather than building a BeautifulSoup tree
on top of it: the parser is the same (and just as forgiving), but skipping bs4's
pure-Python tree construction makes a typical page about twenty times faster to
load, which matters when a user imports thousands of bookmarks.
"""

from __future__ import annotations

import re

from lxml import etree

# libxml2 gives up on absurd nesting; huge_tree raises its depth limit to 2048.  We use
# the plain etree parser, not lxml.html's: its per-element Python class lookup costs
# about a third of the extraction time and we need none of its helpers.
_PARSER = etree.HTMLParser(
    encoding="utf-8",
    huge_tree=True,
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    default_doctype=False,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: Upper bound on the characters handed to the parser.  Bigger pages are cut: the
#: article is almost always in the first few megabytes and parsing 50 MB of tables
#: would freeze the import for seconds.
MAX_CHARS = 6_000_000


def parse_html(text: str) -> etree._Element:
    """Return the ``<html>`` root of ``text``; an empty document if nothing parses."""
    text = _CONTROL.sub(" ", text[:MAX_CHARS])
    data = text.encode("utf-8", errors="replace")
    root = None
    if data.strip():
        try:
            root = etree.fromstring(data, parser=_PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            root = None
    if root is not None and isinstance(root.tag, str) and root.tag != "html":
        # A fragment parsed without <html>: wrap it so callers can rely on the shape.
        wrapper = etree.Element("html")
        wrapper.append(root)
        root = wrapper
    if root is None or not isinstance(root.tag, str):
        root = etree.fromstring(b"<html><head></head><body></body></html>", parser=_PARSER)
    return root


def text_of(el: etree._Element) -> str:
    """All text under ``el`` with white space collapsed (comments already removed)."""
    try:
        s = "".join(el.itertext())
    except (ValueError, TypeError):
        return ""
    return " ".join(s.split())


def drop_element(el: etree._Element) -> None:
    """Remove *el* but keep the text that follows it (works on any lxml tree)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# Page furniture: the parts around an article (comments, sidebars, related links).

OUTSIDE_ARTICLE = re.compile(
    r"comment|sidebar|related|footer|recommend|popular|trending|reply|respon", re.I
)
IN_COMMENTS = re.compile(r"comment|reply|respon|related|recommend|popular|trending", re.I)


def in_furniture(el: etree._Element, pattern: re.Pattern[str] = OUTSIDE_ARTICLE) -> bool:
    """True when a byline or date candidate sits in comments, sidebars or
    recommendation lists rather than in the article."""
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


def marker(el: etree._Element) -> str:
    """The attributes publishers use to label an element's role, joined for matching."""
    return " ".join(
        el.get(a) or "" for a in ("class", "id", "data-testid", "data-component", "itemprop")
    )
