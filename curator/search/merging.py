"""Which small segments to fold together, as Whoosh merge policies.

Each ``SearchIndex.apply`` commits one new small segment. Left alone, those
pile up and every search reads them all, so from time to time the smallest
are merged into one (``SearchIndex.optimize_if_needed`` when the app is idle,
``apply`` itself only when far too many have piled up). A Whoosh merge policy
is a function ``(writer, segments) -> segments to keep``; it adds the segments
it merges to the writer (``writer.add_reader``), whose new segment then holds
their documents.
"""

from __future__ import annotations

from whoosh.reading import SegmentReader

SMALL_SEGMENT = 1_000       # segments below this many docs get merged together
MERGE_SECONDS_PER_DOC = 0.025   # rough cost of merging one small document (budgets)


def small_segments(segments) -> list:
    return [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]


def merge_choice(segments, budget_docs: float | None = None) -> list:
    """Which small segments to merge: the smallest first, adding the next one
    only while it is no bigger than twice what is already chosen (so a grown
    segment is not rewritten for every few new documents - merge cost stays
    logarithmic) and while the documents fit ``budget_docs``."""
    small = sorted(small_segments(segments), key=lambda s: s.doc_count_all())
    chosen: list = []
    total = 0
    for seg in small:
        n = seg.doc_count_all()
        if len(chosen) >= 2 and n > 2 * total:
            break
        if budget_docs is not None and len(chosen) >= 2 and total + n > budget_docs:
            break
        chosen.append(seg)
        total += n
    return chosen if len(chosen) >= 2 else []


def merger(chosen: list):
    """A Whoosh merge policy folding ``chosen`` segments into the new one."""
    ids = {s.segment_id() for s in chosen}

    def merge(writer, segments):
        keep = []
        for seg in segments:
            if seg.segment_id() not in ids:
                keep.append(seg)
                continue
            reader = SegmentReader(writer.storage, writer.schema, seg)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        return keep

    return merge


def overdue_merge(writer, segments, most: int):
    """A merge policy: nothing, unless more than ``most`` small segments
    piled up (then the usual choice)."""
    if len(small_segments(segments)) <= most:
        return segments
    return merger(merge_choice(segments))(writer, segments)
