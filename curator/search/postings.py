"""Reading whole posting lists straight from Whoosh segments, fast.

Why: Whoosh's matcher tree advances one posting at a time through several
layers of Python method calls (and scores every candidate as it goes), which
is what made two-word and phrase queries take ~0.5 s on 50,000 documents.
Reading each needed posting list once, block by block, into arrays and then
combining them with set operations and a tight scoring loop does the same work
in a fraction of the time. One ``Snapshot`` wraps one Whoosh searcher (one
consistent set of segments); it caches per-segment data that never changes.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from pickle import loads

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

from curator.search.codec import (
    COMMON_TERM,
    DENSE_SHARE,
    KEY_MULT,
    PAIR_SPAN,
    PAIR_UNIT,
    PAIRS_FIELD,
    block_base,
    block_keys,
    dense_array,
    le_array,
    pair_piece_term,
    segment_dense,
    segment_positions,
    segment_postings,
    term_info,
)

# Segment-level caches survive searcher refreshes (segments are immutable);
# keyed by segment id. Small: lengths are one byte per document.
_LENGTH_CACHE: dict[str, bytes] = {}
DOCSET_CACHE_MEMBERS = 1_500_000   # ~90 MB at most of cached keyword doc sets
# Facet value columns per (segment id, field): (labels, slots); see facet_columns.
_COLUMN_CACHE: dict[tuple[str, str], tuple[list[str], list[bytes]] | None] = {}
COLUMN_SLOTS = 4      # most values of one facet field per document held in columns
# Common words of each segment's pair lists (codec.py), per segment id:
# (word -> index in pair codes, first code of each piece per word), or None
# for a segment without pair lists.
_PAIR_WORDS: dict[str, tuple[dict[str, int], list[array]] | None] = {}
_NO_VALUE = 255
_PLUS_ONE = bytes([*range(1, 255), 0, 0])   # code -> code + 1; no value (255) -> 0


class _SizedCache:
    """Least-recently-used cache bounded by the (estimated) bytes it holds."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        got = self._items.get(key)
        if got is not None:
            self._items.move_to_end(key)
            return got[0]
        return None

    def put(self, key, value, size: int) -> None:
        if size > self.limit // 4:
            return                      # never let one entry flush the rest
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self._items[key] = (value, size)
        self.size += size
        while self.size > self.limit:
            _k, (_v, sz) = self._items.popitem(last=False)
            self.size -= sz

    def clear(self) -> None:
        self._items.clear()
        self.size = 0


# Whole content-position key arrays per (segment id, term), segment document
# numbers, 8 bytes per position; ~4 MB for a word in every one of 50,000
# documents ten times. Bounded so the app's memory stays bounded.
KEY_CACHE_BYTES = 64 << 20
_KEY_CACHE = _SizedCache(KEY_CACHE_BYTES)
# Document ids and weights (no positions) per (segment id, field, term), as
# typed arrays: 8 bytes per posting, ~0.4 MB for a word in 50,000 documents.
POSTINGS_CACHE_BYTES = 48 << 20
POSTINGS_CACHE_MIN = 512    # shorter lists are cheap to read; not cached
_POSTINGS_CACHE = _SizedCache(POSTINGS_CACHE_BYTES)
# Dense weights of common content words per (segment id, term): one float per
# document of the segment, 0.0 where the word is absent (Snapshot.dense_weights).
# A word in 1/DENSE_SHARE or more of the documents is looked up, not walked: a filter
# or a second word tests just its own matches against it, so "theme:DA worker"
# touches the theme's documents, not the 48,000 postings of "worker". At 50,000
# documents one word's array is 200 KB; the cache holds ~300 such words.
DENSE_CACHE_BYTES = 64 << 20
_DENSE_CACHE = _SizedCache(DENSE_CACHE_BYTES)
_SNAPSHOT_DENSE = 64          # whole-index dense arrays kept per snapshot


class Snapshot:
    """A consistent view of the index for one or more queries."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = [(r, off) for r, off in searcher.reader().leaf_readers()
                       if r.doc_count_all()]   # an empty index has a stub reader
        gen = self.reader.generation()
        self.generation = -2 if gen is None else gen   # TOC generation being read
        self.doc_count_all = self.reader.doc_count_all()
        self.doc_count = self.reader.doc_count()
        deleted: set[int] = set()
        for seg, offset in self.leaves:
            if seg.has_deletions():
                deleted.update(offset + d for d in seg.deleted_docs_set)
        self.deleted = deleted
        total_len = self.reader.field_length("content") or 0
        self.avgdl = (total_len / self.doc_count_all) if self.doc_count_all else 1.0
        self._lengths: bytes | None = None
        self._docsets: dict[tuple[str, bytes], frozenset[int]] = {}
        self._docset_members = 0
        self._all: frozenset[int] | None = None
        self._columns: dict[str, tuple[list[str], list[bytes]] | None] = {}
        self._integers: dict[str, list[tuple[int, list[int]]]] = {}
        self._field_terms: dict[str, list[str]] = {}
        self._dense: dict[str, tuple[array | None, int]] = {}

    # -------------------------------------------------------------- documents

    def all_docs(self) -> frozenset[int]:
        if self._all is None:
            self._all = frozenset(range(self.doc_count_all)) - self.deleted
        return self._all

    def lengths(self) -> bytes:
        """Quantised content length byte for every global document number."""
        if self._lengths is None:
            parts = []
            for seg, _offset in self.leaves:
                key = seg.segment().segment_id()
                got = _LENGTH_CACHE.get(key)
                if got is None:
                    n = seg.doc_count_all()
                    col = seg._perdoc._cached_reader(_lenfield("content"), LENGTHS_COLUMN)
                    got = _length_bytes(col, n)
                    if len(_LENGTH_CACHE) > 256:
                        _LENGTH_CACHE.clear()
                    _LENGTH_CACHE[key] = got
                parts.append(got)
            self._lengths = b"".join(parts)
        return self._lengths

    def warm(self, fields: tuple[str, ...]) -> None:
        """Read now what every search needs (lengths, the facet columns of *fields*), so
        that the first search after opening or a commit does not pay for it."""
        self.lengths()
        for field in fields:
            self.facet_columns(field)

    def segment_files(self) -> list:
        """A part of each segment's file (its postings), for :func:`storage.read_through`,
        which reads the whole file into the file cache."""
        return [seg._terms._postfile for seg, _offset in self.leaves]

    # -------------------------------------------------------------- postings

    def postings(self, field: str, term: str):
        """(ids, weights) over all segments, global docnums, sorted.
        Deleted documents are still present; callers intersect with live sets.
        """
        btext = term.encode("utf-8")
        ids: list[int] = []
        weights: list[float] = []
        for seg, offset in self.leaves:
            sids, sw = _ids_weights(seg, field, btext)
            ids.extend(map(offset.__add__, sids) if offset else sids)
            weights.extend(sw)
        return ids, weights

    def dense_weights(self, term: str) -> tuple[array | None, int]:
        """(weights, document frequency) of a content word: the weights as one
        float per global document number (0.0 where absent) when the word is in
        at least 1/DENSE_SHARE of the documents, else None. Cached per segment
        (segments never change) and, for the last few words, per snapshot."""
        got = self._dense.get(term)
        if got is not None:
            return got
        df = self.doc_frequency("content", term)
        dense = None
        if df and df * DENSE_SHARE >= self.doc_count_all:
            btext = term.encode("utf-8")
            dense = array("f")
            for seg, offset in self.leaves:
                if offset != len(dense):           # leaves are contiguous; be safe
                    dense.frombytes(bytes(4 * (offset - len(dense))))
                key = (seg.segment().segment_id(), btext)
                part = _DENSE_CACHE.get(key)
                if part is None:
                    n = seg.doc_count_all()
                    part = segment_dense(seg, btext)    # stored when the segment was written
                    if part is None:
                        part = dense_array(*_ids_weights(seg, "content", btext), n)
                    _DENSE_CACHE.put(key, part, 4 * n + 64)
                dense.extend(part)
            if len(dense) < self.doc_count_all:
                dense.frombytes(bytes(4 * (self.doc_count_all - len(dense))))
        if len(self._dense) >= _SNAPSHOT_DENSE:
            self._dense.clear()
        got = self._dense[term] = (dense, df)
        return got

    def segment_keys(self, seg, term: str) -> array:
        """All position keys of a content term in one segment (codec.py),
        ``segment docnum * KEY_MULT + position``, ascending; cached."""
        key = (seg.segment().segment_id(), term)
        got = _KEY_CACHE.get(key)
        if got is None:
            got = array("Q")
            extend = got.extend
            for first, _last, data in segment_positions(seg, term.encode("utf-8")):
                base = block_base(data, first)
                keys = block_keys(data)
                if base:
                    extend(map((base * KEY_MULT).__add__, keys))
                elif keys.typecode == "Q":
                    extend(keys)
                else:
                    extend(array("Q", keys))
            _KEY_CACHE.put(key, got, len(got) * 8 + 64)
        return got

    def segment_ids(self, seg, term: str) -> array:
        """Segment document numbers of a content term, ascending."""
        return _ids_weights(seg, "content", term.encode("utf-8"))[0]

    def term_postings(self, seg, term: str) -> tuple[array, array]:
        """(ids, weights) of a content term in one segment (typed arrays)."""
        return _ids_weights(seg, "content", term.encode("utf-8"))

    def pair_words(self, seg) -> dict[str, int] | None:
        """The common words of a segment's pair lists (None if it has none)."""
        got = self._pair_index(seg)
        return got[0] if got else None

    def _pair_index(self, seg):
        key = seg.segment().segment_id()
        if key in _PAIR_WORDS:
            return _PAIR_WORDS[key]
        blocks = segment_postings(seg, PAIRS_FIELD, COMMON_TERM, True)[2]
        got = None
        if blocks:
            words, firsts = loads(blocks[0][2])
            got = ({w: i for i, w in enumerate(words.decode("utf-8").split("\n"))}, firsts)
        if len(_PAIR_WORDS) > 1024:
            _PAIR_WORDS.clear()
        _PAIR_WORDS[key] = got
        return got

    def pair_slice(self, seg, first: str, second: str, distance: int) -> tuple[array, int]:
        """``(entries, base)``: entry - base is a key (segment docnum *
        KEY_MULT + position) of ``first`` where ``second`` sits ``distance``
        positions later; ascending. Both words must be in ``pair_words(seg)``.
        (base is a multiple of KEY_MULT: see codec.pair_base.)"""
        words, firsts = self._pair_index(seg)
        code = words[second] * PAIR_SPAN + distance - 1
        base = code * PAIR_UNIT
        starts = firsts[words[first]]
        k = bisect_right(starts, code) - 1
        if k < 0:
            return array("Q"), base
        entries = self._pair_piece(seg, first, k)
        lo = bisect_left(entries, base)
        return entries[lo:bisect_left(entries, base + PAIR_UNIT, lo)], base

    def _pair_piece(self, seg, first: str, k: int) -> array:
        key = (seg.segment().segment_id(), PAIRS_FIELD, first, k)
        got = _KEY_CACHE.get(key)
        if got is None:
            term = pair_piece_term(first.encode("utf-8"), k)
            blocks = segment_postings(seg, PAIRS_FIELD, term, True)[2]
            got = le_array("Q", blocks[0][2]) if blocks else array("Q")
            _KEY_CACHE.put(key, got, len(got) * 8 + 64)
        return got

    def docset(self, field: str, term: str) -> frozenset[int]:
        """Documents of a keyword term; cached (facets and filters reuse them),
        bounded by total members (~60 bytes each) rather than by count, since
        one facet value can hold most of a 50,000-document library."""
        key = (field, term.encode("utf-8"))
        got = self._docsets.get(key)
        if got is None:
            got = frozenset(self.postings(field, term)[0])
            if self._docset_members + len(got) > DOCSET_CACHE_MEMBERS:
                self._docsets.clear()
                self._docset_members = 0
            self._docsets[key] = got
            self._docset_members += len(got)
        return got

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents holding the term (deleted ones included, as Whoosh counts)."""
        btext = term.encode("utf-8")
        n = 0
        try:
            for seg, _offset in self.leaves:
                tinfo = term_info(seg, field, btext)
                if tinfo is not None:
                    n += tinfo.doc_frequency()
        except Exception:
            return 0
        return n

    def terms_from(self, field: str, start: str):
        """Terms of a field in order from ``start`` (strings)."""
        fieldobj = self.reader.schema[field]
        for btext in self.reader.expand_prefix(field, b"") if not start else \
                self._terms_from(field, start):
            yield fieldobj.from_bytes(btext)

    def _terms_from(self, field: str, start: str):
        for fname, btext in self.reader.terms_from(field, start.encode("utf-8")):
            if fname != field:
                return
            yield btext

    def field_terms(self, field: str) -> list[str]:
        got = self._field_terms.get(field)
        if got is None:
            fieldobj = self.reader.schema[field]
            got = [fieldobj.from_bytes(b) for b in self.reader.lexicon(field)]
            self._field_terms[field] = got
        return got

    def facet_columns(self, field: str):
        """(labels, slots) for counting a keyword field's values over a set.

        Each slot is one byte per global document number: the code (index in
        ``labels``) of the document's j-th value, or 255. Counting a match set
        is then ``bytes(map(slot.__getitem__, docs)).count(code)`` - C loops,
        where intersecting the set with every value's document set cost
        ~20 ms at 50,000 documents. Built per segment (segments are immutable)
        and cached by segment id. None if a field has more than 254 values or
        a document more than COLUMN_SLOTS values (callers fall back to sets).
        """
        if field in self._columns:
            return self._columns[field]
        parts = []
        for seg, _offset in self.leaves:
            key = (seg.segment().segment_id(), field)
            if key not in _COLUMN_CACHE:
                if len(_COLUMN_CACHE) > 1024:
                    _COLUMN_CACHE.clear()
                _COLUMN_CACHE[key] = _segment_columns(seg, field)
            part = _COLUMN_CACHE[key]
            if part is None:
                self._columns[field] = None
                return None
            parts.append((seg.doc_count_all(), part))
        labels = sorted({lab for _n, (labs, _s) in parts for lab in labs})
        if len(labels) >= _NO_VALUE:
            self._columns[field] = None
            return None
        code = {lab: i for i, lab in enumerate(labels)}
        nslots = max((len(s) for _n, (_l, s) in parts), default=0)
        slots = []
        for j in range(nslots):
            pieces = []
            for n, (labs, segslots) in parts:
                if j >= len(segslots):
                    pieces.append(bytes([_NO_VALUE]) * n)
                    continue
                table = bytearray(range(256))
                for i, lab in enumerate(labs):
                    table[i] = code[lab]
                pieces.append(segslots[j].translate(bytes(table)))
            slots.append(b"".join(pieces))
        got = (labels, slots)
        self._columns[field] = got
        return got

    def facet_integers(self, field: str) -> list[tuple[int, list[int]]]:
        """facet_columns' slots as big integers (little-endian, one byte per
        document: its code + 1, or 0), each with the codes it holds; for
        counting a large match set with a few C-level big-integer operations
        (facets.facet_counts). Cached per snapshot."""
        got = self._integers.get(field)
        if got is None:
            _labels, slots = self.facet_columns(field)
            got = [(int.from_bytes(slot.translate(_PLUS_ONE), "little"),
                    sorted(set(slot) - {_NO_VALUE})) for slot in slots]
            self._integers[field] = got
        return got

    def expand_prefix(self, field: str, prefix: str, limit: int = 256) -> list[str]:
        out = []
        fieldobj = self.reader.schema[field]
        for btext in self.reader.expand_prefix(field, prefix.encode("utf-8")):
            out.append(fieldobj.from_bytes(btext))
            if len(out) >= limit:
                break
        return out

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)


def _ids_weights(seg, field: str, btext: bytes):
    """(ids, weights) of one segment's term; long lists come from a cache."""
    key = (seg.segment().segment_id(), field, btext)
    got = _POSTINGS_CACHE.get(key)
    if got is None:
        ids, weights, _ = segment_postings(seg, field, btext, False)
        got = (ids, weights)
        if len(ids) >= POSTINGS_CACHE_MIN:
            _POSTINGS_CACHE.put(key, got, len(ids) * 8 + 128)
    return got


def _length_bytes(col, n: int) -> bytes:
    """A segment's length bytes for its *n* documents from Whoosh's length column.

    The column is one unsigned byte per document, written in order and cut short after
    the last non-default value: one read of its bytes, where asking for each document
    made 50,000 Python calls (~100 ms) at 50,000 documents. Other column kinds are read
    document by document."""
    if col is None:
        return bytes(n)
    if isinstance(col, NumericColumn.Reader) and col._fixedlen == 1 and col._typecode == "B":
        count = min(col._count, n)
        raw = bytes(col._dbfile.get(col._basepos, count)) if count else b""
        return raw + bytes([col._default]) * (n - count)
    return bytes(col[i] for i in range(n))


def _segment_columns(seg, field: str):
    """One segment's (labels, slots) for facet_columns, segment docnums."""
    fieldobj = seg.schema[field]
    terms = list(seg.lexicon(field))
    labels = [fieldobj.from_bytes(b) for b in terms]
    if len(labels) >= _NO_VALUE:
        return None
    n = seg.doc_count_all()
    slots: list[bytearray] = []
    fill = [0] * n            # values placed so far per document
    for code, btext in enumerate(terms):
        ids = segment_postings(seg, field, btext, False)[0]
        for d in ids:
            j = fill[d]
            if j == len(slots):
                if j == COLUMN_SLOTS:
                    return None
                slots.append(bytearray([_NO_VALUE]) * n)
            slots[j][d] = code
            fill[d] = j + 1
    return labels, [bytes(s) for s in slots]


LENGTH_TABLE = [byte_to_length(i) for i in range(256)]
