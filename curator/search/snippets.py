"""Snippets: a short passage around the matched words, marked with [[ ]].

Why not Whoosh's highlighter: it re-analyses the whole stored text of every hit
(tokenise, stem, score fragments) for each result; with 1,500-word pages and 50
hits that alone cost more than the search. Here a single compiled regex finds
candidate words by the prefix their stem implies, only those candidates are
stemmed to confirm, and the best window is the one with the most distinct
query terms. Text is the stored excerpt (bounded), falling back to summary.
"""

from __future__ import annotations

import codecs
import re
import zlib
from functools import lru_cache

from curator.search import analysis

WINDOW = 220        # characters of context in a snippet
MAX_CANDIDATES = 400
HEAD_CHARS = 3_000


@lru_cache(maxsize=64)
def _matcher(stems: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern | None:
    """The candidate-word pattern of a query's terms (made once per query, not
    once per hit: a page of 50 hits asks for the same one 50 times)."""
    heads = set()
    for s in stems:
        if s:
            heads.add(s[:-1] if len(s) > 3 else s)
    for p in prefixes:
        heads.add(p)
    if not heads:
        return None
    alts = "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))
    # No look-behind for the word start (_hits checks it) and no IGNORECASE
    # (the text is lower-cased): either one stops the regex engine from
    # skipping quickly to a possible first letter, which made it ~3x slower.
    return re.compile(r"(?:" + alts + r")[^\W_]*")


def _hits(text: str, pattern: re.Pattern, stems: set[str], prefixes: list[str],
          enough=None):
    """Candidate words in order, (start, end, stem); stops early once
    ``enough(out)`` says the best window cannot get better."""
    out = []
    probe = text.lower()
    stem = analysis.stem
    for m in pattern.finditer(probe):
        start = m.start()
        if start and probe[start - 1].isalnum():
            continue        # inside a word; a match runs to the word's end, so none is missed
        word = analysis.fold(m.group(0))
        got = stem(word)
        if got in stems or any(word.startswith(p) for p in prefixes):
            out.append((start, m.end(), got or word))
            if len(out) >= MAX_CANDIDATES or (enough is not None and enough(out)):
                break
    return out


def _stop_rule(singles: set[str], prefixes: list[str], phrases: list[list[str]]):
    """When a scan can stop: a window already holding every query word (the
    best a snippet can show), for plain words or one phrase alone; None
    (scan on) for prefixes and mixtures."""
    if prefixes or (phrases and (singles or len(phrases) > 1)):
        return None
    if phrases:
        phrase = phrases[0]
        k = len(phrase)

        def found_phrase(out) -> bool:
            if len(out) < k or out[-1][2] != phrase[-1]:
                return False
            tail = out[-k:]
            return all(tail[j][2] == phrase[j] for j in range(k)) and all(
                tail[j + 1][0] - tail[j][1] <= 25 for j in range(k - 1))
        return found_phrase
    need = len(singles)

    def all_words(out) -> bool:
        end = out[-1][1]
        seen = set()
        for s, _e, t in reversed(out):
            if end - s > WINDOW:
                break
            seen.add(t)
        return len(seen) >= need
    return all_words


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


class _Text:
    """A snippet source: plain text, or the stored excerpt (zlib-compressed
    UTF-8, see schema.stored_excerpt) decompressed only as far as a snippet
    needs - usually its first HEAD_CHARS characters of up to 20,000."""

    __slots__ = ("_text", "_z", "_decoder", "_tail")

    def __init__(self, value: str | bytes | None) -> None:
        self._text = ""
        self._z = None
        if isinstance(value, str):
            self._text = value
        elif value:
            self._z = zlib.decompressobj()
            self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
            self._tail = value

    def upto(self, chars: int | None = None) -> str:
        """The first ``chars`` characters (all of them if None)."""
        z = self._z
        while z is not None and (chars is None or len(self._text) < chars):
            # A character is at least one byte: asking for as many bytes as
            # characters still missing never overshoots by much.
            want = 1 << 16 if chars is None else max(chars - len(self._text), 1024)
            chunk = z.decompress(self._tail, want)
            self._tail = z.unconsumed_tail
            if z.eof or not (chunk or self._tail):
                self._text += self._decoder.decode(chunk + z.flush(), final=True)
                self._z = z = None
            else:
                self._text += self._decoder.decode(chunk)
        return self._text if chars is None else self._text[:chars]


def make_snippet(excerpt: str | bytes, summary: str, stems: list[str], prefixes: list[str],
                 phrases: list[list[str]] | None = None) -> str:
    """``excerpt``: page text, or the stored (compressed) excerpt as is."""
    phrases = [p for p in (phrases or []) if p]
    singles = {s for s in stems if s}
    stemset = singles | {t for p in phrases for t in p}
    pattern = _matcher(tuple(sorted(stemset)), tuple(prefixes))
    enough = _stop_rule(singles, prefixes, phrases)
    sources = (_Text(excerpt), _Text(summary))
    if pattern is not None:
        for source in sources:
            head = source.upto(HEAD_CHARS + 1)
            if not head:
                continue
            longer = len(head) > HEAD_CHARS
            head = head[:HEAD_CHARS]
            # Most pages show the words early: scan the start first, and the
            # rest only if the start lacks some of the query's terms.
            hits = _keep(_hits(head, pattern, stemset, prefixes, enough), singles, prefixes,
                         phrases)
            if longer and len({h[2] for h in hits}) < len(stemset):
                hits = _keep(_hits(source.upto(), pattern, stemset, prefixes, enough), singles,
                             prefixes, phrases)
            if hits:
                i, _n = _best_window(hits)
                start = max(0, hits[i][0] - 60)
                end = start + WINDOW + 60
                # _clip looks at most 30 characters past ``end``.
                return _clip(source.upto(end + 31), start, end, hits)
    limit = WINDOW + 60
    base = sources[1].upto(limit + 31) or sources[0].upto(limit + 31)
    if not base:
        return ""
    return _clip(base, 0, min(len(base), limit), [])
