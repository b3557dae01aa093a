"""Linearise an HTML tree into paragraph-like text blocks.

Scoring and output both work on blocks rather than on the tree: a block is the run of
text between two block-level boundaries, together with the element that holds it and
how much of it is link text.  The walk is iterative (``iterwalk``) because real pages
nest thousands of levels deep and recursion would hit Python's limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul caption "
    "legend frameset frame noframes".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
PARA_TAGS = frozenset("p pre blockquote li dd dt td th figcaption address".split()) | HEADINGS
_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000]+")


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
                    Block(
                        text,
                        min(link_chars, len(text)),
                        container,
                        loose and container in has_block_child,
                        pre=pre_depth > 0,
                    )
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
