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
from array import array
from bisect import bisect_left, bisect_right
from itertools import compress, repeat
from operator import add, itemgetter, mul, truediv

from curator.search import query as q
from curator.search.codec import (
    KEY_MULT,
    PAIR_SPAN,
    block_base,
    block_keys,
    segment_positions,
)
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


def _keys_near(seg, term: str, cand: list[int]) -> array:
    """Segment keys of a content term in the candidate documents ``cand``
    (sorted segment docnums), and possibly others: blocks without a candidate
    are skipped, and a block with few candidates gives only theirs."""
    out = array("Q")
    extend = out.extend
    n = len(cand)
    i = 0
    mult = KEY_MULT
    for first, last, data in segment_positions(seg, term.encode("utf-8")):
        i = bisect_left(cand, first, i)
        if i == n:
            break
        if cand[i] > last:
            continue
        j = bisect_right(cand, last, i)
        base = block_base(data, first)
        keys = block_keys(data)
        add = (base * mult).__add__
        if (j - i) * 8 < last - first + 1:
            for d in cand[i:j]:
                lo = bisect_left(keys, (d - base) * mult)
                hi = bisect_left(keys, (d - base + 1) * mult, lo)
                if lo < hi:
                    extend(map(add, keys[lo:hi]))
        else:
            extend(map(add, keys))
        i = j
    return out


class Evaluator:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._cache: dict[str, tuple] = {}
        self._required: set[str] = set()
        self._final: set[int] = set()
        self._masks: dict[str, bytes] = {}   # a required word's postings -> is a match
        self._phrase_sets: dict[int, set[int]] = {}

    # ---------------------------------------------------------------- data

    def post(self, term: str):
        """(ids, weights) of a content term, global docnums."""
        got = self._cache.get(term)
        if got is None:
            got = self._cache[term] = self.snap.postings("content", term)
        return got

    def dense(self, term: str):
        """A common word's weight per document (0.0 where absent), else None."""
        return self.snap.dense_weights(term)[0]

    def termset(self, term: str) -> set[int]:
        return set(self.post(term)[0])

    # ---------------------------------------------------------------- matching

    def match(self, node) -> set[int]:
        snap = self.snap
        if isinstance(node, q.Term):
            dense = self.dense(node.stem)
            if dense is not None:
                return set(compress(range(len(dense)), dense))
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
                # Common words (dense weights) are tested document by document
                # on what the other parts matched; a plain word's posting list
                # is streamed into the set of the smallest part rather than
                # made into a set of its own.
                dense, rest = [], []
                for c in pos:
                    got = self.dense(c.stem) if isinstance(c, q.Term) else None
                    if got is None:
                        rest.append(c)
                    else:
                        dense.append(got)
                if rest:
                    parts = sorted((self.post(c.stem)[0] if isinstance(c, q.Term)
                                    else self.match(c) for c in rest), key=len)
                    first = parts[0]
                    if len(parts) == 1:
                        # Not changed below (it may be a cached set or list).
                        out = first if dense else set(first)
                    else:       # a new set: a phrase's set is cached, not to be changed
                        out = (first if isinstance(first, set) else set(first)).intersection(
                            parts[1])
                    for part in parts[2:]:
                        if not out:
                            break
                        out.intersection_update(part)
                else:
                    first = dense.pop()
                    every = map(mul, first, dense.pop()) if dense else first
                    out = set(compress(range(len(first)), every))
                for weights in dense:
                    out = set(compress(out, map(weights.__getitem__, out)))
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

        Exact: segment by segment, adjacent phrase words that are both common
        in the segment (and at most PAIR_SPAN apart) are checked from the
        segment's word-pair lists (codec.py), which give the positions where
        one is followed by the other directly; the remaining words are
        checked from their positions (_verify). Every candidate is checked,
        so totals and facets stay exact.
        """
        key = id(node)
        got = self._phrase_sets.get(key)
        if got is not None:
            return got
        terms = node.terms
        result: set[int] = set()
        if max(off for _t, off in terms) < PHRASE_SPAN_LIMIT:
            for seg, offset in self.snap.leaves:
                local, shift = self._phrase_in(seg, terms)
                if local:
                    shift += offset
                    result.update(map(shift.__add__, local) if shift else local)
        self._phrase_sets[key] = result
        return result

    def _phrase_in(self, seg, terms) -> tuple[set[int], int]:
        """``(docs, shift)``: the segment documents holding the phrase are
        ``d + shift`` for ``d`` in docs.

        Keys are ``doc * KEY_MULT + position`` (codec.py). Every part of the
        phrase - a pair of words from the pair lists, or a single word from
        its positions - lists the keys of its first word, each plus a
        constant (a pair's base; 0 for a single word); a part at phrase
        offset ``off`` holds ``start + off`` for each phrase occurrence. So
        the occurrences are found in the entry space of the pair with the
        fewest entries: its entries as they are, intersected with every
        other part's, each moved by one constant (C-level maps and set
        operations; no key is moved twice). A start before a document's
        first position cannot survive: the part holding the first phrase
        word has offset 0 and real positions.
        """
        snap = self.snap
        words = snap.pair_words(seg)
        units = []
        covered = [False] * len(terms)
        if words:
            for i in range(len(terms) - 1):
                (a, oa), (b, ob) = terms[i], terms[i + 1]
                if ob - oa <= PAIR_SPAN and a in words and b in words:
                    entries, base = snap.pair_slice(seg, a, b, ob - oa)
                    if not entries:
                        return set(), 0
                    units.append((len(entries), oa, entries, base))
                    covered[i] = covered[i + 1] = True
        singles = [t for t, c in zip(terms, covered, strict=True) if not c]
        if not units:
            return self._verify(seg, singles), 0
        units.sort(key=itemgetter(0))
        _n, ref_off, entries, ref_base = units[0]
        ref = ref_base + ref_off            # entry = ref + phrase start key
        # (entry // KEY_MULT is the document plus ref_base // KEY_MULT.)
        shift = -(ref_base // KEY_MULT)
        if len(units) == 1 and not singles:
            return set(map(_KEY_DOC, entries)), shift       # two words
        found = set(entries)
        for _n, off, entries, base in units[1:]:
            found = found.intersection(map((ref - base - off).__add__, entries))
            if not found:
                return set(), 0
        if singles:
            ndocs = seg.doc_count_all()
            cand = None
            if len(found) * DENSE_PHRASE_SHARE < ndocs:
                cand = sorted({d + shift for d in map(_KEY_DOC, found)})
            for term, off in singles:
                arr = snap.segment_keys(seg, term) if cand is None else \
                    _keys_near(seg, term, cand)
                found = found.intersection(map((ref - off).__add__, arr))
                if not found:
                    return set(), 0
        return set(map(_KEY_DOC, found)), shift

    def _verify(self, seg, singles) -> set[int]:
        """_phrase_in for a phrase checked from positions alone (a segment
        without pairs for it): ``singles`` are its (stem, offset) pairs.

        Only documents holding every word are candidates.
        Many candidates: whole cached key arrays of the segment
        (Snapshot.segment_keys), intersected window by window of documents so
        each hash set stays small enough for the CPU cache; the term with the
        most keys is the reference (shift 0) and streams in as array slices.
        Few candidates: only the posting blocks holding one are decoded
        (_keys_near), so a rare word keeps the phrase cheap.
        """
        snap = self.snap
        sets = sorted((snap.segment_ids(seg, t) for t, _ in singles), key=len)
        found = set(sets[0])
        for ids in sets[1:]:
            if not found:
                break
            found.intersection_update(ids)
        if not found:
            return set()
        cand = sorted(found)
        dense = len(cand) * DENSE_PHRASE_SHARE >= seg.doc_count_all()
        arrays = []
        for term, off in singles:
            arr = snap.segment_keys(seg, term) if dense else _keys_near(seg, term, cand)
            if not arr:
                return set()
            arrays.append((len(arr), off, arr))
        arrays.sort(key=itemgetter(0))
        ref_off = arrays[-1][1]
        parts = [(arr, ref_off - off) for _n, off, arr in arrays]
        mult = KEY_MULT
        found = set()
        for start, stop in _windows(cand, PHRASE_WINDOW_DOCS):
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
                found.update(map(_KEY_DOC, keys))
        return found

    # ---------------------------------------------------------------- scoring

    def scores(self, node, final: set[int]) -> dict[int, float]:
        """BM25 scores of the documents in ``final`` that any query term
        scores (unscored matches are left out; ``top`` puts them last).

        Computed as lists aligned with one list of the final documents,
        with C-level ``map`` passes (a term's weight per document from a
        dict of its postings, then BM25 by operator functions), not a
        Python loop per posting: about three times faster on common words."""
        if not final:
            return {}
        self._required = required = _required(node)
        self._masks = {}
        docs = None
        for term in required:
            got = self._cache.get(term)
            if got is not None:
                # A word every match holds: its postings, masked to the
                # matches, are the matches in document order, and so is
                # every other such word's (see _term_scores).
                mask = self._masks[term] = bytes(map(final.__contains__, got[0]))
                docs = list(compress(got[0], mask))
                break
        if docs is None or len(docs) != len(final):
            docs = list(final)
            self._required = set()
        self._final = final
        lengths = self.snap.lengths()
        avgdl = self.snap.avgdl or 1.0
        norm = [K1 * (1.0 - B + B * LENGTH_TABLE[i] / avgdl) for i in range(256)]
        self._docs = docs
        self._norms = list(map(norm.__getitem__, map(lengths.__getitem__, docs)))
        acc = self._score(node, final, [0.0] * len(docs))
        return dict(compress(zip(docs, acc), acc))

    def _score(self, node, final: set[int], acc: list[float]) -> list[float]:
        if isinstance(node, q.Term):
            return self._add(acc, self._term_scores(node.stem))
        if isinstance(node, q.Phrase):
            within = final & self._phrase(node)
            if not within:
                return acc
            mask = list(map(within.__contains__, self._docs))
            for term, _ in node.terms:
                acc = self._add(acc, map(mul, self._term_scores(term), mask))
            return acc
        if isinstance(node, q.Prefix):
            # A document scores as its best-scoring expansion.
            best = None
            for term in self._prefix_terms(node):
                got = self._term_scores(term)
                best = got if best is None else list(map(max, best, got))
            return acc if best is None else self._add(acc, best)
        if isinstance(node, (q.And, q.Or)):
            for child in node.children:
                acc = self._score(child, final, acc)
        # Keyword, DateRange, Not, MatchAll: filters only, no score.
        return acc

    @staticmethod
    def _add(acc: list[float], scores) -> list[float]:
        return list(map(add, acc, scores))

    def _term_scores(self, term: str) -> list[float]:
        """The term's BM25 score for each of ``self._docs`` (0.0 where absent)."""
        snap = self.snap
        docs = self._docs
        dense, df = snap.dense_weights(term)
        if dense is not None:
            return self._bm25(df, list(map(dense.__getitem__, docs)))
        got = self._cache.get(term)
        weight_of: dict[int, float] = {}
        if got is not None and term in self._required:
            # Every document scored holds the term, in the order of its
            # postings: its weights masked to the matches line up with docs.
            mask = self._masks.get(term)
            if mask is None:
                mask = self._masks[term] = bytes(map(self._final.__contains__, got[0]))
            w = list(compress(got[1], mask))
            df = len(got[1])
            if len(w) == len(docs):
                return self._bm25(df, w)
        if got is not None:                 # global lists made for matching
            weight_of = dict(zip(got[0], got[1]))
            df = len(got[1])
        else:                               # segment by segment, no global list
            df = 0
            for seg, offset in snap.leaves:
                ids, weights = snap.term_postings(seg, term)
                if ids:
                    df += len(weights)
                    weight_of.update(zip(map(offset.__add__, ids) if offset else ids,
                                         weights))
        if not df:
            return [0.0] * len(docs)
        return self._bm25(df, list(map(weight_of.get, docs, repeat(0.0, len(docs)))))

    def _bm25(self, df: int, w: list[float]) -> list[float]:
        """BM25 of a term of document frequency ``df`` for each of
        ``self._docs``, given its weight in each (0.0 where absent)."""
        n = self.snap.doc_count_all
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        c = idf * (K1 + 1.0)
        # c * w / (w + norm): 0.0 where the term is absent (norm > 0).
        return list(map(truediv, map(c.__mul__, w), map(add, w, self._norms)))


def _required(node) -> set[str]:
    """Stems every match of ``node`` holds (its plain words and phrase
    words, through And but not Or, Not or prefixes)."""
    if isinstance(node, q.Term):
        return {node.stem}
    if isinstance(node, q.Phrase):
        return {t for t, _ in node.terms}
    if isinstance(node, q.And):
        out: set[str] = set()
        for child in node.children:
            if not isinstance(child, q.Not):
                out |= _required(child)
        return out
    return set()


def top(scores: dict[int, float], final: set[int], limit: int) -> list[tuple[int, float]]:
    """Best ``limit`` documents (score down, then document number up);
    unscored matches follow, newest first."""
    if limit <= 0:
        return []
    if len(scores) > limit:
        # The limit-th best score, then only documents scoring at least that
        # are sorted: C-level passes instead of a key function per document.
        kth = heapq.nlargest(limit, scores.values())[-1]
        best = compress(scores, map(kth.__le__, scores.values()))
        pairs = [(d, scores[d]) for d in best]
    else:
        pairs = list(scores.items())
    pairs.sort(key=_RANK)
    ranked = pairs[:limit]
    if len(ranked) < limit and len(scores) < len(final):
        rest = heapq.nlargest(limit - len(ranked), (d for d in final if d not in scores))
        ranked += [(d, 0.0) for d in rest]
    return ranked


def _rank(kv: tuple[int, float]) -> tuple[float, int]:
    return -kv[1], kv[0]


_RANK = _rank
