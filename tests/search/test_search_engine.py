"""Engine helpers that take shortcuts agree with the obvious computation:
top-k selection and facet counts (bit-mask and picked-bytes paths)."""

from __future__ import annotations

import random

import pytest

import curator.search.build as build
from curator.search import SearchIndex, engine, facets
from curator.search.schema import FACET_FIELDS


def test_top_matches_a_full_sort():
    rng = random.Random(3)
    for n in (0, 1, 5, 49, 50, 51, 400):
        scores = {d: float(rng.choice([0.5, 1.0, 1.5, rng.random()])) for d in
                  rng.sample(range(1000), n)}
        final = set(scores) | set(rng.sample(range(1000, 1100), 7))
        for limit in (0, 1, 10, 50, 500):
            got = engine.top(scores, final, limit)
            want = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
            if len(want) < limit:
                unscored = sorted((d for d in final if d not in scores), reverse=True)
                want += [(d, 0.0) for d in unscored[:limit - len(want)]]
            assert got == want, (n, limit)


THEMES = ["DA", "NEG", "CSE", "FII", "MH"]


@pytest.fixture
def facet_index(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "SEGMENT_DOCS", 70)
    monkeypatch.setattr(build, "SERIAL_BELOW", 100_000)
    rng = random.Random(4)
    docs = [{"id": f"r{i}", "title": "otter" if i % 3 else "badger",
             "text": rng.choice(["heron", "vole", "stoat"]),
             "themes": rng.sample(THEMES, rng.randint(0, 3)),
             "type": rng.choice(["guidance", "research", "video", ""]),
             "status": rng.choice(["draft", "approved"])} for i in range(300)]
    si = SearchIndex(tmp_path / "ix")
    si.rebuild(docs, total=len(docs))
    si.apply([], [f"r{i}" for i in range(0, 300, 17)])      # deleted documents too
    yield si
    si.close()


@pytest.mark.parametrize("share", [1, 10 ** 9])    # picked bytes only / bit mask always
def test_facet_counts_agree_with_sets(facet_index, monkeypatch, share):
    monkeypatch.setattr(facets, "FACET_MASK_SHARE", share)
    snap = facet_index._snapshot()
    rng = random.Random(5)
    live = sorted(snap.all_docs())
    for size in (1, 2, 30, len(live) // 2, len(live)):
        final = set(rng.sample(live, size))
        got = facets.facet_counts(snap, final, FACET_FIELDS)
        for field in FACET_FIELDS:
            want = {}
            for term in snap.field_terms(field):
                n = len(final & snap.docset(field, term))
                if n:
                    want[term.upper() if field == "theme" else term] = n
            assert got[field] == dict(sorted(want.items(), key=lambda kv: (-kv[1], kv[0])))


def test_lengths_read_in_one_go_match_each_document_and_warm_reads_them(facet_index):
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    from curator.search import postings

    snap = facet_index._snapshot()
    want = b""
    for seg, _offset in snap.leaves:
        col = seg._perdoc._cached_reader(_lenfield("content"), LENGTHS_COLUMN)
        n = seg.doc_count_all()
        want += bytes(col[i] for i in range(n)) if col is not None else bytes(n)
    postings._LENGTH_CACHE.clear()
    postings._COLUMN_CACHE.clear()
    fresh = postings.Snapshot(snap.searcher)
    assert fresh._lengths is None
    fresh.warm(FACET_FIELDS)
    assert fresh._lengths == want and len(want) == snap.doc_count_all
    assert all(field in fresh._columns for field in FACET_FIELDS)
    facet_index.warm()  # never raises, and searches still agree afterwards
    assert facet_index.search("badger").total == facet_index.search("badger").total > 0
