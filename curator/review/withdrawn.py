"""Does a page say it has been withdrawn, archived or replaced?

``detect(html, url) -> Notice | None``. GOV.UK, NHS, NICE and many councils put such a
notice in a banner at the top of the page ("This guidance was withdrawn on 1 May 2023",
"This guideline has been updated and replaced by NG123"), often with a link to the
replacement. A page that merely *mentions* withdrawal in its body ("the 2015 guidance was
withdrawn and replaced by this one") is not withdrawn, so where the words are matters:

1. Notice markup anywhere (``gem-c-notice``, ``govuk-notification-banner``,
   ``withdrawal-notice``, ``role="alert"``, classes naming a notice, banner, alert,
   warning, archive or withdrawal): broad wording counts there ("superseded by",
   "archived", "withdrawn on ...").
2. Otherwise only the start of the main content (the first heading and first few
   paragraphs), and only wording that speaks of the page itself ("This guidance was
   withdrawn", "This page has been archived", "This publication has been replaced by").

``kind`` is "superseded" when the notice names or links a replacement, else "withdrawn".
``replacement_url`` is the notice's link to the replacement, made absolute against the
page address (or its ``<base href>``). Never raises; returns None on anything unreadable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from curator.clipping.extract.decode import decode
from curator.clipping.extract.htmltree import drop_element, parse_html, text_of

_THING = (r"(?:guidance|guideline|publication|page|document|policy|paper|report|"
          r"consultation|collection|statistics|information|content|advice|form|resource|"
          r"article|website|site|series|framework|standard|toolkit|briefing|topic|detailed "
          r"guide|statutory guidance|quality standard|pathway|web ?page)")
#: Said by the page about itself: trusted in the first part of the main content.
_SELF = re.compile(
    rf"\bthis {_THING} (?:was|has been|is|is now|had been) "
    rf"(?:formally |now )?(?:withdrawn|archived|superseded|replaced|retired|removed)\b"
    rf"|\bthis {_THING} has been updated and replaced\b"
    rf"|\bthis {_THING} is (?:no longer (?:current|valid|in use|being updated|maintained|"
    rf"available)|out of date|historical)\b"
    rf"|\bthis is an? archived (?:page|copy|version|{_THING})\b", re.I)
#: Looser wording, trusted only inside notice markup.
_NOTICE = re.compile(
    r"\b(?:was|has been|have been|is) (?:formally )?withdrawn\b|\bwithdrawn on\b"
    r"|\b(?:has been|was|is|have been) (?:replaced|superseded)\b|\bsuperseded by\b"
    r"|\breplaced by\b|\barchived (?:content|page|website|publication|guidance)\b"
    r"|\b(?:has been|was|is) archived\b|\bno longer (?:current|valid|in use|being updated|"
    r"maintained)\b", re.I)
#: Wording that points to a replacement: a link in the notice is then the replacement.
_REPLACED = re.compile(r"\b(?:replaced|superseded)\b|\binstead\b|\brefer to\b"
                       r"|\b(?:has )?moved to\b|\bsee (?:the )?(?:new|latest|current|updated)\b"
                       r"|\bnew (?:version|edition)\b", re.I)
_NOT_REPLACEMENT = re.compile(r"contact|feedback|e-?mail|subscribe|print|share|cookie|"
                              r"sign ?up|log ?in|help", re.I)
_NOTICE_CLASS = re.compile(
    r"(?:^|[-_\s])(?:gem-c-notice|govuk-notification-banner|withdrawal-notice|"
    r"withdrawn|archived?|notice|alert|banner|warning|callout|superseded)(?:$|[-_\s])",
    re.I)
_FURNITURE = re.compile(r"cookie|phase-banner|global-bar|nav|menu|footer|survey|feedback",
                        re.I)
#: How much of the main content counts as "the start" for self-referring wording.
LEAD_BLOCKS = 4
LEAD_CHARS = 1200
MESSAGE_CHARS = 300


@dataclass
class Notice:
    kind: str  # "withdrawn" or "superseded"
    message: str  # the notice's own words, trimmed
    replacement_url: str | None = None


def detect(html: bytes | str, url: str) -> Notice | None:
    """The page's withdrawal or replacement notice, or None when it has none."""
    try:
        return _detect(html, url)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return None


def _detect(html: bytes | str, url: str) -> Notice | None:
    if isinstance(html, bytes | bytearray):
        text, _ = decode(bytes(html))
    else:
        text = html or ""
    root = parse_html(text)
    for bad in root.xpath("//script|//style|//noscript|//template"):
        drop_element(bad)
    base = url
    for b in root.xpath("//base[@href]"):
        base = urljoin(url, b.get("href", "").strip())
        break
    for el in _notice_elements(root):
        words = text_of(el)
        if len(words) > 2000:
            continue
        found = _SELF.search(words) or _NOTICE.search(words)
        if found:
            return _notice(el, words, found, base, url)
    for el in _lead_blocks(root):
        words = text_of(el)
        found = _SELF.search(words)
        if found:
            return _notice(el, words, found, base, url)
    return None


def _classes(el: etree._Element) -> str:
    return " ".join(filter(None, (el.get("class"), el.get("id"))))


def _notice_elements(root: etree._Element) -> list[etree._Element]:
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "main", "article"):
            continue
        marks = _classes(el)
        role = (el.get("role") or "").lower()
        label = (el.get("aria-label") or "").lower()
        if _FURNITURE.search(marks) and not re.search(r"notice|withdraw|archiv", marks, re.I):
            continue
        if _NOTICE_CLASS.search(marks) or role == "alert" or \
                (role == "region" and "notice" in label):
            # Keep the outermost notice only: it holds the replacement link too.
            if not any(anc in found for anc in el.iterancestors()):
                found.append(el)
    return found


def _main(root: etree._Element) -> etree._Element:
    for path in ("//main", "//*[@role='main']", "//*[@id='content']",
                 "//*[@id='main-content']", "//article", "//body"):
        hits = root.xpath(path)
        if hits:
            return hits[0]
    return root


def _lead_blocks(root: etree._Element) -> list[etree._Element]:
    blocks, chars = [], 0
    for el in _main(root).iter("h1", "h2", "h3", "p", "li", "strong", "div"):
        if el.tag == "div" and el.xpath(".//p|.//div|.//h1|.//h2|.//li"):
            continue  # a container: its children are the blocks
        words = text_of(el)
        if not words:
            continue
        blocks.append(el)
        if el.tag not in ("h1", "h2", "h3"):
            chars += len(words)
            if len([b for b in blocks if b.tag not in ("h1", "h2", "h3")]) >= LEAD_BLOCKS \
                    or chars >= LEAD_CHARS:
                break
    return blocks


def _sentence_around(words: str, start: int, end: int) -> str:
    lo = words.rfind(". ", 0, start)
    lo = 0 if lo < 0 else lo + 2
    hi = words.find(". ", end)
    hi = len(words) if hi < 0 else hi + 1
    return words[lo:hi].strip()


_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "div", "section",
           "span", "strong")


def _message(el: etree._Element, phrase: str) -> str:
    """The notice's words from the block holding *phrase* on, one sentence per block."""
    leaves = [b for b in el.iter(*_BLOCKS)
              if not b.xpath("./p|./div|./section|./h1|./h2|./h3|./h4|./li")] or [el]
    pieces = [text_of(b) for b in leaves]
    pieces = [p for i, p in enumerate(pieces) if p and p not in pieces[:i]]
    start = next((i for i, p in enumerate(pieces) if phrase in p), 0)
    out = ""
    for p in pieces[start:]:
        if p in out:
            continue
        out = f"{out}{'' if not out or out[-1] in '.!?:' else '.'} {p}".strip()
    return out or text_of(el)


def _span(text: str, phrase: str) -> tuple[int, int]:
    i = max(text.find(phrase), 0)
    return i, i + len(phrase)


def _notice(el: etree._Element, words: str, found: re.Match, base: str,
            page_url: str) -> Notice:
    replacement = _replacement_link(el, base, page_url) if _REPLACED.search(words) else None
    if replacement is None:
        # A banner's link sometimes sits just after the sentence (the next block).
        nxt = el.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and _REPLACED.search(words) \
                and len(text_of(nxt)) < 400:
            replacement = _replacement_link(nxt, base, page_url)
    message = _message(el, found.group(0))
    if len(message) > MESSAGE_CHARS:
        message = _sentence_around(message, *_span(message, found.group(0)))[:MESSAGE_CHARS]
    superseded = replacement is not None or bool(_REPLACED.search(words))
    return Notice("superseded" if superseded else "withdrawn", message, replacement)


def _replacement_link(el: etree._Element, base: str, page_url: str) -> str | None:
    page = urlsplit(page_url)
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        target = urljoin(base, href)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            continue
        if (parts.netloc, parts.path) == (page.netloc, page.path):
            continue  # a link to this page itself
        if _NOT_REPLACEMENT.search(f"{text_of(a)} {href}"):
            continue
        return target
    return None
