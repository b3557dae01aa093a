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
Whoosh's reader accepts unchanged (it only iterates/indexes them). The files
remain Whoosh 3 format: Whoosh's reader, merger and spelling automata work.
"""

from __future__ import annotations

from array import array
from itertools import pairwise

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.writing import SegmentWriter

_BLOCK = 128


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
    """Pickles block ids (as deltas) and weights as typed arrays, not tuples."""

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
                fixed = schema[fieldname].format.fixed_value_size() == 0
            self.start_term(btext)
            pw = self._postwriter
            n = len(ids)
            for start in range(0, n, _BLOCK):
                end = min(start + _BLOCK, n)
                pw._ids = ids[start:end]
                pw._weights = w = weights[start:end]
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
