"""Faster segment writing for Whoosh, used by both rebuild and apply.

Profiling a 1,000-document build showed most time going into Whoosh's
per-posting machinery rather than into analysis: every posting became a
5-tuple in a sorting pool (sorted, possibly spilled to disk and merged), was
then fed one at a time to the postings writer with a document-length lookup
each (only to keep per-block length statistics for Whoosh's own block-skipping
scorer, which Curator does not use), and every block was zlib-compressed.

Here postings are grouped per term as they arrive (documents arrive in
increasing number, so each group is already sorted), and written a whole block
at a time. The on-disk format is unchanged Whoosh 3 format, so Whoosh's reader,
merger and spelling automata still work on it.
"""

from __future__ import annotations

from array import array

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter

_BLOCK = 128


class GroupedPool:
    """Stands in for whoosh.writing.PostingPool: groups postings by term."""

    def __init__(self, tempstore=None, segment=None, limitmb=128, **kwargs) -> None:
        self.fieldnames: set[str] = set()
        self._groups: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        self._unsorted: set[tuple[str, bytes]] = set()

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, value = item
        key = (fieldname, btext)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = (array("I"), array("f"), [])
            self.fieldnames.add(fieldname)
        elif docnum < group[0][-1]:
            self._unsorted.add(key)   # only happens when merging odd segments
        group[0].append(docnum)
        group[1].append(weight)
        group[2].append(value)

    def iter_postings(self) -> GroupedPool:
        return self

    def sorted_groups(self):
        for key in sorted(self._groups):
            ids, weights, values = self._groups[key]
            if key in self._unsorted:
                order = sorted(range(len(ids)), key=ids.__getitem__)
                ids = array("I", (ids[i] for i in order))
                weights = array("f", (weights[i] for i in order))
                values = [values[i] for i in order]
            yield key[0], key[1], ids, weights, values

    def __iter__(self):  # the generic (slow) protocol, kept for completeness
        for fieldname, btext, ids, weights, values in self.sorted_groups():
            for i in range(len(ids)):
                yield fieldname, btext, ids[i], weights[i], values[i]

    def cleanup(self) -> None:
        self._groups = {}
        self._unsorted = set()


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
            self.start_term(btext)
            pw = self._postwriter
            fixed = pw._format.fixed_value_size() == 0
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
    """Whoosh 3 codec with grouped block writing, no per-posting length
    statistics and light (level 1) block compression."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(blocklimit=_BLOCK, compression=1, inlinelimit=1)

    def field_writer(self, storage, segment):
        return FastFieldWriter(self, storage, segment)
