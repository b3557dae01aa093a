"""Bounds on what a query may cost, whatever is typed or pasted.

Found by feeding the search bad input: a query of 2,000 words took 29 s and one
of 10,000 words 3 minutes, nearly all in "did you mean", and a single word of
5,000 characters 11 s (the fuzzy matcher's automaton grows with a word's length).
So, before anything else is done with it:

* a query is cut to its first MAX_QUERY_CHARS characters and MAX_QUERY_WORDS
  words (``limit_query``); it is searched, not refused, and the results carry a
  notice saying what was searched;
* a word whose stem is longer than MAX_TERM_CHARS is searched as the prefix of
  its first MAX_TERM_CHARS characters (query.py), which still finds documents
  holding the whole word, and never gets a "did you mean";
* "did you mean" looks at words of at most SUGGEST_MAX_CHARS characters and
  stops at a deadline (suggest.py).
"""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 1_000   # longer queries are cut (with a notice), not refused
MAX_QUERY_WORDS = 64      # runs of letters or digits kept (operators count too)
MAX_TERM_CHARS = 100      # a longer word is searched as a prefix of this length
SUGGEST_MAX_CHARS = 32    # "did you mean" skips longer words (no one misspells them)
SUGGEST_SECONDS = 0.2     # "did you mean" stops looking after this long

_WORD = re.compile(r"[^\W_]+")


def limit_query(text: str) -> tuple[str, str | None]:
    """``(query, notice)``: the query cut to MAX_QUERY_CHARS characters and
    MAX_QUERY_WORDS words, with a quote or parentheses the cut left open
    closed again. The notice (None if nothing was cut) says what was searched.

    A character cut backs off to the last space, so no half word is searched,
    unless what follows that space is itself longer than MAX_TERM_CHARS: that
    word's start is kept, as it would be searched as a prefix anyway.
    """
    cut = None
    if len(text) > MAX_QUERY_CHARS:
        head = text[:MAX_QUERY_CHARS]
        if not text[MAX_QUERY_CHARS].isspace():
            for i in range(len(head) - 1, max(len(head) - MAX_TERM_CHARS, 0) - 1, -1):
                if head[i].isspace():
                    head = head[:i]
                    break
        text, cut = head, f"{MAX_QUERY_CHARS:,} characters"
    end = 0
    for n, m in enumerate(_WORD.finditer(text)):
        if n == MAX_QUERY_WORDS:
            text, cut = text[:end], f"{MAX_QUERY_WORDS} words"
            break
        end = m.end()
    if cut is None:
        return text, None
    return (_close_open(text.rstrip()),
            f"Your search was too long, so Curator searched for its first {cut}.")


def _close_open(text: str) -> str:
    """Close a quote and parentheses that a cut left open (as query.py reads
    them: parentheses inside quotes are text)."""
    quoted = False
    depth = 0
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")" and depth:
            depth -= 1
    return text + ('"' if quoted else "") + ")" * depth


def join_notices(*notices: str | None) -> str | None:
    """Every notice that applies, in order, as one text (None if none)."""
    return " ".join(n for n in notices if n) or None
