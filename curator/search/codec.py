"""Faster segment writing for Whoosh, used by both rebuild and apply.

(One file on purpose, the only search module over 500 lines: it is both sides
of one on-disk layout - how posting blocks, packed positions and word pairs are
written and how they are read back - and a change to that layout has to be made
on both sides at once. docs/search-format.md describes the layout. Whoosh's
table of contents pickles ``FastCodec`` by this module's path.)

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

A ``content`` term's posting list holds, after its magic and the length of
the first part (schema version 6): its documents and weights, in blocks of
up to _CONTENT_BLOCK postings, then its positions, in blocks of 128 postings.
Reading a word's documents and weights to score it then reads neither its
positions (about five times the bytes) nor a second term. Positions are
packed per block, not per posting:

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

Blocks and stored fields are pickled with the highest pickle protocol: with
Whoosh's protocol 2 a bytes value is stored as a latin-1 *text* (about 1.5
times its size, decoded and re-encoded on load) and an array as a list of
Python numbers, which made unpickling most of the cost of reading a posting
list. Whoosh's reader unpickles any protocol.

Word pairs (schema version 3; in pieces since 5). A phrase of common words is
slow to check from positions alone: "child protection" at 50,000 documents
means intersecting ~900,000 position keys. So each segment of at least
PAIR_MIN_DOCS documents also stores, for its *common* words (in at least
PAIR_SHARE of its documents), where each common word is followed, 1 to
PAIR_SPAN positions later, by another common word: field ``pairs``, per common
word ``a`` a sorted uint64 array of entries ``pair_base(b, distance) + key``
(key = segment document * KEY_MULT + position of ``a``), stored in pieces of
about PAIR_PIECE entries (one term each) so that a phrase reads only the piece
holding its pair. A phrase's candidate starts are then a slice of one small
array per adjacent word pair. The lists are complete for every pair of the
segment's common words, which term ``COMMON_TERM`` lists (in code order, with
the first code of each piece); phrases involving other words fall back to
positions, which is cheap because such a word is in few of the segment's
documents. Distances up to 3 cover phrases with one or two stop words between
words ("voice of the child"): a stop word leaves a gap that any word may fill,
as with positions. Pair lists are made when a segment is written
(``GroupedPool.add_pairs``), from its content positions, so a merged segment
gets lists for its own common words.

Dense weights (no schema change: segments without them are read as before). For
each content word in at least 1/DENSE_SHARE of a segment's documents (segments
of DENSE_MIN_DOCS or more), the ``pairs`` field also holds, under term
``dense_term(word)``, the word's weight in every document of the segment (0.0
where absent) as zlib-compressed little-endian float32s. A filter or another
word then tests just its own matches against the array (postings.py,
Snapshot.dense_weights) instead of walking the common word's whole posting
list, which made "theme:DA worker" at 50,000 documents read 48,000 postings.
"""

from __future__ import annotations

import math
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from io import BytesIO
from itertools import accumulate, compress, repeat
from operator import sub
from pickle import HIGHEST_PROTOCOL, dumps, load, loads
from struct import Struct

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocWriter,
    W3TermInfo,
)
from whoosh.columns import WrappedColumnWriter
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

CONTENT_FIELD = "content"
_CONTENT_HEAD = Struct("!4sI")  # a content term: magic, bytes of documents and weights
_BLOCK = 128
_CONTENT_BLOCK = 2048   # content postings: read whole by Curator only; fewer blocks, less work
_ONES = array("f", (1.0,))     # marks "all weights 1.0" for _blocks
_ARRAY_MIN = 16     # fewer weights pickle smaller as a tuple of floats
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


def le_bytes(arr: array) -> bytes:
    """An array's items as little-endian bytes."""
    if _BIG_ENDIAN:
        arr = array(arr.typecode, arr)
        arr.byteswap()
    return arr.tobytes()


def le_array(typecode: str, data) -> array:
    """The inverse of le_bytes."""
    arr = array(typecode)
    arr.frombytes(data)
    if _BIG_ENDIAN:
        arr.byteswap()
    return arr


def unpack_block(ids, data: bytes) -> list[array]:
    """Per-posting position arrays of one block (for merging segments)."""
    base = block_base(data, ids[0])
    out = {d: array("I") for d in ids}
    for k in block_keys(data):
        d, pos = divmod(k, KEY_MULT)
        out[base + d].append(pos)
    return [out[d] for d in ids]


def _parse_blocks(buf, pos: int, end: int, ids: array, weights: array | None,
                  values: list | None) -> None:
    """Whoosh 3 posting blocks in ``buf[pos:end]``: ids (and weights) are
    appended to the arrays given, ``(first_doc, last_doc, value)`` per block
    to ``values`` if given."""
    f = BytesIO(buf)
    unpack_int = _INT.unpack_from
    while pos < end:
        blen = unpack_int(buf, pos)[0]
        pos += 4
        last = blen < 0
        stop = pos + abs(blen)
        f.seek(pos)
        info = load(f)
        raw = buf[f.tell():stop]
        if info[3]:
            raw = zlib.decompress(raw)
        bids, bweights, bvalues = loads(raw)
        start = len(ids)
        ids.extend(accumulate(bids))
        if weights is not None:
            n = info[0]
            if bweights is None or isinstance(bweights, float):
                weights.extend(array("f", (1.0 if bweights is None else bweights,)) * n)
            elif isinstance(bweights, array) and bweights.typecode == "f":
                weights.extend(bweights)
            else:
                weights.extend(array("f", bweights))
        if values is not None:
            values.append((ids[start], ids[-1], bvalues))
        pos = stop
        if last:
            break


def read_postings(postfile, tinfo, want_values: bool, content: bool = False,
                  want_postings: bool = True):
    """All postings of one term of one segment, read in one piece.

    Returns (ids, weights, blocks): ids and weights as typed arrays ("I",
    "f"); blocks (only if ``want_values``) are ``(first_doc, last_doc,
    value)`` per block, segment docnums: for a ``content`` term its packed
    positions (see the module doc for its layout; only the part asked for is
    parsed, and only the documents and weights part is read when values are
    not wanted), for other fields the block's value. Parses Whoosh 3 posting
    blocks directly from a single read (Whoosh's matcher seeks and re-reads
    per block and per posting).
    """
    ids = array("I")
    weights = array("f")
    blocks: list[tuple[int, int, bytes]] = []
    if tinfo.is_inlined():          # not written by our codec; read for safety
        iids, iweights, _values = tinfo.inlined_postings()
        if want_values and iids:
            raise ValueError("values of inlined postings are not supported")
        ids.extend(iids)
        weights.extend(iweights)
        return ids, weights, blocks
    offset, length = tinfo.extent()
    if isinstance(length, tuple):       # Whoosh's from_bytes leaves it unpacked
        length = length[0]
    if not content:
        buf = postfile.get(offset, length)
        if buf[:4] != _MAGIC:
            raise ValueError("posting list header is damaged")
        _parse_blocks(buf, 4, length, ids, weights, blocks if want_values else None)
        return ids, weights, blocks
    head = _CONTENT_HEAD.size
    if not want_values:
        buf = postfile.get(offset, head)
        if buf[:4] != _MAGIC:
            raise ValueError("posting list header is damaged")
        split = _CONTENT_HEAD.unpack(buf)[1]
        _parse_blocks(postfile.get(offset + head, split), 0, split, ids, weights, None)
        return ids, weights, blocks
    buf = postfile.get(offset, length)
    magic, split = _CONTENT_HEAD.unpack_from(buf)
    if magic != _MAGIC or head + split > length:
        raise ValueError("posting list header is damaged")
    if want_postings:
        _parse_blocks(buf, head, head + split, ids, weights, None)
    _parse_blocks(buf, head + split, length, array("I"), None, blocks)
    return ids, weights, blocks


TERM_INFO_CACHE = 20_000    # term lookups remembered per segment reader


def term_info(seg, field: str, btext: bytes):
    """A term's W3TermInfo in a SegmentReader, or None if absent.

    Remembered on the reader (segments never change; readers of unchanged
    segments are reused across commits): one query looks a word up several
    times per segment (its document frequency, its postings, its positions),
    and a hash-table lookup in Whoosh's term dictionary is four reads.
    """
    cache = getattr(seg, "curator_terms", None)
    if cache is None:
        cache = seg.curator_terms = {}
    key = (field, btext)
    got = cache.get(key, cache)
    if got is cache:
        try:
            got = seg._terms.term_info(field, btext)
        except (TermNotFound, KeyError):
            got = None
        if len(cache) >= TERM_INFO_CACHE:
            cache.clear()
        cache[key] = got
    return got


def segment_postings(seg, field: str, btext: bytes, want_values: bool):
    """read_postings for a term of a SegmentReader ([] lists if absent)."""
    tinfo = term_info(seg, field, btext)
    if tinfo is None:
        return [], [], []
    return read_postings(seg._terms._postfile, tinfo, want_values, field == CONTENT_FIELD)


def segment_positions(seg, btext: bytes) -> list[tuple[int, int, bytes]]:
    """The packed position blocks of a content term of a SegmentReader,
    ``(first_doc, last_doc, packed)`` each ([] if absent)."""
    tinfo = term_info(seg, CONTENT_FIELD, btext)
    if tinfo is None:
        return []
    return read_postings(seg._terms._postfile, tinfo, True, True, want_postings=False)[2]


# ------------------------------------------------------------ word pairs

PAIRS_FIELD = "pairs"
PAIR_SPAN = 3             # pairs of words 1..3 positions apart (two stop words between)
PAIR_MIN_DOCS = 256       # smaller segments keep no pairs (their phrases are cheap)
PAIR_SHARE = 0.1          # common word: in at least this share of a segment's documents
PAIR_DOC_BITS = 20        # segments below 2**20 documents keep pairs
PAIR_UNIT = KEY_MULT << PAIR_DOC_BITS   # every segment key is below this
_PAIR_CODES = (1 << 64) // PAIR_UNIT    # codes that fit an unsigned 64-bit entry
COMMON_TERM = b"\x00"     # pairs-field term listing the segment's common words
PAIR_PIECE = 4096         # entries per stored piece of a word's pair list (about)
_PAIR_CHUNK_DOCS = 64     # documents per pass when making pairs (see pair_lists)


def pair_threshold(ndocs: int) -> int | None:
    """Documents a word must be in to be common in a segment of ``ndocs``
    documents, or None if such a segment keeps no pairs."""
    if ndocs < PAIR_MIN_DOCS or ndocs >= 1 << PAIR_DOC_BITS:
        return None
    return max(2, math.ceil(PAIR_SHARE * ndocs))


def pair_base(index: int, distance: int) -> int:
    """What a pair entry adds to its key: the code of the second word (its
    index among the common words) and distance, times PAIR_UNIT. A multiple
    of KEY_MULT, so ``entry // KEY_MULT`` is a document number plus a
    constant per (second word, distance)."""
    return (index * PAIR_SPAN + distance - 1) * PAIR_UNIT


def pair_lists(groups: list, ndocs: int) -> list[array]:
    """Pair entries of each common word (see module doc), sorted.

    ``groups`` are the common words' content postings ``(ids, weights,
    positions)``, ids ascending, in code order. Per chunk of documents, every
    key of a common word is mapped to the word's index; a word's followers
    at distance d are then the lookups of its keys + d - C-level maps, no
    per-position Python code.
    """
    mult = KEY_MULT
    step = PAIR_SPAN * PAIR_UNIT
    every = []
    for ids, _weights, values in groups:
        keys = array("Q")
        extend = keys.extend
        for d, pos in zip(ids, values, strict=True):
            extend(map((d * mult).__add__, pos))
        every.append(keys)
    out = [array("Q") for _ in groups]
    cursors = [0] * len(groups)
    # Chunks of documents keep the key -> word dict small enough for the CPU cache.
    for lo in range(0, ndocs, _PAIR_CHUNK_DOCS):
        stop = (lo + _PAIR_CHUNK_DOCS) * mult
        chunk = []
        owner: dict[int, int] = {}      # key -> 1 + index of its (common) word
        for i, keys in enumerate(every):
            j0 = cursors[i]
            j1 = cursors[i] = bisect_left(keys, stop, j0)
            part = keys[j0:j1]
            chunk.append(part)
            owner.update(zip(part, repeat(i + 1)))
        get = owner.get
        for i, keys in enumerate(chunk):
            if not keys:
                continue
            dst = out[i]
            for dist in range(1, PAIR_SPAN + 1):
                follow = list(map(get, map(dist.__add__, keys)))   # 1 + index, or None
                # entry = pair_base(b, dist) + key = (1 + b) * step + low + key
                low = (dist - 1 - PAIR_SPAN) * PAIR_UNIT
                dst.extend(map(int.__add__, map(step.__mul__, filter(None, follow)),
                               map(low.__add__, compress(keys, follow))))
    return [array("Q", sorted(entries)) for entries in out]


def pair_piece_term(first: bytes, k: int) -> bytes:
    """The pairs-field term holding piece ``k`` of a word's pair list."""
    return first + b"\x01" + str(k).encode("ascii")


DENSE_SHARE = 4          # a word in >= 1/4 of a segment's documents keeps dense weights
DENSE_MIN_DOCS = 64      # smaller segments keep none (their lists are short)
_DENSE_MARK = b"\x02"   # pairs-field terms of dense weights (words never start so)


def dense_term(btext: bytes) -> bytes:
    """The pairs-field term holding a content word's dense weights."""
    return _DENSE_MARK + btext


def dense_array(ids, weights, ndocs: int) -> array:
    """A word's weight per document of a segment of ``ndocs`` (0.0 where absent)."""
    dense = array("f", bytes(4 * ndocs))
    deque(map(dense.__setitem__, ids, weights), maxlen=0)
    return dense


def dense_bytes(ids, weights, ndocs: int) -> bytes:
    """The stored form of a word's weight per document (codec module doc)."""
    return zlib.compress(le_bytes(dense_array(ids, weights, ndocs)), 1)


def segment_dense(seg, btext: bytes) -> array | None:
    """A content word's stored dense weights in one segment, or None if the
    segment keeps none for it."""
    blocks = segment_postings(seg, PAIRS_FIELD, dense_term(btext), True)[2]
    if not blocks:
        return None
    got = le_array("f", zlib.decompress(blocks[0][2]))
    return got if len(got) == seg.doc_count_all() else None


def _pieces(entries: array):
    """(first code, entries) pieces of a sorted pair list: about PAIR_PIECE
    entries each, cut only where the code changes (one code's entries may
    make a bigger piece on their own)."""
    n = len(entries)
    i = 0
    unit = PAIR_UNIT
    while i < n:
        j = i + PAIR_PIECE
        if j < n:
            code = entries[j] // unit
            cut = bisect_left(entries, code * unit, i)
            j = cut if cut > i else bisect_left(entries, (code + 1) * unit, i)
        else:
            j = n
        yield entries[i] // unit, entries[i:j]
        i = j


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

    def _sorted(self, fieldname: str, btext: bytes) -> list:
        """A group with its postings in document order (merges may add out of order)."""
        group = self._fields[fieldname][btext]
        if (fieldname, btext) in self._unsorted:
            ids, weights, values = group
            order = sorted(range(len(ids)), key=ids.__getitem__)
            group[:] = [array("I", (ids[i] for i in order)),
                        array("f", (weights[i] for i in order)),
                        [values[i] for i in order]]
            self._unsorted.discard((fieldname, btext))
        return group

    def finish_segment(self, ndocs: int) -> None:
        """Before writing a segment of ``ndocs`` documents: word pairs."""
        self._fields.pop(PAIRS_FIELD, None)
        self.fieldnames.discard(PAIRS_FIELD)
        self.add_pairs(ndocs)
        self.add_dense(ndocs)

    def add_dense(self, ndocs: int) -> None:
        """Add the dense weights (module doc) of a segment of ``ndocs`` documents."""
        groups = self._fields.get(CONTENT_FIELD)
        if not groups or ndocs < DENSE_MIN_DOCS:
            return
        common = [b for b, g in groups.items() if len(g[0]) * DENSE_SHARE >= ndocs]
        if not common:
            return
        one, weight = array("I", (0,)), array("f", (1.0,))
        pairs = self._fields.setdefault(PAIRS_FIELD, {})
        self.fieldnames.add(PAIRS_FIELD)
        for btext in common:
            ids, weights, _values = self._sorted(CONTENT_FIELD, btext)
            pairs[dense_term(btext)] = [one, weight, [dense_bytes(ids, weights, ndocs)]]

    def add_pairs(self, ndocs: int) -> None:
        """Add the word-pair lists (module doc) of a segment of ``ndocs``
        documents, from its grouped content positions. A word's list is
        stored in pieces of about PAIR_PIECE entries, cut between second
        words (a pair never straddles two pieces), so a phrase reads only the
        piece it needs; COMMON_TERM holds the common words and the first code
        of each of their pieces."""
        groups = self._fields.get(CONTENT_FIELD)
        threshold = pair_threshold(ndocs)
        if not groups or threshold is None:
            return
        common = sorted(b for b, g in groups.items() if len(g[0]) >= threshold)
        if not common or len(common) * PAIR_SPAN > _PAIR_CODES:
            return
        lists = pair_lists([self._sorted(CONTENT_FIELD, b) for b in common], ndocs)
        one, weight = array("I", (0,)), array("f", (1.0,))
        pairs: dict[bytes, list] = {}
        firsts = []
        for btext, entries in zip(common, lists, strict=True):
            starts = array("I")
            for k, (start, piece) in enumerate(_pieces(entries)):
                starts.append(start)
                pairs[pair_piece_term(btext, k)] = [one, weight, [le_bytes(piece)]]
            firsts.append(starts)
        listing = dumps((b"\n".join(common), firsts), HIGHEST_PROTOCOL)
        pairs[COMMON_TERM] = [one, weight, [listing]]
        self._fields[PAIRS_FIELD] = pairs
        self.fieldnames.add(PAIRS_FIELD)

    def sorted_groups(self):
        for fieldname in sorted(self._fields):
            groups = self._fields[fieldname]
            for btext in sorted(groups):
                ids, weights, values = self._sorted(fieldname, btext)
                yield fieldname, btext, ids, weights, values

    def cleanup(self) -> None:
        fields, self._fields = self._fields, {}
        self._unsorted = set()
        # Free the buffered postings a term at a time. Dropping the whole pool at once is
        # one long deallocation in C, during which no other thread runs: after a big
        # batch the app's window froze for up to 170 ms. Popping in a Python loop lets
        # the interpreter hand over to other threads as usual.
        for groups in fields.values():
            while groups:
                groups.popitem()


class FastFieldWriter(W3FieldWriter):
    """Writes a grouped pool block-by-block instead of posting-by-posting."""

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
                blob = getattr(fmt, "blob_values", False)
                if not (packed or blob) and fmt.fixed_value_size() != 0:
                    raise ValueError(f"no fast writer for the postings of {fieldname!r}")
                fieldkey = pack_ushort(self._fieldid)
            self._write_term(fieldkey + btext, ids, weights, values, packed, blob)
        if current is not None:
            self.finish_field()

    def _write_term(self, key: bytes, ids, weights, values, packed: bool, blob: bool) -> None:
        """One term's whole posting list in Whoosh 3's block layout (or, for
        content, the layout in the module doc: documents and weights, then
        packed positions), and its term info. Written directly: going
        through the postings writer's per-block and per-term methods cost
        about twice as much, which mattered when adding one document."""
        postfile = self._postfile.file
        start = postfile.tell()
        if packed:
            chunks, total, top = _blocks(ids, weights, None, _CONTENT_BLOCK)
            split = sum(map(len, chunks))
            chunks.append(b"".join(_blocks(ids, _ONES, values, _BLOCK, packed=True)[0]))
            postfile.write(_CONTENT_HEAD.pack(_MAGIC, split))
        else:
            chunks, total, top = _blocks(ids, weights, values if blob else None, _BLOCK)
            postfile.write(_MAGIC)
        postfile.write(b"".join(chunks))
        info = W3TermInfo()
        info._weight = total
        info._df = len(ids)
        info._maxweight = top
        info._minid = ids[0]
        info._maxid = ids[-1]
        info._maxlength = 0
        info.set_extent(start, postfile.tell() - start)
        self._tindex.add(key, info.to_bytes())


def _blocks(ids, weights, values, size: int, packed: bool = False):
    """(chunks, total weight, top weight): Whoosh 3 posting blocks of
    ``size`` postings as bytes. Values: packed positions (``packed``), one
    bytes blob per block (pairs), or none. ``weights`` may be _ONES (all 1.0).
    """
    chunks = []
    n = len(ids)
    total = 0.0
    top = 0.0
    ones = weights is _ONES
    for s in range(0, n, size):
        e = min(s + size, n)
        bids = ids[s:e]
        # A tuple of small numbers pickles in 2-3 bytes each; an array costs
        # ~80 bytes of pickle on top, which most terms (a posting or two)
        # paid several times over.
        deltas = (bids[0], *map(sub, bids[1:], bids[:-1]))
        if packed:
            vals = pack_block(bids, values[s:e])
        elif values is not None:        # one posting whose value is bytes (pairs field)
            vals = values[s]
        else:
            vals = None
        if ones:
            mini, bmax = None, 1.0
            total += e - s
        else:
            w = weights[s:e]
            first = w[0]
            if w.count(first) == len(w):
                mini = None if first == 1.0 else first
                bmax = first
            else:
                mini = w if len(w) >= _ARRAY_MIN else tuple(w)
                bmax = max(w)
            total += sum(w)
        top = max(top, bmax)
        data = dumps((deltas, mini, vals), HIGHEST_PROTOCOL)
        info = dumps((e - s, bids[-1], bmax, 0, 0, 0), HIGHEST_PROTOCOL)
        length = len(info) + len(data)
        chunks.append(b"".join((_INT.pack(-length if e == n else length), info, data)))
    return chunks, total, top


STORED_LEVEL = 1     # deflate level of stored fields (the excerpt is compressed already)


class _StoredWriter(WrappedColumnWriter):
    """Stored fields pickled with the highest protocol. Whoosh pickles them
    with protocol 2, which stores the (compressed) excerpt bytes as latin-1
    text: reading one hit's stored fields cost ~4x more. Whoosh's reader
    unpickles any protocol."""

    def add(self, docnum, value):
        self._child.add(docnum, b"" if value is None else dumps(value, HIGHEST_PROTOCOL))


class FastPerDocWriter(W3PerDocWriter):
    def __init__(self, codec, storage, segment) -> None:
        super().__init__(codec, storage, segment)
        child = self._colwriters["_stored"]._child     # the deflating bytes column
        child._level = STORED_LEVEL
        self._colwriters["_stored"] = _StoredWriter(child)


class FastCodec(W3Codec):
    """Whoosh 3 codec with grouped block writing, compact block pickles, no
    per-posting length statistics and no zlib (arrays are already compact).
    """

    length_stats = False

    def __init__(self) -> None:
        super().__init__(blocklimit=_BLOCK, compression=0, inlinelimit=1)

    def field_writer(self, storage, segment):
        return FastFieldWriter(self, storage, segment)

    def per_document_writer(self, storage, segment):
        return FastPerDocWriter(self, storage, segment)


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

    def _flush_segment(self) -> None:
        self.pool.finish_segment(self.docnum)
        super()._flush_segment()

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
            if fieldname not in schema or fieldname == PAIRS_FIELD:
                continue        # pairs are made afresh for the merged segment
            content = fieldname == CONTENT_FIELD
            ids, weights, blocks = segment_postings(reader, fieldname, btext, content)
            if content:
                values: list = []
                bstart = 0
                for _first, last, data in blocks:
                    bend = bisect_right(ids, last, bstart)
                    values.extend(unpack_block(ids[bstart:bend], data))
                    bstart = bend
                if len(values) != len(ids):
                    raise ValueError("content positions do not match their postings")
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
