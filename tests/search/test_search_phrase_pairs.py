"""Phrase results are exactly the documents holding the phrase, whether a
segment answers from its word-pair lists (codec.py) or from positions.

A brute-force check over each document's analysed parts (the same parts, in
the same order, that the index gets) is the reference. Covers: stemmed and
accent-folded words, stop words (they leave a gap any word may fill, as
before), gaps of 1 to 3 positions and longer ones, repeated words, phrases at
the boundary of two parts (never matched) and across joined tags (matched),
rare words next to common ones, segments with and without pair lists, and
deletes, replacements and merges, which rebuild a segment's pair lists, and
pair lists stored in many pieces.
"""

from __future__ import annotations

import random
from array import array

import pytest

import curator.search.build as build
import curator.search.codec as codec
from curator.search import SearchIndex, analysis, engine
from curator.search.postings import Snapshot
from curator.search.schema import to_whoosh_doc

COMMON = ["otter", "badger", "heron", "vole", "protecting", "protection", "café",
          "Cafés", "river", "bank"]
STOP = ["the", "of", "in", "a"]
RARE = ["kingfisher", "newt", "osprey", "Élan", "elan"]


def make_doc(i: int, rng: random.Random) -> dict:
    def words(lo: int, hi: int) -> str:
        out = []
        for _ in range(rng.randint(lo, hi)):
            r = rng.random()
            pool = COMMON if r < 0.62 else STOP if r < 0.92 else RARE
            out.append(rng.choice(pool))
        return " ".join(out)

    text = words(5, 60)
    if i % 50 == 7:         # a word in 2% of documents: never common
        text += " zander otter badger " + words(0, 3)
    return {
        "id": f"d{i}",
        "title": words(1, 5),
        "summary": words(0, 8),
        "tags": [words(1, 2) for _ in range(rng.randint(0, 2))],
        "notes": words(0, 4) if rng.random() < 0.3 else "",
        "text": text,
    }


def parts(doc: dict) -> list[list[str]]:
    """Each indexed part's stems ('' for stop words), as the index sees them."""
    return [analysis.stems(text) for text, _w in to_whoosh_doc(doc)["content"] if text]


def brute(docs: dict[str, dict], phrase: str) -> set[str]:
    want = analysis.stems(phrase)
    while want and not want[0]:
        want.pop(0)
    while want and not want[-1]:
        want.pop()
    out: set[str] = set()
    if not want:            # only stop words: nothing to search for
        return out
    for rid, doc in docs.items():
        for toks in parts(doc):
            if any(all(not w or toks[s + k] == w for k, w in enumerate(want))
                   for s in range(len(toks) - len(want) + 1)):
                out.add(rid)
                break
    return out


FIXED = ['"otter badger"', '"badger otter"', '"protected otters"', '"cafe river"',
         '"CAFÉS bank"', '"otter the badger"', '"heron of the vole"', '"vole vole"',
         '"vole vole vole"', '"otter badger heron"', '"river bank otter"',
         '"kingfisher otter"', '"otter kingfisher"', '"newt of the river"',
         '"elan badger"', '"otter a of the heron"', '"otter in the of a badger"',
         '"the otter badger"', '"bank heron of"', '"osprey newt"',
         '"protection of the river bank"', '"zander otter"', '"zander otter badger"',
         '"otter zander"', '"zander the badger"']


def phrases(rng: random.Random, n: int) -> list[str]:
    out = list(FIXED)
    for _ in range(n):
        k = rng.randint(2, 4)
        ws = [rng.choice(COMMON if rng.random() < 0.75 else STOP + RARE) for _ in range(k)]
        out.append('"' + " ".join(ws) + '"')
    return out


def check(si: SearchIndex, docs: dict[str, dict], queries: list[str]) -> int:
    matched = 0
    for phrase in queries:
        res = si.search(phrase, limit=5000)
        want = brute(docs, phrase[1:-1])
        assert {h.id for h in res.hits} == want, phrase
        assert res.total == len(want), phrase
        matched += bool(want)
    return matched


@pytest.fixture
def small(monkeypatch):
    """Small segments, of which those with >= 40 documents keep pairs, stored
    in pieces of a few entries (so most words' lists have several)."""
    monkeypatch.setattr(build, "SEGMENT_DOCS", 150)
    monkeypatch.setattr(build, "SERIAL_BELOW", 100_000)
    monkeypatch.setattr(codec, "PAIR_MIN_DOCS", 40)
    monkeypatch.setattr(codec, "PAIR_PIECE", 7)


@pytest.fixture
def new_index():
    """Makes SearchIndexes that are closed after the test, passed or not."""
    made = []

    def make(folder):
        made.append(SearchIndex(folder))
        return made[-1]

    yield make
    for si in made:
        si.close()


@pytest.fixture
def pair_calls(monkeypatch):
    calls = []
    real = Snapshot.pair_slice

    def counting(self, seg, first, second, distance):
        calls.append((first, second, distance))
        return real(self, seg, first, second, distance)

    monkeypatch.setattr(Snapshot, "pair_slice", counting)
    return calls


def pair_segments(si: SearchIndex) -> int:
    """How many segments keep pairs; checks it is those with enough documents."""
    snap = si._snapshot()
    having = [bool(snap.pair_words(seg)) for seg, _off in snap.leaves]
    assert having == [seg.doc_count_all() >= codec.PAIR_MIN_DOCS for seg, _off in snap.leaves]
    return sum(having)


@pytest.mark.slow
@pytest.mark.parametrize("share", [engine.DENSE_PHRASE_SHARE, 0, 10 ** 9])
def test_phrases_match_brute_force_with_pairs(tmp_path, small, pair_calls, monkeypatch, share,
                                              new_index):
    """``share`` 0: words checked from positions always read only the blocks
    near candidates; 10**9: always whole arrays."""
    monkeypatch.setattr(engine, "DENSE_PHRASE_SHARE", share)
    rng = random.Random(11)
    docs = {f"d{i}": make_doc(i, rng) for i in range(620)}
    si = new_index(tmp_path / "ix")
    si.rebuild(list(docs.values()), total=len(docs))
    snap = si._snapshot()
    assert len(snap.leaves) >= 4
    assert pair_segments(si) == 4     # 4 x 150 documents with pairs, 20 without
    queries = phrases(rng, 60)
    assert check(si, docs, queries) > 40
    assert {d for _a, _b, d in pair_calls} == {1, 2, 3}

    # Replace and delete through apply() (small segments, no pairs), then merge
    # them (pairs made afresh from the merged positions).
    for n in range(12):
        changed = [make_doc(rng.randrange(620), rng) for _ in range(3)]
        changed += [make_doc(1000 + 10 * n + k, rng) for k in range(4)]
        gone = [f"d{rng.randrange(620)}" for _ in range(3)]
        gone = [g for g in gone if g not in {c["id"] for c in changed}]
        si.apply(changed, gone)
        for g in gone:
            docs.pop(g, None)
        for c in changed:
            docs[c["id"]] = c
    assert pair_segments(si) < len(si._snapshot().leaves)
    check(si, docs, queries)
    assert si.optimize_if_needed(60.0)
    assert pair_segments(si) >= 1
    check(si, docs, queries)


def test_segments_without_pairs_agree(tmp_path, monkeypatch, new_index):
    """The same corpus and queries with no pair lists at all (positions only)."""
    monkeypatch.setattr(build, "SERIAL_BELOW", 100_000)
    monkeypatch.setattr(codec, "PAIR_MIN_DOCS", 10 ** 9)
    rng = random.Random(12)
    docs = {f"d{i}": make_doc(i, rng) for i in range(300)}
    si = new_index(tmp_path / "ix")
    si.rebuild(list(docs.values()), total=len(docs))
    assert pair_segments(si) == 0
    check(si, docs, phrases(rng, 40))


def test_part_boundaries_and_joined_tags(tmp_path, small, new_index):
    docs = {
        "a": {"id": "a", "title": "heron otter", "summary": "badger vole", "text": "x"},
        "b": {"id": "b", "title": "heron", "tags": ["otter", "badger vole"], "text": "y"},
        "c": {"id": "c", "title": "otter", "text": "the badger " * 3},
    }
    filler = {f"f{i}": {"id": f"f{i}", "title": "otter badger vole heron",
                        "text": "otter badger the vole heron"} for i in range(60)}
    si = new_index(tmp_path / "ix")
    si.rebuild([*docs.values(), *filler.values()], total=63)
    assert pair_segments(si) == 1
    everything = {**docs, **filler}
    got = {h.id for h in si.search('"otter badger"', limit=500).hits}
    assert "a" not in got           # title "... otter" | summary "badger ...": two parts
    assert "b" in got               # tags are joined: "otter badger vole"
    assert "c" not in got
    check(si, everything, ['"otter badger"', '"otter badger vole"', '"heron otter badger"',
                           '"otter the vole"', '"badger the badger"', '"vole heron"'])


def test_real_constants_make_pairs(tmp_path, monkeypatch, new_index):
    """Default settings: one 300-document segment keeps pairs of its common words."""
    monkeypatch.setattr(build, "SERIAL_BELOW", 100_000)
    rng = random.Random(13)
    docs = {f"d{i}": make_doc(i, rng) for i in range(300)}
    si = new_index(tmp_path / "ix")
    si.rebuild(list(docs.values()), total=len(docs))
    snap = si._snapshot()
    words = snap.pair_words(snap.leaves[0][0])
    assert words is not None and "otter" in words and "zander" not in words
    check(si, docs, FIXED)


def test_pieces_cut_between_codes():
    unit = codec.PAIR_UNIT
    codes = [0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5, 7, 7]
    entries = array("Q", sorted(c * unit + i for i, c in enumerate(codes)))
    for size in (1, 2, 3, 4, 100):
        codec.PAIR_PIECE, old = size, codec.PAIR_PIECE
        try:
            pieces = list(codec._pieces(entries))
        finally:
            codec.PAIR_PIECE = old
        assert [e for _c, p in pieces for e in p] == list(entries)
        for first, piece in pieces:
            assert first == piece[0] // unit
        # every code's entries lie in one piece
        owner = {}
        for k, (_c, piece) in enumerate(pieces):
            for e in piece:
                assert owner.setdefault(e // unit, k) == k
        assert all(len(p) <= size or len({e // unit for e in p}) == 1 for _c, p in pieces)
