"""Evaluating a query tree against a Snapshot: matching set, then scores.

Matching is exact set algebra over whole posting lists (so totals and facet
counts are exact over all matches, not just the page shown). Scoring is BM25
over the weighted ``content`` field (a BM25F approximation: per-field weights
are folded into term frequency at index time), computed only for documents in
the final match set, in one tight loop per query term.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from itertools import chain
from operator import itemgetter

from curator.search import query as q
from curator.search.codec import KEY_MULT, block_keys
from curator.search.postings import LENGTH_TABLE, Snapshot

# BM25 parameters: within the textbook range (k1 1.2-2.0, b 0.75). Checked on
# two dev collections but deliberately not fitted to them (a held-out collection
# decides acceptance); document length is the field-weighted length (BM25F).
K1 = 1.4
B = 0.75
PREFIX_LIMIT = 128   # most terms one prefix may expand to
PHRASE_WINDOW_DOCS = 1024     # documents per phrase-intersection window
PHRASE_SPAN_LIMIT = 1 << 16   # phrase offsets stay clear of the next document's keys
_KEY_DOC = KEY_MULT.__rfloordiv__   # key -> document number
DENSE_PHRASE_SHARE = 8   # phrase candidates in >= 1/8 of documents: whole key arrays


def _windows(docs: list[int], width: int):
    """[start, stop) document ranges, each at most ``width`` wide, covering
    the sorted ``docs`` (a lone candidate gets a one-document window)."""
    it = iter(docs)
    start = last = next(it)
    for d in it:
        if d - start >= width:
            yield start, last + 1
            start = d
        last = d
    yield start, last + 1


class Evaluator:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._cache: dict[tuple[str, bool], tuple] = {}
        self._phrase_sets: dict[int, set[int]] = {}

    # ---------------------------------------------------------------- data

    def post(self, term: str, values: bool = False):
        got = self._cache.get((term, values))
        if got is None:
            got = self._cache.get((term, True)) if not values else None
            if got is None:
                got = self.snap.postings("content", term, values)
            self._cache[(term, values)] = got
        return got

    def termset(self, term: str) -> set[int]:
        return set(self.post(term)[0])

    # ---------------------------------------------------------------- matching

    def match(self, node) -> set[int]:
        snap = self.snap
        if isinstance(node, q.Term):
            return self.termset(node.stem)
        if isinstance(node, q.Phrase):
            return self._phrase(node)
        if isinstance(node, q.Prefix):
            out: set[int] = set()
            for term in self._prefix_terms(node):
                out.update(self.post(term)[0])
            return out
        if isinstance(node, q.Keyword):
            out = set()
            for v in node.values:
                out |= snap.docset(node.field, v)
            return out
        if isinstance(node, q.DateRange):
            out = set()
            for term in snap.terms_from(node.field, node.lo):
                if term > node.hi:
                    break
                out |= snap.docset(node.field, term)
            return out
        if isinstance(node, q.MatchAll):
            return set(snap.all_docs())
        if isinstance(node, q.Not):
            return set(snap.all_docs() - self.match(node.child))
        if isinstance(node, q.Or):
            out = set()
            for child in node.children:
                out |= self.match(child)
            return out
        if isinstance(node, q.And):
            pos = [c for c in node.children if not isinstance(c, q.Not)]
            neg = [c.child for c in node.children if isinstance(c, q.Not)]
            if pos:
                sets = sorted((self.match(c) for c in pos), key=len)
                out = sets[0]
                for s in sets[1:]:
                    if not out:
                        break
                    out &= s
            else:
                out = set(snap.all_docs())
            for c in neg:
                if not out:
                    break
                out -= self.match(c)
            return out
        return set()

    def _prefix_terms(self, node: q.Prefix) -> list[str]:
        from curator.search import analysis
        terms = self.snap.expand_prefix("content", node.prefix, PREFIX_LIMIT)
        stem = analysis.stem(node.prefix)
        if stem and stem not in terms and self.snap.doc_frequency("content", stem):
            terms.append(stem)
        return terms

    def _phrase(self, node: q.Phrase) -> set[int]:
        """Documents where every phrase term sits at its offset from a start.

        Positions are keys ``doc * KEY_MULT + position`` (codec.py). Adding
        ``maxoff - offset_k`` to term k's keys maps all terms of one phrase
        occurrence onto the same key, so the phrase's occurrences are the
        intersection of the shifted key sets: built from the term with the
        fewest positions, then narrowed by streaming the others through
        ``set.intersection_update`` - all in C, no per-document Python loop.
        Only blocks that can hold a candidate document (one containing every
        term) are decoded, so a rare term in the phrase keeps it cheap. Exact:
        every candidate is checked, so totals and facets stay exact.
        """
        key = id(node)
        got = self._phrase_sets.get(key)
        if got is not None:
            return got
        terms = node.terms
        maxoff = max(off for _t, off in terms)
        result: set[int] = set()
        if maxoff < PHRASE_SPAN_LIMIT:
            sets = sorted((self.termset(t) for t, _ in terms), key=len)
            cand = sets[0]
            for s in sets[1:]:
                if not cand:
                    break
                cand = cand & s
            if cand and len(cand) * DENSE_PHRASE_SHARE >= self.snap.doc_count_all:
                result = self._phrase_segments(terms, sorted(cand))
            elif cand:
                result = self._phrase_docs(terms, maxoff, sorted(cand))
        self._phrase_sets[key] = result
        return result

    def _phrase_segments(self, terms, cand: list[int]) -> set[int]:
        """_phrase for many candidates: segment by segment over cached whole
        key arrays (Snapshot.segment_keys), so a repeated word costs no
        decoding. Keys are aligned to the term with the most positions (the
        reference, shift 0), which then streams into the intersection as its
        array slice, with no per-key addition; other terms are shifted by
        ``ref_offset - offset`` (|shift| < PHRASE_SPAN_LIMIT, which keeps
        shifted keys inside their document, see schema.POSITION_LIMIT).
        """
        snap = self.snap
        found: set[int] = set()
        mult = KEY_MULT
        for seg, offset in snap.leaves:
            lo = bisect_left(cand, offset)
            hi = bisect_left(cand, offset + seg.doc_count_all(), lo)
            if lo == hi:
                continue
            arrays = []
            for term, off in terms:
                arr = snap.segment_keys(seg, term)
                if not arr:
                    break
                arrays.append((len(arr), off, arr))
            else:
                arrays.sort(key=lambda a: a[0])
                ref_off = arrays[-1][1]
                parts = [(arr, ref_off - off) for _n, off, arr in arrays]
                local = [d - offset for d in cand[lo:hi]]
                for start, stop in _windows(local, PHRASE_WINDOW_DOCS):
                    kstart, kstop = start * mult, stop * mult
                    keys: set[int] | None = None
                    for arr, shift in parts:
                        i = bisect_left(arr, kstart)
                        piece = arr[i:bisect_left(arr, kstop, i)]
                        stream = map(shift.__add__, piece) if shift else piece
                        if keys is None:
                            keys = set(stream)
                        else:
                            keys.intersection_update(stream)
                        if not keys:
                            break
                    if keys:
                        docs = set(map(_KEY_DOC, keys))
                        found.update(map(offset.__add__, docs) if offset else docs)
        return found

    def _phrase_docs(self, terms, maxoff: int, cand: list[int]) -> set[int]:
        lo_doc, hi_doc = cand[0], cand[-1]
        ncand = len(cand)
        # Per term: the blocks that can hold a candidate, with the addend that
        # makes their keys global and phrase-aligned.
        per_term = []
        for term, offset in terms:
            blocks = self.post(term, values=True)[2]
            shift = maxoff - offset
            use = []
            size = 0
            for first, last, base, data in blocks:
                if last < lo_doc or first > hi_doc:
                    continue
                i = bisect_left(cand, first)
                if i == ncand or cand[i] > last:
                    continue       # no candidate document in this block
                use.append((first, last, (base * KEY_MULT + shift).__add__, data))
                size += len(data)
            if not use:
                return set()
            per_term.append((size, use))
        per_term.sort(key=lambda p: p[0])    # fewest positions first
        # Intersect window by window of documents so each hash set stays small
        # enough to live in the CPU cache (one set over a whole 50,000-document
        # list was memory-bound). A block overlapping two windows goes to
        # both, so every document sees all of its keys in some window.
        found: set[int] = set()
        lists = [use for _size, use in per_term]
        idx = [0] * len(lists)
        start = lo_doc
        while start <= hi_doc:
            # Every term needs a block reaching ``start``; documents before
            # the latest first document of those blocks cannot match.
            for t, use in enumerate(lists):
                i = idx[t]
                while i < len(use) and use[i][1] < start:
                    i += 1
                if i == len(use):
                    return found
                idx[t] = i
            start = max(start, max(use[idx[t]][0] for t, use in enumerate(lists)))
            stop = start + PHRASE_WINDOW_DOCS      # the window is [start, stop)
            keys: set[int] | None = None
            for t, use in enumerate(lists):
                i = j = idx[t]
                while j < len(use) and use[j][0] < stop:
                    j += 1
                stream = chain.from_iterable(map(add, block_keys(data))
                                             for _f, _l, add, data in use[i:j])
                if keys is None:
                    keys = set(stream)
                else:
                    keys.intersection_update(stream)
                if not keys:
                    break
            if keys:
                found.update(map(_KEY_DOC, keys))
            start = stop
        return found

    # ---------------------------------------------------------------- scoring

    def scores(self, node, final: set[int]) -> dict[int, float]:
        acc: dict[int, float] = {}
        if final:
            self._score(node, final, acc)
        return acc

    def _score(self, node, final: set[int], acc: dict[int, float]) -> None:
        if isinstance(node, q.Term):
            self._score_term(node.stem, final, acc)
        elif isinstance(node, q.Phrase):
            within = final & self._phrase(node)
            for term, _ in node.terms:
                self._score_term(term, within, acc)
        elif isinstance(node, q.Prefix):
            best: dict[int, float] = {}
            for term in self._prefix_terms(node):
                part: dict[int, float] = {}
                self._score_term(term, final, part)
                for d, s in part.items():
                    if s > best.get(d, 0.0):
                        best[d] = s
            for d, s in best.items():
                acc[d] = acc.get(d, 0.0) + s
        elif isinstance(node, (q.And, q.Or)):
            for child in node.children:
                self._score(child, final, acc)
        # Keyword, DateRange, Not, MatchAll: filters only, no score.

    def _score_term(self, term: str, final: set[int], acc: dict[int, float]) -> None:
        if not final:
            return
        snap = self.snap
        ids, weights, _ = self.post(term)
        if not ids:
            return
        n = snap.doc_count_all
        df = len(ids)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        lengths = snap.lengths()
        avgdl = snap.avgdl or 1.0
        norm = [K1 * (1.0 - B + B * LENGTH_TABLE[i] / avgdl) for i in range(256)]
        c = idf * (K1 + 1.0)
        get = acc.get
        for d, w in zip(ids, weights, strict=True):
            if d in final:
                acc[d] = get(d, 0.0) + c * w / (w + norm[lengths[d]])


def top(scores: dict[int, float], final: set[int], limit: int) -> list[tuple[int, float]]:
    """Best ``limit`` documents; unscored matches follow, newest first."""
    if limit <= 0:
        return []
    ranked = heapq.nlargest(limit, scores.items(), key=lambda kv: (kv[1], -kv[0]))
    if len(ranked) < limit and len(scores) < len(final):
        rest = heapq.nlargest(limit - len(ranked), (d for d in final if d not in scores))
        ranked += [(d, 0.0) for d in rest]
    return ranked


def facet_counts(snap: Snapshot, final: set[int], fields: tuple[str, ...]) -> dict:
    out: dict[str, dict[str, int]] = {}
    for field in fields:
        counts: dict[str, int] = {}
        if final:
            cols = snap.facet_columns(field)
            if cols is not None:
                labels, slots = cols
                found = [0] * len(labels)
                pick = itemgetter(*final)      # a tuple for 2+ documents
                for slot in slots:
                    picked = bytes(pick(slot)) if len(final) > 1 else \
                        bytes((pick(slot),))
                    for code in set(picked):
                        if code < len(labels):
                            found[code] += picked.count(code)
                pairs = zip(labels, found, strict=True)
            else:
                pairs = ((term, _overlap(final, snap.docset(field, term)))
                         for term in snap.field_terms(field))
            for term, n in pairs:
                if n:
                    label = term.upper() if field == "theme" else term
                    counts[label] = counts.get(label, 0) + n
        out[field] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _overlap(a: set[int], b: frozenset[int]) -> int:
    return len(a & b) if len(b) < len(a) else len(b & a)


def positive_terms(node) -> list[str]:
    """Stems that can match text (for snippets), excluding negated parts."""
    out: list[str] = []
    if isinstance(node, q.Term):
        out.append(node.stem)
    elif isinstance(node, q.Phrase):
        out += [t for t, _ in node.terms]
    elif isinstance(node, q.Prefix):
        out.append(node.prefix)
    elif isinstance(node, (q.And, q.Or)):
        for child in node.children:
            out += positive_terms(child)
    return out


def highlight_terms(node) -> tuple[list[str], list[list[str]]]:
    """(single stems, phrases as stem lists) to mark in snippets."""
    singles: list[str] = []
    phrases: list[list[str]] = []

    def walk(n) -> None:
        if isinstance(n, q.Term):
            singles.append(n.stem)
        elif isinstance(n, q.Phrase):
            phrases.append([t for t, _ in n.terms])
        elif isinstance(n, (q.And, q.Or)):
            for c in n.children:
                walk(c)

    walk(node)
    return singles, phrases


def prefixes(node) -> list[str]:
    if isinstance(node, q.Prefix):
        return [node.prefix]
    if isinstance(node, (q.And, q.Or)):
        return [p for c in node.children for p in prefixes(c)]
    return []
