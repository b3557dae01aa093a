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

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from curator.search.codec import block_base, segment_postings

# Segment-level caches survive searcher refreshes (segments are immutable);
# keyed by segment id. Small: lengths are one byte per document.
_LENGTH_CACHE: dict[str, bytes] = {}
DOCSET_CACHE_MEMBERS = 1_500_000   # ~90 MB at most of cached keyword doc sets


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
                    got = bytes(col[i] for i in range(n)) if col is not None else bytes(n)
                    if len(_LENGTH_CACHE) > 256:
                        _LENGTH_CACHE.clear()
                    _LENGTH_CACHE[key] = got
                parts.append(got)
            self._lengths = b"".join(parts)
        return self._lengths

    # -------------------------------------------------------------- postings

    def postings(self, field: str, term: str, want_positions: bool = False):
        """(ids, weights, blocks) over all segments, global docnums, sorted.

        ``blocks`` (content field, only if ``want_positions``) are
        ``(first_doc, last_doc, key_base_doc, packed)`` per posting block, in
        global document numbers; see codec.py for the packed keys.
        Deleted documents are still present; callers intersect with live sets.
        """
        btext = term.encode("utf-8")
        ids: list[int] = []
        weights: list[float] = []
        blocks: list[tuple[int, int, int, bytes]] = []
        for seg, offset in self.leaves:
            sids, sw, sb = segment_postings(seg, field, btext, want_positions)
            if offset:
                sids = [d + offset for d in sids]
            ids.extend(sids)
            weights.extend(sw)
            for first, last, data in sb:
                blocks.append((first + offset, last + offset,
                               block_base(data, first) + offset, data))
        return ids, weights, blocks

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
        try:
            return self.reader.doc_frequency(field, term.encode("utf-8"))
        except Exception:
            return 0

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
        fieldobj = self.reader.schema[field]
        return [fieldobj.from_bytes(b) for b in self.reader.lexicon(field)]

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


LENGTH_TABLE = [byte_to_length(i) for i in range(256)]
