"""Common words answered from dense weights (codec.py, postings.py) give exactly
the results of walking their posting lists: the same hits, scores, totals and
facet counts, whether the weights come from what a segment stored when it was
written, from its postings (segments written without them), or are not used.

The stored arrays themselves equal the postings they were made from, and a
merge makes them afresh for the merged segment.
"""

from __future__ import annotations

import random

import pytest

import curator.search.build as build
import curator.search.codec as codec
import curator.search.postings as postings
from curator.search import SearchIndex

WORDS = ["otter", "badger", "heron", "vole", "river", "bank", "kingfisher", "newt",
         "osprey", "zander"]
THEMES = [[], ["DA"], ["CSE"], ["DA", "CSE"]]


def make_doc(i: int, rng: random.Random) -> dict:
    def words(lo: int, hi: int) -> str:
        # Skewed: the first words are in most documents, the last in few.
        return " ".join(WORDS[min(int(rng.expovariate(0.45)), len(WORDS) - 1)]
                        for _ in range(rng.randint(lo, hi)))

    return {"id": f"d{i}", "title": words(1, 4), "summary": words(0, 6),
            "text": words(3, 40), "themes": rng.choice(THEMES),
            "tags": [words(1, 1)] if rng.random() < 0.3 else []}


QUERIES = ["otter", "heron", "zander", "otter badger", "heron vole river",
           "theme:DA otter", "theme:CSE heron badger", "theme:DA zander", "otter -badger",
           "otter OR zander", '"otter badger"', "riv*", "otter theme:DA theme:CSE",
           "kingfisher otter", "newt osprey zander"]


def answers(si: SearchIndex) -> dict:
    postings._DENSE_CACHE.clear()
    si._snapshot()._dense.clear()
    out = {}
    for query in QUERIES:
        res = si.search(query, limit=40)
        out[query] = ([(h.id, round(h.score, 9)) for h in res.hits], res.total, res.facets)
    return out


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "SEGMENT_DOCS", 150)
    monkeypatch.setattr(build, "SERIAL_BELOW", 100_000)
    si = SearchIndex(tmp_path / "ix")
    yield si
    si.close()


def dense_words(si: SearchIndex) -> int:
    """Checks every stored dense array against its postings; how many there are."""
    snap = si._snapshot()
    found = 0
    for seg, _off in snap.leaves:
        n = seg.doc_count_all()
        for btext in seg.lexicon("content"):
            ids, weights = postings._ids_weights(seg, "content", btext)
            stored = codec.segment_dense(seg, btext)
            common = n >= codec.DENSE_MIN_DOCS and len(ids) * codec.DENSE_SHARE >= n
            assert (stored is not None) == common, btext
            if stored is not None:
                found += 1
                assert [stored[d] for d in ids] == list(weights)
                assert sum(1 for w in stored if w) == len(ids)
    return found


def test_dense_weights_change_no_result(index, monkeypatch):
    rng = random.Random(5)
    docs = {f"d{i}": make_doc(i, rng) for i in range(500)}
    index.rebuild(list(docs.values()), total=len(docs))
    assert dense_words(index) > 10
    # Replacements and deletions: small segments (no stored arrays), deleted documents.
    for n in range(6):
        changed = [make_doc(rng.randrange(500), rng) for _ in range(4)]
        changed += [make_doc(1000 + 10 * n + k, rng) for k in range(3)]
        index.apply(changed, [f"d{rng.randrange(500)}" for _ in range(2)])
    assert index._snapshot().deleted

    used = answers(index)
    assert any(a[0] for a in used.values())
    monkeypatch.setattr(postings, "segment_dense", lambda seg, btext: None)
    assert answers(index) == used               # from postings, not what was stored
    monkeypatch.setattr(postings, "DENSE_SHARE", 10 ** 9)
    assert answers(index) == used               # no dense weights at all
    monkeypatch.undo()

    # A merge drops the deleted documents (so scores move a little) and makes
    # the merged segment's arrays afresh.
    assert index.optimize_if_needed(60.0)
    assert dense_words(index) > 10
    merged = answers(index)
    monkeypatch.setattr(postings, "DENSE_SHARE", 10 ** 9)
    assert answers(index) == merged


def test_warming_reads_each_segment_file_once_and_never_fails(tmp_path, monkeypatch):
    from curator.search import SearchIndex, storage
    index = SearchIndex(tmp_path / "ix")
    index.rebuild([{"id": f"r{n}", "title": f"Title {n}", "text": "neglect " * 40}
                   for n in range(80)])
    reads = []
    real_open = open

    def counting_open(path, *args, **kwargs):
        if str(path).endswith(".seg"):
            reads.append(path)
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(storage, "_cached", set())
    monkeypatch.setattr("builtins.open", counting_open)
    index.warm()
    first = len(reads)
    assert first >= 1  # every segment file, read through once
    index.warm()
    assert len(reads) == first  # ...and not again
    part = index._snapshot().leaves[0][0]._terms._postfile
    gone = storage.MapFile(part.mapbuf, 0, 10, path=str(tmp_path / "no-such.seg"))
    storage.read_through(gone)  # a file that went away: nothing to warm, no error
    assert index.search("neglect").total == 80
    index.close()
