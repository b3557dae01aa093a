"""Where a search's words are in a text, for showing them marked.

The words are matched as search matches them: folded (case and accents), stemmed (so
"assessment" marks "assessments" and "assessing" too), and ``prefix*`` as a prefix. Field filters (``theme:DA``), excluded words (``-word``), ``OR`` and stop words
mark nothing.
"""

from __future__ import annotations

import re

from curator.search import analysis

_QUERY_TOKEN = re.compile(r'[A-Za-z_]+:(?:"[^"]*"?|[^\s()"]*)|-[^\s()"]+|"[^"]*"?|[^\s()"|]+')
_WORD = re.compile(r"[^\W_]+")
#: The most marks made in one text: enough for any page a person reads through.
MAX_MARKS = 5_000


def query_words(query: str) -> tuple[list[str], list[str]]:
    """The (stems, prefixes) a query's words mark."""
    stems: list[str] = []
    prefixes: list[str] = []
    for token in _QUERY_TOKEN.findall(query or ""):
        if token.startswith("-") or re.match(r"[A-Za-z_]+:", token) or token == "OR":
            continue
        for raw in re.findall(r"[^\W_]+\*?", token.strip('"')):
            if raw.endswith("*"):
                word = analysis.fold(raw[:-1])
                if len(word) >= 2 and word not in prefixes:
                    prefixes.append(word)
                continue
            stem = analysis.stem(analysis.fold(raw))
            if stem and stem not in stems:
                stems.append(stem)
    return stems, prefixes


def marks(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every word of *text* the query's words match, in order."""
    stems, prefixes = query_words(query)
    if not (stems or prefixes) or not text:
        return []
    wanted = set(stems)
    out: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        word = analysis.fold(m.group())
        if analysis.stem(word) in wanted or any(word.startswith(p) for p in prefixes):
            out.append(m.span())
            if len(out) >= MAX_MARKS:
                break
    return out
