"""Faster segment writing for Whoosh, used by both rebuild and apply.

Profiling a 1,000-document build showed most time going into Whoosh's
per-posting machinery rather than into analysis: every posting became a
5-tuple in a sorting pool (sorted, spilled to disk and merged), was then fed
one at a time to the postings writer with a document-length lookup each (only
to keep per-block length statistics for Whoosh's own block-skipping scorer,
which Curator does not use), every block's ids and weights were pickled as
tuples of Python ints/floats, and every block was zlib-compressed.

Here postings are grouped per term as documents arrive (documents arrive in
increasing number, so each group is already sorted) and written a whole block
at a time; block ids and weights are pickled as compact typed arrays, which
Whoosh's reader accepts unchanged (it only iterates/indexes them).

Positions of the ``content`` field (schema version 2) are packed per block,
not per posting: one bytes value per block holding every position of every
posting in the block as a *key* ``document * KEY_MULT + position``:

* ``b"I"`` + uint32 keys, document relative to the block's first document,
  when the block spans at most 255 documents (the common case for frequent
  words, the ones phrase queries spend their time on);
* ``b"Q"`` + uint64 keys, document = segment document number, otherwise.

KEY_MULT is just above 2**24 (positions stay below 2**24) so keys decode
with one division, and a key relative to a block becomes global with one
addition. It is 2**24 plus a large odd number rather than 2**24 itself so
that the low bits of a key, which are what Python's set hashing looks at,
mix document and position (with 2**24 they would be the position alone and
hash sets of keys would collide badly; this halved phrase matching time).

Keys are little-endian. A reader turns a block into global keys with one
C-level ``map(int.__add__)`` and a phrase check is then set intersection of
shifted keys (engine.py), with no per-document Python loop.
Whoosh's own per-posting matcher cannot read these values, so merging content
postings also goes through this module (``FastSegmentWriter.add_postings_to_pool``).
Everything else (terms, lexicon, stored fields, lengths, TOC) is plain Whoosh 3.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from bisect import bisect_right
from io import BytesIO
from itertools import accumulate, pairwise
from pickle import load, loads
from struct import Struct

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.reading import TermNotFound
from whoosh.writing import SegmentWriter

_BLOCK = 128
KEY_MULT = (1 << 24) + 40503      # > every position + phrase shift; odd for hashing
_I_SPAN = 254                     # max document delta in a uint32 block
_BIG_ENDIAN = sys.byteorder == "big"
_MAGIC = WHOOSH3_HEADER_MAGIC
_INT = Struct("!i")     # Whoosh's block length prefix


# ------------------------------------------------------------ packed positions


def pack_block(ids, positions) -> bytes:
    """One block's positions (one array per posting) as one packed value."""
    first = ids[0]
    mult = KEY_MULT
    if ids[-1] - first <= _I_SPAN:
        keys = array("I")
        code = b"I"
        for d, pos in zip(ids, positions, strict=True):
            base = (d - first) * mult
            keys.extend(map(base.__add__, pos) if base else pos)
    else:
        keys = array("Q")
        code = b"Q"
        for d, pos in zip(ids, positions, strict=True):
            keys.extend(map((d * mult).__add__, pos))
    if _BIG_ENDIAN:
        keys.byteswap()
    return code + keys.tobytes()


def block_keys(data: bytes) -> array:
    """The keys of one packed block (relative to ``block_base``)."""
    keys = array(chr(data[0]))
    keys.frombytes(memoryview(data)[1:])
    if _BIG_ENDIAN:
        keys.byteswap()
    return keys


def block_base(data: bytes, first: int) -> int:
    """Document number that a block's key documents are relative to."""
    return first if data[:1] == b"I" else 0


def unpack_block(ids, data: bytes) -> list[array]:
    """Per-posting position arrays of one block (for merging segments)."""
    base = block_base(data, ids[0])
    out = {d: array("I") for d in ids}
    for k in block_keys(data):
        d, pos = divmod(k, KEY_MULT)
        out[base + d].append(pos)
    return [out[d] for d in ids]


def read_postings(postfile, tinfo, want_positions: bool):
    """All postings of one term of one segment, read in one piece.

    Returns (ids, weights, blocks); blocks (only if ``want_positions``) are
    ``(first_doc, last_doc, packed_bytes)`` per block, segment docnums.
    Parses Whoosh 3 posting blocks directly from a single read of the term's
    extent (Whoosh's matcher seeks and re-reads per block and per posting).
    """
    ids: list[int] = []
    weights: list[float] = []
    blocks: list[tuple[int, int, bytes]] = []
    if tinfo.is_inlined():          # not written by our codec; read for safety
        iids, iweights, _values = tinfo.inlined_postings()
        if want_positions and iids:
            raise ValueError("positions of inlined postings are not supported")
        return list(iids), list(iweights), blocks
    offset, length = tinfo.extent()
    if isinstance(length, tuple):       # Whoosh's from_bytes leaves it unpacked
        length = length[0]
    buf = postfile.get(offset, length)
    if buf[:4] != _MAGIC:
        raise ValueError("posting list header is damaged")
    f = BytesIO(buf)
    pos = 4
    unpack_int = _INT.unpack_from
    while True:
        blen = unpack_int(buf, pos)[0]
        pos += 4
        last = blen < 0
        end = pos + abs(blen)
        f.seek(pos)
        info = load(f)
        raw = buf[f.tell():end]
        if info[3]:
            raw = zlib.decompress(raw)
        bids, bweights, bvalues = loads(raw)
        n = info[0]
        start = len(ids)
        ids.extend(accumulate(bids))
        if bweights is None:
            weights.extend([1.0] * n)
        elif isinstance(bweights, float):
            weights.extend([bweights] * n)
        else:
            weights.extend(bweights)
        if want_positions:
            blocks.append((ids[start], ids[-1], bvalues))
        pos = end
        if last or pos >= length:
            break
    return ids, weights, blocks


def segment_postings(seg, field: str, btext: bytes, want_positions: bool):
    """read_postings for a term of a SegmentReader ([] lists if absent)."""
    terms = seg._terms
    try:
        tinfo = terms.term_info(field, btext)
    except (TermNotFound, KeyError):
        return [], [], []
    return read_postings(terms._postfile, tinfo, want_positions)


class GroupedPool:
    """Stands in for whoosh.writing.PostingPool: groups postings by term."""

    def __init__(self) -> None:
        self.fieldnames: set[str] = set()
        # fieldname -> term bytes -> [docnums, weights, values]
        self._fields: dict[str, dict[bytes, list]] = {}
        self._unsorted: set[tuple[str, bytes]] = set()

    def add_terms(self, fieldname: str, docnum: int, items) -> int:
        """Fast path for one document's postings in one field; returns length."""
        groups = self._fields.get(fieldname)
        if groups is None:
            groups = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        length = 0
        get = groups.get
        for btext, freq, weight, value in items:
            length += freq
            g = get(btext)
            if g is None:
                groups[btext] = [array("I", (docnum,)), array("f", (weight,)), [value]]
            else:
                g[0].append(docnum)
                g[1].append(weight)
                g[2].append(value)
        return length

    def add(self, item) -> None:
        """Whoosh's generic protocol (used when merging segments)."""
        fieldname, btext, docnum, weight, value = item
        groups = self._fields.get(fieldname)
        if groups is None:
            groups = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        g = groups.get(btext)
        if g is None:
            groups[btext] = [array("I", (docnum,)), array("f", (weight,)), [value]]
            return
        if docnum < g[0][-1]:
            self._unsorted.add((fieldname, btext))
        g[0].append(docnum)
        g[1].append(weight)
        g[2].append(value)

    def iter_postings(self) -> GroupedPool:
        return self

    def sorted_groups(self):
        for fieldname in sorted(self._fields):
            groups = self._fields[fieldname]
            for btext in sorted(groups):
                ids, weights, values = groups[btext]
                if (fieldname, btext) in self._unsorted:
                    order = sorted(range(len(ids)), key=ids.__getitem__)
                    ids = array("I", (ids[i] for i in order))
                    weights = array("f", (weights[i] for i in order))
                    values = [values[i] for i in order]
                yield fieldname, btext, ids, weights, values

    def cleanup(self) -> None:
        self._fields = {}
        self._unsorted = set()


class FastPostingsWriter(W3PostingsWriter):
    """Pickles block ids (as deltas) and weights as typed arrays, not tuples,
    and a packed positions block (bytes) as is."""

    def _mini_values(self):
        if isinstance(self._values, bytes):
            return self._values
        return super()._mini_values()

    def _mini_ids(self):
        ids = self._ids
        deltas = array("I", (ids[0],))
        deltas.extend(b - a for a, b in pairwise(ids))
        return deltas

    def _mini_weights(self):
        weights = self._weights
        first = weights[0]
        if weights.count(first) == len(weights):
            return None if first == 1.0 else first
        return weights


class FastFieldWriter(W3FieldWriter):
    """Writes a grouped pool block-by-block instead of posting-by-posting."""

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        codec = self._codec
        self._postwriter = FastPostingsWriter(
            self._postfile, blocklimit=codec._blocklimit,
            compression=codec._compression, inlinelimit=codec._inlinelimit)

    def add_postings(self, schema, lengths, items):
        if not isinstance(items, GroupedPool):
            return super().add_postings(schema, lengths, items)
        current = None
        for fieldname, btext, ids, weights, values in items.sorted_groups():
            if fieldname != current:
                if current is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                current = fieldname
                fmt = schema[fieldname].format
                packed = getattr(fmt, "packed_positions", False)
                fixed = fmt.fixed_value_size() == 0
            self.start_term(btext)
            pw = self._postwriter
            n = len(ids)
            for start in range(0, n, _BLOCK):
                end = min(start + _BLOCK, n)
                pw._ids = ids[start:end]
                pw._weights = w = weights[start:end]
                if packed:
                    pw._values = pack_block(pw._ids, values[start:end])
                else:
                    pw._values = [] if fixed else values[start:end]
                pw._maxweight = max(w)
                pw._minlength = None
                pw._maxlength = 0
                if end < n:
                    pw._write_block()
            self.finish_term()
        if current is not None:
            self.finish_field()


class FastCodec(W3Codec):
    """Whoosh 3 codec with grouped block writing, compact block pickles, no
    per-posting length statistics and no zlib (arrays are already compact).
    """

    length_stats = False

    def __init__(self) -> None:
        super().__init__(blocklimit=_BLOCK, compression=0, inlinelimit=1)

    def field_writer(self, storage, segment):
        return FastFieldWriter(self, storage, segment)


class FastSegmentWriter(SegmentWriter):
    """A SegmentWriter whose add_document feeds the grouped pool directly.

    Same behaviour as Whoosh's for the field kinds our schema uses (no term
    vectors, no separate spelling fields, no sortable columns).
    """

    def __init__(self, ix, **kwargs) -> None:
        kwargs.setdefault("codec", FastCodec())
        super().__init__(ix, **kwargs)
        self.pool = GroupedPool()   # SegmentWriter ignores its poolclass argument

    def add_document(self, **fields) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_terms = self.pool.add_terms
        perdoc.start_doc(docnum)
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None or fieldname.startswith("_"):
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    length = add_terms(fieldname, docnum, field.index(value))
                    if not field.scorable:
                        length = 0
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader, startdoc, docmap) -> None:
        """Copy a segment's postings (used by add_reader when merging).

        Whoosh's version reads every posting through its matcher, which cannot
        decode packed content positions (and is slow); content postings are
        read block by block here. Deleted documents (absent from ``docmap``)
        are dropped; others are renumbered.
        """
        schema = self.schema
        add = self.pool.add
        for fieldname, btext in reader.all_terms():
            if fieldname not in schema:
                continue
            packed = getattr(schema[fieldname].format, "packed_positions", False)
            ids, weights, blocks = segment_postings(reader, fieldname, btext, packed)
            if packed:
                values: list = []
                bstart = 0
                for _first, last, data in blocks:
                    bend = bisect_right(ids, last, bstart)
                    values.extend(unpack_block(ids[bstart:bend], data))
                    bstart = bend
            else:
                values = [b""] * len(ids)
            for d, w, v in zip(ids, weights, values, strict=True):
                if docmap is not None:
                    newdoc = docmap.get(d)
                    if newdoc is None:      # deleted
                        continue
                else:
                    newdoc = startdoc + d
                add((fieldname, btext, newdoc, w, v))
