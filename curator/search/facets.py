"""Facet counts (theme, type, status) over a whole match set.

Exact over all matches, not just the page shown, and kept off Python's
per-document loops: a field whose values fit in byte columns
(Snapshot.facet_columns) is counted with C-level passes over those columns;
other fields intersect the match set with each value's document set.
"""

from __future__ import annotations

from collections import deque
from itertools import repeat
from operator import itemgetter

from curator.search.postings import Snapshot

FACET_MASK_SHARE = 8    # match sets of >= 1/8 of documents are counted with a bit mask


def facet_counts(snap: Snapshot, final: set[int], fields: tuple[str, ...]) -> dict:
    out: dict[str, dict[str, int]] = {}
    mask = None
    for field in fields:
        counts: dict[str, int] = {}
        if final:
            cols = snap.facet_columns(field)
            if cols is not None:
                labels, slots = cols
                found = [0] * len(labels)
                if len(final) * FACET_MASK_SHARE >= snap.doc_count_all:
                    # Many matches: AND each slot (as one big integer of
                    # code + 1 bytes, see Snapshot.facet_integers) with a
                    # 0xFF-per-match byte mask, then count each code's byte.
                    n = snap.doc_count_all
                    if mask is None:
                        member = bytearray(n)
                        deque(map(member.__setitem__, final, repeat(255)), maxlen=0)
                        mask = int.from_bytes(member, "little")
                    for value, codes in snap.facet_integers(field):
                        picked = (value & mask).to_bytes(n, "little")
                        for code in codes:
                            found[code] += picked.count(code + 1)
                else:
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
