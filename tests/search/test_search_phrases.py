"""Phrase matching over block-packed positions agrees with a brute-force check.

Covers: several segments, both packed block kinds (dense "I" blocks and sparse
"Q" blocks, which need a term in documents more than 254 apart), stop-word
gaps, documents deleted and replaced by apply(), and small segments merged by
optimize_if_needed() (which re-encodes the packed positions).
"""

from __future__ import annotations

import random

import pytest

import curator.search.build as build
from curator.search import SearchIndex, analysis
from curator.search.codec import KEY_MULT, block_keys, pack_block, unpack_block

WORDS = ["otter", "badger", "heron", "vole", "stoat", "the", "of"]


def make_doc(i: int, rng: random.Random) -> dict:
    words = rng.choices(WORDS, k=rng.randint(3, 30))
    if i % 300 == 7:
        words.insert(rng.randrange(len(words) + 1), "kingfisher otter")  # sparse term
    return {"id": f"d{i}", "title": f"doc {i}", "text": " ".join(words)}


def brute(docs: dict[str, dict], phrase: str) -> set[str]:
    want = analysis.stems(phrase)
    want = want[next(i for i, s in enumerate(want) if s):]
    while want and not want[-1]:
        want.pop()
    out = set()
    for rid, d in docs.items():
        # Title and text are separate parts (a phrase never spans them).
        for part in (d["title"], d["text"]):
            toks = analysis.stems(part)
            for s in range(len(toks) - len(want) + 1):
                if all(not w or toks[s + k] == w for k, w in enumerate(want)):
                    out.add(rid)
                    break
    return out


PHRASES = ['"otter badger"', '"badger otter"', '"otter the badger"', '"heron of the vole"',
           '"vole vole"', '"otter badger heron"', '"kingfisher otter"', '"stoat kingfisher"',
           '"otter otter otter"']


def check(si: SearchIndex, docs: dict[str, dict]) -> None:
    for phrase in PHRASES:
        res = si.search(phrase, limit=2000)
        got = {h.id for h in res.hits}
        want = brute(docs, phrase[1:-1])
        assert got == want, phrase
        assert res.total == len(want), phrase


@pytest.fixture
def small_segments(monkeypatch):
    monkeypatch.setattr(build, "SEGMENT_DOCS", 250)
    monkeypatch.setattr(build, "SERIAL_BELOW", 10_000)


def test_phrases_match_brute_force(tmp_path, small_segments):
    rng = random.Random(5)
    docs = {f"d{i}": make_doc(i, rng) for i in range(800)}
    si = SearchIndex(tmp_path / "ix")
    si.rebuild(list(docs.values()))
    assert len(si._snapshot().leaves) >= 3
    check(si, docs)

    # replace, delete and add through apply(); then merge the small segments
    for n in range(7):
        changed = [make_doc(rng.randrange(800), rng) for _ in range(3)]
        changed.append(make_doc(1000 + n, rng))
        gone = [f"d{rng.randrange(800)}" for _ in range(2)]
        gone = [g for g in gone if g not in {c["id"] for c in changed}]
        si.apply(changed, gone)
        for g in gone:
            docs.pop(g, None)
        for c in changed:
            docs[c["id"]] = c
    check(si, docs)
    before = len(si._snapshot().leaves)
    assert si.optimize_if_needed(60.0)
    assert len(si._snapshot().leaves) < before
    check(si, docs)
    si.close()


def test_pack_round_trip_both_kinds():
    dense = ([3, 4, 200], [[0, 5], [1], [7, 9, 2 ** 24 - 2 ** 16 - 1]])
    sparse = ([3, 900], [[0, 5], [16_000_000]])
    for ids, positions in (dense, sparse):
        data = pack_block(ids, [list(p) for p in positions])
        assert data[:1] == (b"I" if ids is dense[0] else b"Q")
        assert [list(a) for a in unpack_block(ids, data)] == positions
        base = ids[0] if data[:1] == b"I" else 0
        keys = sorted(base * KEY_MULT + k for k in block_keys(data))
        pairs = zip(ids, positions, strict=True)
        assert keys == sorted(d * KEY_MULT + p for d, ps in pairs for p in ps)
