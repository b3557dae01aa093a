"""Search engine tests against real (small) index folders."""

from __future__ import annotations

import os
from datetime import date

import pytest

from curator.search import SCHEMA_VERSION, SearchIndex, Thesaurus
from curator.search import index as index_mod

TODAY = date(2026, 1, 15)


def doc(id_, title="", text="", **kw):
    base = {"id": id_, "title": title, "summary": "", "notes": "", "tags": [], "themes": [],
            "site": None, "author": None, "type": "research", "status": "approved",
            "expert": "Amira Khan", "published": None, "review_due": None,
            "clipped": "2025-06-01T10:00:00", "text": text}
    base.update(kw)
    return base


DOCS = [
    doc("a", "Domestic abuse and young children",
        "Practitioners working with domestic abuse need to understand coercive control. "
        "Children living with domestic abuse are harmed.",
        themes=["DA"], tags=["coercive control"], published="2019-05-01",
        review_due="2025-12-01", site="www.nspcc.org.uk", type="guidance"),
    doc("b", "Fabricated or induced illness: a guide",
        "Fabricated or induced illness is rare. Perplexing presentations need careful "
        "assessment by paediatricians.", themes=["FII"], published="2021-03-10",
        review_due="2026-06-01", site="www.gov.uk", expert="Ben Okafor"),
    doc("c", "Neglect in adolescence",
        "Neglect of teenagers is often missed. Safeguarding adolescents requires "
        "relationship-based practice.", themes=["NEG"], tags=["adolescents", "neglect"],
        published="2023-09-01", status="draft", type="research", clipped="2026-01-05T09:00:00"),
    doc("d", "County lines and exploitation",
        "Child criminal exploitation through county lines drug networks. Safeguarded "
        "children still need help.", themes=["CCE", "NEG"], published="2020-01-20",
        type="toolkit", site="https://learning.nspcc.org.uk/x"),
    doc("e", "Café culture and résumé writing",
        "Accents should fold: café, naïve, résumé. Nothing about neglect here really.",
        themes=["EH"], published=None, status="retired", type="other"),
]


@pytest.fixture(scope="module")
def idx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ix") / "index"
    si = SearchIndex(folder, Thesaurus.starter())
    assert si.rebuild(DOCS, total=len(DOCS))
    yield si
    si.close()


def ids(res):
    return sorted(h.id for h in res.hits)


def s(idx, text, **kw):
    return idx.search(text, today=TODAY, **kw)


# ------------------------------------------------------------- operators

def test_free_words_all_must_match(idx):
    res = s(idx, "domestic abuse children")
    assert res.total == 1 and res.hits[0].id == "a"
    res = s(idx, "neglect teenagers")
    assert res.total == 1 and res.hits[0].id == "c"
    assert res.facets["theme"] == {"NEG": 1}       # facets count the all-words matches


def test_some_words_matches_follow_the_all_words_ones(idx):
    res = s(idx, "domestic abuse children")
    # "d" has children but not domestic abuse: after "a", said so, scored below it.
    assert [h.id for h in res.hits] == ["a", "d"]
    assert res.some_words == 1 and res.total == 1
    assert res.hits[0].score > res.hits[1].score
    assert res.notice and "only some of them" in res.notice
    assert s(idx, "domestic abuse children", limit=1).some_words == 0   # page full


def test_words_in_brackets_and_with_hyphens_count_in_the_any_word_rest(idx):
    # Nothing has every word; brackets and "relationship-based" still rank c first.
    res = s(idx, "teenagers (relationship-based paediatricians)")
    assert res.hits and res.hits[0].id == "c"
    assert "b" in ids(res)
    assert res.notice and "some of them" in res.notice


def test_stemming_matches_other_forms(idx):
    assert "d" in ids(s(idx, "safeguarding"))    # text says "Safeguarded"
    assert "c" in ids(s(idx, "safeguard"))


def test_accents_are_folded(idx):
    assert ids(s(idx, "cafe resume")) == ["e"]
    assert ids(s(idx, "café")) == ["e"]


def test_phrase(idx):
    assert ids(s(idx, '"coercive control"')) == ["a"]
    assert ids(s(idx, '"control coercive"')) == []


def test_or_and_exclusion(idx):
    assert ids(s(idx, "teenagers OR paediatricians")) == ["b", "c"]
    assert ids(s(idx, "neglect -teenagers")) == ["e"]
    assert ids(s(idx, "neglect NOT teenagers")) == ["e"]
    assert ids(s(idx, "(teenagers | paediatricians) -theme:FII")) == ["c"]


def test_prefix(idx):
    assert ids(s(idx, "safegu*")) == ["c", "d"]
    assert ids(s(idx, "paediat*")) == ["b"]


def test_keyword_filters(idx):
    assert ids(s(idx, "theme:da")) == ["a"]
    assert ids(s(idx, "theme:NEG")) == ["c", "d"]
    assert ids(s(idx, "tag:neglect")) == ["c"]
    assert ids(s(idx, 'tag:"coercive control"')) == ["a"]
    assert ids(s(idx, "type:toolkit")) == ["d"]
    assert ids(s(idx, 'type:"practice tool"')) == []
    assert ids(s(idx, "status:draft")) == ["c"]
    assert ids(s(idx, "expert:okafor")) == ["b"]
    assert ids(s(idx, 'expert:"Ben Okafor"')) == ["b"]
    assert ids(s(idx, "site:nspcc.org.uk")) == ["a", "d"]
    assert ids(s(idx, "site:gov.uk")) == ["b"]
    assert ids(s(idx, "theme:NEG teenagers")) == ["c"]


def test_date_filters(idx):
    assert ids(s(idx, "published:>2020")) == ["b", "c"]
    assert ids(s(idx, "published:>=2020")) == ["b", "c", "d"]
    assert ids(s(idx, "published:<2020")) == ["a"]
    assert ids(s(idx, "published:2019..2020")) == ["a", "d"]
    assert ids(s(idx, "published:2021-03")) == ["b"]
    assert ids(s(idx, "published:2021-03-10")) == ["b"]
    assert ids(s(idx, "review:<today")) == ["a"]
    assert ids(idx.search("review:<today", today=date(2027, 1, 1))) == ["a", "b"]
    assert ids(s(idx, "clipped:2026-01")) == ["c"]
    assert ids(s(idx, "clipped:>=2026-01-01 neglect")) == ["c"]


# ------------------------------------------------------------- thesaurus

def test_thesaurus_expansion(idx):
    res = s(idx, "FII")
    assert ids(res) == ["b"]
    assert res.expanded and "fabricated or induced illness" in res.expanded[0]
    res = s(idx, "Munchausen by proxy")
    assert ids(res) == ["b"]
    res = s(idx, "DA")
    assert ids(res) == ["a"]
    assert ids(s(idx, "CCE")) == ["d"]


def test_expert_entries(tmp_path):
    th = Thesaurus.starter().with_entries([["PPP", "perplexing presentations"]])
    si = SearchIndex(tmp_path / "ix", th)
    si.rebuild(DOCS)
    assert ids(si.search("PPP")) == ["b"]
    si.close()


# ------------------------------------------------------------- robustness

@pytest.mark.parametrize("text,expected", [
    ('"unbalanced', []), ('"unbalanced teenagers', ["c"]), ("(neglect", ["c", "e"]),
    ("neglect)", ["c", "e"]), ("theme:", []), ("theme: county", ["d"]),
    ("published:>banana", []), ("review:<", []), ("a OR", []), ("|", []),
    ("published:2020-13", []), ("((((", []), ('"', []), ('tag:"x', ["d"]),
])
def test_malformed_queries_give_notice_and_search_their_words(idx, text, expected):
    res = s(idx, text)
    assert res.notice is not None and "could not be read" in res.notice
    assert ids(res) == expected
    assert res.total == len(expected)


def test_a_lone_minus_is_no_search_and_no_notice(idx):
    res = s(idx, "-")
    assert (res.total, res.hits, res.notice) == (0, [], None)


def test_malformed_falls_back_to_words(idx):
    res = s(idx, '"coercive control')
    assert res.notice and "could not be read" in res.notice
    assert ids(res) == ["a"]
    res = s(idx, "published:>banana neglect")
    assert res.notice


def test_empty_query(idx):
    res = s(idx, "   ")
    assert res.total == 0 and res.hits == []


def test_words_only_ignores_operators(idx):
    res = s(idx, "theme:DA teenagers", words_only=True)
    assert res.notice is None
    assert "c" in ids(res)          # any-word ranking, operators are just words


def test_all_words_relaxes_to_any_with_notice(idx):
    res = s(idx, "teenagers paediatricians")
    assert ids(res) == ["b", "c"]
    assert res.notice and "some of them" in res.notice


# ------------------------------------------------------------- results

def test_snippet_highlights(idx):
    res = s(idx, "coercive")
    assert "[[coercive]]" in res.hits[0].snippet
    assert "<" not in res.hits[0].snippet
    res = s(idx, '"county lines"')
    assert "[[county]] [[lines]]" in res.hits[0].snippet
    res = s(idx, "theme:FII")
    assert res.hits[0].snippet        # no text terms: falls back to a text start


def test_facets_over_all_matches(idx):
    res = s(idx, "neglect OR coercive OR exploitation", limit=1)
    assert res.total == 4 and len(res.hits) == 1
    assert res.facets["theme"]["NEG"] == 2
    assert res.facets["theme"]["DA"] == 1
    assert res.facets["status"] == {"approved": 2, "draft": 1, "retired": 1}
    assert sum(res.facets["type"].values()) == 4


def test_did_you_mean(idx):
    res = s(idx, "neglet teenagers")
    assert res.suggestion == "neglect teenagers"
    assert s(idx, "neglect").suggestion is None


def test_more_like_this(idx):
    res = idx.more_like_this("a")
    assert "a" not in ids(res)
    assert idx.more_like_this("nope").hits == []


def test_ranking_prefers_title(idx):
    res = s(idx, "neglect")
    assert res.hits[0].id == "c"


# ------------------------------------------------------------- writing

def test_apply_upsert_and_delete(tmp_path):
    si = SearchIndex(tmp_path / "ix")
    si.rebuild(DOCS)
    si.apply([doc("f", "Brand new zanzibar resource", "zanzibar text")], [])
    assert ids(si.search("zanzibar")) == ["f"]
    si.apply([doc("f", "Renamed resource", "quokka text")], [])
    assert ids(si.search("zanzibar")) == []
    assert ids(si.search("quokka")) == ["f"]
    assert si.doc_count() == 6
    si.apply([], ["f", "a"])
    assert ids(si.search("quokka")) == [] and si.doc_count() == 4
    assert ids(si.search("theme:DA")) == []
    si.close()


def test_apply_before_rebuild_creates_index(tmp_path):
    si = SearchIndex(tmp_path / "ix")
    si.apply([doc("x", "first resource")], [])
    assert ids(si.search("first")) == ["x"]
    si.close()


def test_many_small_commits_are_merged(tmp_path, monkeypatch):
    monkeypatch.setattr(index_mod, "MAX_SMALL_SEGMENTS", 2)
    si = SearchIndex(tmp_path / "ix")
    for i in range(6):
        si.apply([doc(f"n{i}", f"note {i} walrus")], [])
    assert si.search("walrus").total == 6
    assert len(si._snapshot().leaves) <= 3
    si.close()


def test_rebuild_swaps_and_cancel_keeps_old(tmp_path):
    si = SearchIndex(tmp_path / "ix")
    si.rebuild(DOCS)
    assert si.search("teenagers").total == 1
    seen = []
    assert si.rebuild([doc("z", "other")], progress=lambda d, t, _text: seen.append((d, t)))
    assert seen and si.doc_count() == 1 and si.search("teenagers").total == 0
    assert si.rebuild(DOCS) and si.doc_count() == 5
    assert si.rebuild(iter(DOCS), cancel=lambda: True) is False
    assert si.doc_count() == 5 and si.is_usable()
    gens = [p for p in (tmp_path / "ix").iterdir() if p.name.startswith("g-")]
    assert len(gens) == 1
    si.close()


def test_parallel_rebuild(tmp_path):
    docs = [doc(f"p{i}", f"title {i} otter", f"body text number {i} with badger")
            for i in range(40)]
    si = SearchIndex(tmp_path / "ix")
    import curator.search.build as build
    old = build.SERIAL_BELOW, build.BATCH_DOCS, build.SEGMENT_DOCS
    build.SERIAL_BELOW, build.BATCH_DOCS, build.SEGMENT_DOCS = 1, 5, 15
    try:
        assert si.rebuild(docs, total=40, procs=2)
    finally:
        build.SERIAL_BELOW, build.BATCH_DOCS, build.SEGMENT_DOCS = old
    assert si.doc_count() == 40
    assert si.search("otter badger").total == 40
    assert si.is_usable()
    si.close()


def test_is_usable_false_cases(tmp_path):
    folder = tmp_path / "ix"
    si = SearchIndex(folder)
    assert not si.is_usable()                          # missing
    si.rebuild(DOCS)
    assert si.is_usable()
    gen = folder / (folder / "CURRENT").read_text()
    si.close()
    # old schema version
    meta = gen / "curator-search.json"
    meta.write_text(f'{{"schema_version": {SCHEMA_VERSION - 1}}}')
    assert not si.is_usable()
    meta.write_text(f'{{"schema_version": {SCHEMA_VERSION}}}')
    assert si.is_usable()
    # truncated segment
    seg = next(p for p in gen.iterdir() if p.suffix == ".seg")
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) // 3])
    assert not si.is_usable()
    # garbage
    seg.write_bytes(b"garbage" * 10)
    assert not si.is_usable()
    (folder / "CURRENT").write_text("nonsense")
    assert not si.is_usable()
    # a broken index never makes search raise
    assert si.search("neglect").total == 0


def test_killed_mid_rebuild_leftovers_are_ignored(tmp_path):
    folder = tmp_path / "ix"
    si = SearchIndex(folder)
    si.rebuild(DOCS)
    (folder / "g-0-deadbeef").mkdir()          # a half-built generation
    (folder / "g-0-deadbeef" / "junk.seg").write_bytes(b"x")
    assert si.is_usable() and si.search("teenagers").total == 1
    si.rebuild(DOCS)
    assert not (folder / "g-0-deadbeef").exists()
    si.close()


def test_stale_lock_does_not_block(tmp_path):
    folder = tmp_path / "ix"
    si = SearchIndex(folder, lock_timeout=2)
    si.rebuild(DOCS)
    gen = folder / (folder / "CURRENT").read_text()
    (gen / "MAIN_WRITELOCK").write_text("left by a killed process")
    os.utime(gen / "MAIN_WRITELOCK", (0, 0))
    si.apply([doc("g", "after crash lemur")], [])
    assert ids(si.search("lemur")) == ["g"]
    si.close()


def test_live_lock_waits_then_reports_busy(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    folder = tmp_path / "ix"
    si = SearchIndex(folder, lock_timeout=0.3)
    si.rebuild(DOCS)
    gen = folder / (folder / "CURRENT").read_text()
    ix = FileStorage(str(gen)).open_index("MAIN")
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()
    try:
        with pytest.raises(index_mod.IndexBusy):
            si.apply([doc("h", "blocked")], [])
    finally:
        lock.release()
    si.apply([doc("h", "unblocked heron")], [])
    assert ids(si.search("heron")) == ["h"]
    si.close()


def test_index_writes_leave_nothing_for_the_cycle_collector(tmp_path):
    """Writers are freed by reference counting as soon as they finish; in the app a pile
    of writers waiting for the cycle collector means a long pause of the window."""
    import gc
    si = SearchIndex(tmp_path / "index", Thesaurus.starter())
    assert si.rebuild(DOCS, total=len(DOCS))
    si.apply([doc("warm", "Warm up", "a first write")], [])
    gc.collect()
    gc.disable()
    try:
        for n in range(3):
            si.apply([doc(f"n{n}", "Another page", "neglect and young carers " * 50)], [])
        left = gc.collect()
    finally:
        gc.enable()
        si.close()
    assert left < 50, f"{left} objects were left in reference cycles"
