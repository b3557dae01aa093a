"""Find the main article text of an HTML page (a readability-style extractor).

How it works, and why:

1. **Clean** the tree: drop scripts, styles, forms controls and hidden elements, then
   page furniture recognised by tag (``nav``, ``footer``, ``aside``), ARIA role, or
   class/id words such as "share", "related", "cookie", "comments".  Elements that hold
   the article (``<article>``, ``<main>``, ``itemprop=articleBody``) or most of the
   page's text are never removed by the class rules, because sites put words like
   "has-sidebar" on their outermost wrappers.
2. **Linearise** the tree into text blocks (one per paragraph-like element) in a single
   iterative pass, recording each block's length and how much of it is link text.
   Iterative, because pages nest thousands of levels deep and recursion would crash.
3. **Score** containers: every substantial paragraph credits its parent fully, its
   grandparent half, and further ancestors less; a container's score is then scaled by
   its non-link share.  The best container is the article; siblings that score well
   (split articles, multi-column layouts) are added back.
4. **Filter** blocks inside the article: link lists, boilerplate one-liners, and the
   headline itself (the title is stored separately).

Output is plain text with paragraphs separated by a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .titles import norm

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul caption "
    "legend frameset frame noframes".split()
)
DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "video", "audio", "source", "track", "select", "option", "button", "input",
    "textarea", "head", "title", "meta", "link", "base", "map", "area", "applet", "dialog",
    "label", "datalist", "output", "progress", "meter", "frameset", "frame", "noembed",
)
FURNITURE_TAGS = ("nav", "aside", "footer", "menu")
FURNITURE_ROLES = {
    "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog",
    "alertdialog", "search", "toolbar", "tablist", "alert", "status", "tooltip",
}
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
PARA_TAGS = frozenset("p pre blockquote li dd dt td th figcaption address".split()) | HEADINGS
DIVLIKE = frozenset("div section article main body center form td".split())

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
    "comment", "sidebar", "related", "recommend", "newsletter", "subscri", "advert",
    "sponsor", "breadcrumb", "cookie", "social", "sharing", "share", "navbar", "navigation",
    "pagination", "outbrain", "taboola", "disqus", "popular", "trending", "promo",
    "footer", "masthead", "byline", "paywall", "consent",
)
_GOOD_TOKENS = frozenset(
    """article articles content contents main body text story entry post blog prose
    articlebody article-body post-body entry-content post-content story-body page-content
    hentry h-entry single column""".split()
)
_TOKEN_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])-(?=[a-z])")
_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000]+")
_BOILER_LINE = re.compile(
    r"^(advertisement|advertisements|sponsored|share( this( article| story| post)?)?|"
    r"(share|follow) (on|us on) .*|tweet|print|email|e-mail|comments?|read more|"
    r"continue reading|related( articles| stories| posts)?|you may also like.*|"
    r"more from .*|recommended( for you)?|sign up.*newsletter.*|subscribe( now)?|"
    r"click here.*|scroll to continue.*|skip to (main )?content|back to top|"
    r"image:? .{0,40}|photo:? .{0,60}|getty images|reuters|ap photo.*|\(ap\)|"
    r"story continues below.*|article continues below.*|loading\W*)$",
    re.I,
)


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
            t.startswith(("comment", "share", "sharing", "social", "related", "recommend",
                          "newsletter", "subscri", "advert", "sponsor", "breadcrumb",
                          "cookie", "outbrain", "taboola", "disqus", "byline", "promo"))
            or t in ("tags", "meta", "ad", "ads", "byline", "author-bio", "nav", "footer",
                     "sidebar", "toolbar", "widget", "pagination", "related")
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
    out = set(keep)
    for el in keep:
        p = el.getparent()
        while p is not None and p not in out:
            out.add(p)
            p = p.getparent()
    return out


def _text_lengths(root: etree._Element) -> dict[etree._Element, int]:
    """Characters of text under each element, in one bottom-up pass."""
    lengths: dict[etree._Element, int] = {}
    for event, el in etree.iterwalk(root, events=("end",)):
        n = len(el.text.strip()) if el.text else 0
        for child in el:
            n += lengths.get(child, 0)
            if child.tail:
                n += len(child.tail.strip())
        lengths[el] = n
    return lengths


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
        if tag in FURNITURE_TAGS or tag == "header":
            if lengths.get(el, 0) < 0.6 * total or tag == "header":
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


# ------------------------------------------------------------------ blocks


@dataclass
class Block:
    """A paragraph-like run of text and where it came from."""

    text: str
    link_chars: int
    container: etree._Element  # innermost block element holding the text
    loose: bool  # text sat directly in a container that also has block children
    pre: bool = False

    @property
    def tag(self) -> str:
        return str(self.container.tag)


def _collapse(s: str) -> str:
    lines = [" ".join(_WS.sub(" ", line).split()) for line in s.split("\n")]
    out = "\n".join(line for line in lines if line)
    return out


def linearise(root: etree._Element) -> list[Block]:
    """Split the tree into text blocks in document order, without recursion."""
    blocks: list[Block] = []
    stack: list[etree._Element] = []
    buf: list[str] = []
    link_chars = 0
    link_depth = 0
    pre_depth = 0
    has_block_child: set[etree._Element] = set()

    def flush(loose: bool) -> None:
        nonlocal buf, link_chars
        if buf and stack:
            raw = "".join(buf)
            text = raw.strip("\n ") if pre_depth else _collapse(raw)
            if text.strip():
                container = stack[-1]
                blocks.append(
                    Block(text, min(link_chars, len(text)), container,
                          loose and container in has_block_child, pre=pre_depth > 0)
                )
        buf = []
        link_chars = 0

    def add(s: str | None) -> None:
        nonlocal link_chars
        if not s:
            return
        if not pre_depth:
            s = s.replace("\n", " ")
        buf.append(s)
        if link_depth:
            link_chars += len(s.strip())

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            if event == "end":
                add(el.tail)
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                if stack:
                    has_block_child.add(stack[-1])
                flush(True)
                stack.append(el)
                if tag == "pre":
                    pre_depth += 1
            elif tag == "br":
                buf.append("\n")
            elif tag == "a":
                link_depth += 1
            elif tag == "img":
                pass
            add(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush(el in has_block_child)
                if stack and stack[-1] is el:
                    stack.pop()
                if tag == "pre":
                    pre_depth -= 1
            elif tag == "a":
                link_depth = max(0, link_depth - 1)
            elif tag in ("td", "th"):
                buf.append(" ")
            add(el.tail)
    flush(True)
    return blocks


# ------------------------------------------------------------------ scoring


def _tag_bonus(tag: str) -> int:
    if tag in ("div", "article", "section", "main"):
        return 5
    if tag in ("pre", "td", "blockquote"):
        return 3
    if tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
        return -3
    if tag in HEADINGS or tag == "th":
        return -5
    return 0


_COMMAS = re.compile(r"[,，、،]")


@dataclass
class _Cand:
    score: float
    chars: int = 0
    link_chars: int = 0


def _ancestors(el: etree._Element, limit: int) -> list[etree._Element]:
    out = []
    p = el.getparent()
    while p is not None and len(out) < limit:
        out.append(p)
        p = p.getparent()
    return out


def _score(blocks: list[Block]) -> dict[etree._Element, _Cand]:
    cands: dict[etree._Element, _Cand] = {}

    def cand(el: etree._Element) -> _Cand:
        c = cands.get(el)
        if c is None:
            c = _Cand(float(_tag_bonus(str(el.tag)) + class_weight(el)))
            cands[el] = c
        return c

    # text and link totals for every ancestor (for link density)
    totals: dict[etree._Element, list[int]] = {}
    for b in blocks:
        n, ln = len(b.text), b.link_chars
        el: etree._Element | None = b.container
        depth = 0
        while el is not None and depth < 400:
            t = totals.get(el)
            if t is None:
                totals[el] = [n, ln]
            else:
                t[0] += n
                t[1] += ln
            el = el.getparent()
            depth += 1

    for b in blocks:
        n = len(b.text)
        if n < 25 or b.tag in HEADINGS:
            continue
        if b.link_chars > 0.5 * n:
            continue
        s = 1 + len(_COMMAS.findall(b.text)) + min(n / 100, 3.0)
        if b.loose or (b.tag in DIVLIKE and b.container in totals and False):
            level0 = b.container
        else:
            level0 = b.container.getparent()
        if level0 is None:
            continue
        chain = [level0] + _ancestors(level0, 4)
        for level, anc in enumerate(chain):
            if not isinstance(anc.tag, str) or anc.tag == "html":
                break
            div = 1 if level == 0 else 2 if level == 1 else level * 3
            cand(anc).score += s / div
    for el, c in cands.items():
        t = totals.get(el, [0, 0])
        c.chars, c.link_chars = t[0], t[1]
    return cands


def _link_density(c: _Cand) -> float:
    return c.link_chars / c.chars if c.chars else 0.0


def _choose(cands: dict[etree._Element, _Cand]) -> etree._Element | None:
    if not cands:
        return None
    final = {el: c.score * (1 - _link_density(c)) for el, c in cands.items()}
    ranked = sorted(final.items(), key=lambda kv: kv[1], reverse=True)
    top, top_score = ranked[0]
    if top_score <= 0:
        return None
    # Several strong candidates under one ancestor: the ancestor is the article.
    alternatives = [el for el, s in ranked[1:5] if s >= 0.75 * top_score]
    if len(alternatives) >= 3:
        anc_sets = [set(_ancestors(a, 50)) for a in alternatives]
        p = top.getparent()
        while p is not None and p.tag not in ("body", "html"):
            if sum(1 for s in anc_sets if p in s) >= 3:
                top = p
                break
            p = p.getparent()
    # Climb while the parent is at least as good (article split into sections).
    last = final.get(top, 0.0)
    threshold = last / 3
    p = top.getparent()
    while p is not None and p.tag not in ("body", "html"):
        if p not in final:
            p = p.getparent()
            continue
        ps = final[p]
        if ps < threshold:
            break
        if ps > last:
            top = p
            break
        last = ps
        p = p.getparent()
    # A lone child adds nothing: its parent is the real container.
    while (
        top.getparent() is not None
        and top.getparent().tag not in ("body", "html")
        and len(top.getparent()) == 1
    ):
        top = top.getparent()
    return top


def _selected(top: etree._Element, cands: dict[etree._Element, _Cand]
              ) -> list[etree._Element]:
    """The top container plus siblings that look like more of the article."""
    parent = top.getparent()
    if parent is None:
        return [top]
    top_c = cands.get(top)
    top_final = top_c.score * (1 - _link_density(top_c)) if top_c else 0.0
    threshold = max(10.0, top_final * 0.2)
    top_class = top.get("class")
    out = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top:
            out.append(sib)
            continue
        c = cands.get(sib)
        bonus = top_final * 0.2 if top_class and sib.get("class") == top_class else 0.0
        if c and c.score * (1 - _link_density(c)) + bonus >= threshold:
            out.append(sib)
            continue
        if sib.tag == "p":
            text = " ".join("".join(sib.itertext()).split())
            links = sum(len(" ".join("".join(a.itertext()).split())) for a in sib.iter("a"))
            ld = links / len(text) if text else 1.0
            if len(text) > 80 and ld < 0.25:
                out.append(sib)
            elif 0 < len(text) <= 80 and ld == 0 and re.search(r"\.( |$)", text):
                out.append(sib)
    return out


# ------------------------------------------------------------------ output


def _within(el: etree._Element, roots: set[etree._Element]) -> bool:
    p: etree._Element | None = el
    while p is not None:
        if p in roots:
            return True
        p = p.getparent()
    return False


def _list_of_links(block: Block, totals: dict[etree._Element, list[int]]) -> bool:
    """Items of a list (or table) that is mostly links: related-stories widgets, tags."""
    el = block.container
    for _ in range(3):
        if el is None:
            return False
        if el.tag in ("ul", "ol", "dl", "table", "menu"):
            t = totals.get(el)
            return bool(t and t[0] and t[1] / t[0] > 0.5)
        el = el.getparent()
    return False


_PROSE_TAGS = frozenset("p div section article main body center blockquote".split())


@dataclass
class MainText:
    """The article text and its first real paragraph (a fallback summary)."""

    text: str
    first_paragraph: str | None


def _render(blocks: list[Block], title: str | None) -> MainText:
    totals: dict[etree._Element, list[int]] = {}
    for b in blocks:
        el: etree._Element | None = b.container
        depth = 0
        while el is not None and depth < 6:
            t = totals.setdefault(el, [0, 0])
            t[0] += len(b.text)
            t[1] += b.link_chars
            el = el.getparent()
            depth += 1
    title_n = norm(title)
    out: list[str] = []
    first_p: str | None = None
    for b in blocks:
        text = b.text
        n = len(text)
        if b.tag in HEADINGS and title_n and norm(text) == title_n:
            continue
        if b.link_chars > 0.6 * n and n < 200:
            continue
        if _list_of_links(b, totals):
            continue
        if n < 80 and _BOILER_LINE.match(text.strip()):
            continue
        out.append(text)
        if first_p is None and b.tag in _PROSE_TAGS:
            first_p = " ".join(text.split())
    return MainText("\n\n".join(out), first_p)


def extract_text(root: etree._Element, title: str | None = None) -> MainText:
    """Main text of the page whose tree is ``root``.  Modifies ``root``."""
    clean_tree(root, aggressive=True)
    return _extract_from(root, title)


def _extract_from(root: etree._Element, title: str | None) -> MainText:
    blocks = linearise(root)
    if not blocks:
        return MainText("", None)
    cands = _score(blocks)
    top = _choose(cands)
    if top is None:
        return _render(blocks, title)
    chosen = set(_selected(top, cands))
    inside = [b for b in blocks if _within(b.container, chosen)]
    return _render(inside, title)
