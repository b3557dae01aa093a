"""Find the main article text of an HTML page (a readability-style extractor).

How it works, and why:

1. **Clean** the tree (:mod:`.cleaning`): drop scripts, styles, form controls and
   hidden elements, then page furniture recognised by tag (``nav``, ``footer``,
   ``aside``), ARIA role, or class/id words such as "share", "related", "cookie",
   "comments".  Elements that hold the article (``<article>``, ``<main>``,
   ``itemprop=articleBody``, the densest run of paragraphs) are never removed by the
   class rules, because sites put words like "has-sidebar" on their outermost wrappers.
2. **Linearise** the tree (:mod:`.blocks`) into text blocks, one per paragraph-like
   element, in a single iterative pass, recording each block's length and how much of
   it is link text.  Iterative, because pages nest thousands of levels deep and
   recursion would crash.
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

from .blocks import HEADINGS, PARA_TAGS, Block, linearise
from .cleaning import class_weight, clean_tree
from .titles import norm

_BOILER_LINE = re.compile(
    r"^(advertisement|advertisements|sponsored|share( this( article| story| post)?)?|"
    r"don[\u2019']?t miss|"
    r"(share|follow) (on|us on) .*|tweet|print|email|e-mail|comments?|read more|"
    r"continue reading|related( articles| stories| posts)?|you may also like.*|"
    r"more from .*|recommended( for you)?|sign up.*newsletter.*|subscribe( now)?|"
    r"click here.*|scroll to continue.*|skip to (main )?content|back to top|"
    r"image:? .{0,40}|photo:? .{0,60}|getty images|reuters|ap photo.*|\(ap\)|"
    r"story continues below.*|article continues below.*|loading\W*)$",
    re.I,
)


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


# Lists are navigation, reference lists and link farms far more often than prose, and
# headings are not prose: neither earns a container points (they are still output).
_UNSCORED = HEADINGS | {
    "li",
    "dt",
    "dd",
    "figcaption",
    "th",
    "address",
    "caption",
    "legend",
    "summary",
}
CLIMB_GAIN = 1.5
CLIMB_MAX_LINKS = 0.25
_COMMAS = re.compile(r"[,，、،]")


@dataclass
class _Cand:
    score: float
    chars: int = 0
    link_chars: int = 0
    good_chars: int = 0  # characters of scoring paragraphs anywhere below


def _ancestors(el: etree._Element, limit: int) -> list[etree._Element]:
    out = []
    p = el.getparent()
    while p is not None and len(out) < limit:
        out.append(p)
        p = p.getparent()
    return out


def _in_list(el: etree._Element) -> bool:
    """Paragraphs inside list items (reference lists, teaser lists) do not score."""
    p = el.getparent()
    for _ in range(3):
        if p is None:
            return False
        if p.tag in ("li", "dd"):
            return True
        p = p.getparent()
    return False


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
    good: dict[etree._Element, int] = {}
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
        if n < 25 or b.tag in _UNSCORED:
            continue
        if b.link_chars > 0.5 * n:
            continue
        if _in_list(b.container):
            continue
        el2: etree._Element | None = b.container
        depth = 0
        while el2 is not None and depth < 400:
            good[el2] = good.get(el2, 0) + n
            el2 = el2.getparent()
            depth += 1
        s = 1 + len(_COMMAS.findall(b.text)) + min(n / 100, 3.0)
        # Loose text in a mixed container is a paragraph *of* that container; a real
        # paragraph element credits its parent.
        level0 = b.container if b.loose else b.container.getparent()
        if level0 is None:
            continue
        chain = [level0] + _ancestors(level0, 4)
        for level, anc in enumerate(chain):
            if not isinstance(anc.tag, str) or anc.tag == "html":
                break
            div = 1 if level == 0 else 2 if level == 1 else level * 3
            cand(anc).score += s / div
    for el in good:
        cand(el)
    for el, c in cands.items():
        t = totals.get(el, [0, 0])
        c.chars, c.link_chars = t[0], t[1]
        c.good_chars = good.get(el, 0)
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
    # The article may be split into parts (intro, body, tables) that no single scored
    # container holds: climb while the parent adds a lot more prose without links.
    while top.tag in PARA_TAGS and top.getparent() is not None:
        top = top.getparent()  # a paragraph is content, not a container of content
    while top in cands:
        base = cands[top].good_chars
        p = top.getparent()
        # skip wrappers that add nothing, then judge the first ancestor that adds prose
        while p is not None and p in cands and cands[p].good_chars <= base:
            p = p.getparent()
        if p is None or p.tag in ("body", "html") or p not in cands:
            break
        pc = cands[p]
        if pc.good_chars >= CLIMB_GAIN * base and _link_density(pc) < CLIMB_MAX_LINKS:
            top = p
        else:
            break
    # A lone child adds nothing: its parent is the real container.
    while (
        top.getparent() is not None
        and top.getparent().tag not in ("body", "html")
        and len(top.getparent()) == 1
    ):
        top = top.getparent()
    return top


def _selected(top: etree._Element, cands: dict[etree._Element, _Cand]) -> list[etree._Element]:
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


def _split_parts(top: etree._Element, cands: dict[etree._Element, _Cand]) -> set[etree._Element]:
    """Other pieces of an article that ads or widgets split into separate containers.

    Many sites render the story as several ``<div class="story-text">`` blocks in
    different layout rows.  We find the best-scoring classed container inside the
    chosen one and add every other element with the same tag and class that holds
    real prose.
    """
    best = None
    best_score = 0.0
    for el, c in cands.items():
        if not el.get("class") or c.good_chars == 0:
            continue
        final = c.score * (1 - _link_density(c))
        if final > best_score and _within(el, {top}):
            best, best_score = el, final
    if best is None:
        return set()
    cls = best.get("class")
    out: set[etree._Element] = set()
    for el, c in cands.items():
        if el is best or el.tag != best.tag or el.get("class") != cls:
            continue
        if c.good_chars >= 50 and _link_density(c) < 0.3 and not _within(el, {top}):
            out.add(el)
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


DROP_CAPTIONS = True
_CAPTION = re.compile(r"caption|credit|copyright|photo-by|image-source", re.I)


def _is_caption(el: etree._Element) -> bool:
    """Figure captions and photo credits describe pictures we do not keep."""
    p: etree._Element | None = el
    for _ in range(4):
        if p is None:
            return False
        if p.tag in ("figcaption", "figure"):
            return True
        if _CAPTION.search((p.get("class") or "") + " " + (p.get("id") or "")):
            return True
        p = p.getparent()
    return False


_CTA = re.compile(
    r"subscrib|sign(ing)? up|newsletter|\bfollow (us|@|the \w+ on|\w+ on (twitter|facebook))|"
    r"download (the|our) .{0,40}app|copyright|©|all rights reserved|advertis|"
    r"submit your (letter|story|news)|contact us|send us (a|your)|share (this|on)|click here|"
    r"keep up with me|log(ged)? in to (post|comment)|to (post|leave) a comment|"
    r"kommentare zu schreiben|^category\s*:|^release date\s*:|^photograph by|^credit\s*:|"
    r"^(image|photo|source)\s*:|^tags?\s*:|^filed under|^posted in|^read (more|next)\b|"
    r"^related\b|^see also\b|^more (from|on)\b|rights reserved|terms of (use|service)|"
    r"privacy policy|cookie|category\s*:|^news date\b",
    re.I,
)
# Phrases that mark a short line as furniture wherever it appears in the article.
_CTA_ANYWHERE = re.compile(
    r"newsletter|subscri(be|ption)|sign(ing)? up (for|to)|submit your (letter|story|news)|"
    r"^\(?(photograph|photo|image|picture)s? (by|courtesy)|^\(?credit\s*:|"
    r"^\(?(photo|image|source)\s*:|(instant|online) access to|add (the )?ingredients to your|"
    r"^advertisement\b|^sponsored\b|all rights reserved",
    re.I,
)


#: A picture's caption written into the text: "... (Image: GETTY)", "(Photo: Reuters)".
_INLINE_CREDIT = re.compile(r"\((?:image|photo|picture|pic|credit|source)s?\s*:\s*[^()]{1,60}\)\s*$",
                            re.I)
#: A dateline or byline standing alone: "PUBLISHED: 00:01, Tue, Nov 19, 2019 | UPDATED: ...",
#: "By Jo Bloggs - 11/18/19 11:04 PM EST", "Updated at 1:23 p.m.".
_DATELINE = re.compile(
    r"^(?:(?:first\s+)?published|updated|last\s+updated|posted|modified)\s*(?:at|on|:)\s*\S"
    r"|^by\s+[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3}\s*[-|,\u2013\u2014]\s*\d",
    re.I,
)
#: Promotions for other stories: "Story one [INSIGHT] Story two [VIDEO]".
_PROMO_TAGS = re.compile(r"\[(?:[A-Z][A-Z ]{2,15})\]")


def _furniture_line(text: str) -> bool:
    """A short paragraph that is page furniture wherever it stands in the article."""
    t = text.strip()
    if len(t) < 300 and _INLINE_CREDIT.search(t):
        return True
    if len(t) < 140 and _DATELINE.match(t) and re.search(r"\d", t):
        return True
    # each promoted headline ends with its tag, so the paragraph does too
    # headlines, not sentences: no full stop between them
    return (len(_PROMO_TAGS.findall(t)) >= 2 and bool(re.search(r"\]\s*$", t))
            and not re.search(r"[.;]\s", t))


def _trim_calls_to_action(paras: list[str], headings: set[int] | None = None) -> list[str]:
    """Drop "subscribe / follow us / copyright" paragraphs that close many articles.

    Only short paragraphs are considered, and only at the end of the text (or, when
    tiny, anywhere), so an article that merely mentions subscriptions is left alone.
    """
    heading_texts = {paras[i] for i in (headings or set()) if i < len(paras)}
    out = [p for p in paras if not (len(p) < 100 and _CTA_ANYWHERE.search(p))]
    # A heading with nothing after it introduces the next widget, not the article.
    while out and (
        (len(out[-1]) < 300 and _CTA.search(out[-1])) or (out[-1] in heading_texts and len(out) > 1)
    ):
        out.pop()
    # Trailing boilerplate is often interleaved with one short neutral line.
    tail_start = max(0, len(out) - 4)
    out = [
        p
        for i, p in enumerate(out)
        if not (_CTA.search(p) and (len(p) < 40 or (i >= tail_start and len(p) < 200)))
    ]
    return out


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
    # Captions describe pictures we do not keep, except on galleries and slideshows,
    # where the captions *are* the article.
    caption_chars = sum(len(b.text) for b in blocks if _is_caption(b.container))
    total_chars = sum(len(b.text) for b in blocks) or 1
    drop_captions = DROP_CAPTIONS and caption_chars < 0.5 * total_chars
    out: list[str] = []
    heading_idx: set[int] = set()
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
        if drop_captions and _is_caption(b.container):
            continue
        if _furniture_line(text):
            continue
        if b.tag in HEADINGS:
            heading_idx.add(len(out))
        out.append(text)
        if first_p is None and b.tag in _PROSE_TAGS:
            first_p = " ".join(text.split())
    out = _trim_calls_to_action(out, heading_idx)
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
    chosen |= _split_parts(top, cands)
    inside = [b for b in blocks if _within(b.container, chosen)]
    return _render(inside, title)
