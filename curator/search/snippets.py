"""Snippets: a short passage around the matched words, marked with [[ ]].

Why not Whoosh's highlighter: it re-analyses the whole stored text of every hit
(tokenise, stem, score fragments) for each result; with 1,500-word pages and 50
hits that alone cost more than the search. Here a single compiled regex finds
candidate words by the prefix their stem implies, only those candidates are
stemmed to confirm, and the best window is the one with the most distinct
query terms. Text is the stored excerpt (bounded), falling back to summary.
"""

from __future__ import annotations

import re

from curator.search import analysis

WINDOW = 220        # characters of context in a snippet
MAX_CANDIDATES = 400
HEAD_CHARS = 3_000


def _matcher(stems: list[str], prefixes: list[str]) -> re.Pattern | None:
    heads = set()
    for s in stems:
        if s:
            heads.add(s[:-1] if len(s) > 3 else s)
    for p in prefixes:
        heads.add(p)
    if not heads:
        return None
    alts = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))
    return re.compile(r"(?<![^\W_])(?:" + alts + r")[^\W_]*", re.IGNORECASE)


def _hits(text: str, pattern: re.Pattern, stems: set[str], prefixes: list[str]):
    out = []
    # Folding for matching only when it keeps offsets (plain ASCII).
    probe = text if text.isascii() else text.lower()
    for m in pattern.finditer(probe):
        word = analysis.fold(m.group(0))
        if analysis.stem(word) in stems or any(word.startswith(p) for p in prefixes):
            out.append((m.start(), m.end(), analysis.stem(word) or word))
            if len(out) >= MAX_CANDIDATES:
                break
    return out


def _best_window(hits) -> tuple[int, int]:
    best = (0, -1, 0)   # (distinct terms, -start, index)
    j = 0
    for i, (start, _end, _t) in enumerate(hits):
        seen = set()
        j = i
        while j < len(hits) and hits[j][1] - start <= WINDOW:
            seen.add(hits[j][2])
            j += 1
        score = (len(seen), -start)
        if score > best[:2]:
            best = (len(seen), -start, i)
    return best[2], best[0]


def _clip(text: str, start: int, end: int, hits) -> str:
    """Cut text[start:end] at word boundaries and wrap hits in [[ ]]."""
    if start > 0:
        sp = text.rfind(" ", max(0, start - 30), start)
        start = sp + 1 if sp >= 0 else start
    if end < len(text):
        sp = text.find(" ", end, end + 30)
        end = sp if sp >= 0 else end
    out = []
    pos = start
    for s, e, _t in hits:
        if s < start or e > end:
            continue
        out.append(text[pos:s])
        out.append("[[" + text[s:e] + "]]")
        pos = e
    out.append(text[pos:end])
    body = " ".join("".join(out).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(text) else "")


def _keep(hits, singles: set[str], prefixes: list[str], phrases: list[list[str]]):
    """Keep single-term hits, and phrase words only where the phrase occurs."""
    keep = [h[2] in singles or any(h[2].startswith(p) for p in prefixes) for h in hits]
    for phrase in phrases:
        k = len(phrase)
        for i in range(len(hits) - k + 1):
            if all(hits[i + j][2] == phrase[j] for j in range(k)) and all(
                    hits[i + j + 1][0] - hits[i + j][1] <= 25 for j in range(k - 1)):
                for j in range(k):
                    keep[i + j] = True
    return [h for h, ok in zip(hits, keep, strict=True) if ok]


def make_snippet(excerpt: str, summary: str, stems: list[str], prefixes: list[str],
                 phrases: list[list[str]] | None = None) -> str:
    phrases = [p for p in (phrases or []) if p]
    singles = {s for s in stems if s}
    stemset = singles | {t for p in phrases for t in p}
    pattern = _matcher(sorted(stemset), prefixes)
    if pattern is not None:
        for text in (excerpt, summary):
            if not text:
                continue
            # Most pages show the words early: scan the start first, and the
            # rest only if the start lacks some of the query's terms.
            head = text[:HEAD_CHARS]
            hits = _keep(_hits(head, pattern, stemset, prefixes), singles, prefixes, phrases)
            if len(text) > HEAD_CHARS and len({h[2] for h in hits}) < len(stemset):
                hits = _keep(_hits(text, pattern, stemset, prefixes), singles, prefixes,
                             phrases)
            if hits:
                i, _n = _best_window(hits)
                start = max(0, hits[i][0] - 60)
                return _clip(text, start, start + WINDOW + 60, hits)
    base = summary or excerpt or ""
    if not base:
        return ""
    return _clip(base, 0, min(len(base), WINDOW + 60), [])
