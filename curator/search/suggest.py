""""Did you mean": unknown or rare free words replaced by close index words.

For each plain word typed (not phrases, prefixes or filters) whose stem is in
no document, or in very few while nothing matched, the index's ``content``
terms within edit distance 1 (stems of up to 5 letters) or 2 are looked up
segment by segment (Whoosh's ``terms_within``, a Levenshtein automaton over
the term dictionary), and the most frequent one clearly more frequent than
the word itself wins. It is shown as a real word form, read from a document
that holds it.

Bounded (limits.py): words longer than SUGGEST_MAX_CHARS are skipped (the
automaton grows with a word's length), and looking stops at a deadline of
SUGGEST_SECONDS; words not reached by then keep their spelling.
"""

from __future__ import annotations

import re
import time

from curator.search import analysis, limits
from curator.search.postings import Snapshot
from curator.search.schema import stored_excerpt

MIN_CHARS = 4       # shorter words are too often right and too easily "corrected"


def suggest(snap: Snapshot, text: str, free_words: list[str], total: int,
            clock=time.monotonic) -> str | None:
    """``text`` with its misspelt free words replaced, or None if none was.
    ``total`` is how many documents the query matched."""
    deadline = clock() + limits.SUGGEST_SECONDS
    changed = False
    out = text
    for surface in dict.fromkeys(free_words):
        if clock() >= deadline:
            break
        word = analysis.fold(surface)
        if not MIN_CHARS <= len(word) <= limits.SUGGEST_MAX_CHARS:
            continue
        stem = analysis.stem(word)
        if not stem or stem.isdigit():
            continue
        df = snap.doc_frequency("content", stem)
        if df and (total or df >= 3):
            continue
        best = closest(snap, stem, df, deadline, clock)
        if best is None:
            continue
        replacement = surface_for(snap, best) or best
        if replacement.lower() != word:
            out = re.sub(r"(?<![^\W_])" + re.escape(surface) + r"(?![^\W_])",
                         replacement, out, count=1)
            changed = True
    return out if changed else None


def closest(snap: Snapshot, stem: str, own_df: int, deadline: float = float("inf"),
            clock=time.monotonic) -> str | None:
    """The most frequent index stem near ``stem`` (None if none is clearly
    more frequent); segments not reached by ``deadline`` are not looked at."""
    maxdist = 1 if len(stem) <= 5 else 2
    best, best_key = None, None
    for seg, _off in snap.leaves:
        if clock() >= deadline:
            break
        try:
            cands = list(seg.terms_within("content", stem, maxdist, prefix=1))
        except Exception:
            continue
        for cand in cands:
            if cand == stem:
                continue
            df = snap.doc_frequency("content", cand)
            if df <= max(own_df, 0) * 3 or df < 2:
                continue
            key = (df, -abs(len(cand) - len(stem)))
            if best_key is None or key > best_key:
                best, best_key = cand, key
    return best


def surface_for(snap: Snapshot, stem: str) -> str | None:
    """A real word form of a stem, read from one document containing it."""
    ids = snap.postings("content", stem)[0][:3]
    for d in ids:
        if d in snap.deleted:
            continue
        stored = snap.stored(d)
        for text in (stored.get("title") or "", stored.get("summary") or "",
                     stored_excerpt(stored.get("excerpt"))):
            counts: dict[str, int] = {}
            for w in analysis.words(text):
                if analysis.stem(w) == stem:
                    counts[w] = counts.get(w, 0) + 1
            if counts:
                return max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
    return None
