"""Bad input to the search bar: huge queries, huge words, a slow "did you mean".

A pasted page of 10,000 words used to take minutes (nearly all in "did you
mean") and one 5,000-character word 11 s. Queries are now cut, with a notice,
and suggestions are bounded (curator/search/limits.py). These tests feed the
real thing and check the outcome and the counters; no test relies on the
machine being fast (real timings: benchmarks/search_latency.py).
"""

from __future__ import annotations

import random
import time
from datetime import date

import pytest

from curator.search import SearchIndex, analysis, limits, suggest
from curator.search import query as q
from curator.search.limits import MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_TERM_CHARS

TODAY = date(2026, 1, 15)
LONG_WORD = "pneumono" * 20     # 160 letters, one word


def doc(id_, title="", text=""):
    return {"id": id_, "title": title, "summary": "", "notes": "", "tags": [], "themes": [],
            "site": None, "author": None, "type": "research", "status": "approved",
            "expert": None, "published": None, "review_due": None, "clipped": None,
            "text": text}


DOCS = [
    doc("a", "Neglect of teenagers", "Neglect of teenagers is often missed by services."),
    doc("b", "Neglect in early years", "Early help for neglect and parenting support."),
    doc("c", "Neglect and schools", "Schools notice neglect; attendance and hunger."),
    doc("d", "Domestic abuse", "Coercive control and domestic abuse in families."),
    doc("e", "A very long word", f"The page holds {LONG_WORD} once."),
]


@pytest.fixture(scope="module")
def idx(tmp_path_factory):
    si = SearchIndex(tmp_path_factory.mktemp("limits") / "ix")
    assert si.rebuild(DOCS, total=len(DOCS), procs=1)
    yield si
    si.close()


@pytest.fixture
def closest_calls(monkeypatch):
    """How many index lookups "did you mean" made."""
    calls = []
    real = suggest.closest

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest, "closest", counting)
    return calls


def junk_words(n: int, seed: int = 1) -> list[str]:
    """Made-up words no index holds (each gets a "did you mean" lookup)."""
    rng = random.Random(seed)
    return ["".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou")
                    for _ in range(rng.randint(3, 5))) for _ in range(n)]


# ------------------------------------------------------------- cutting


def test_short_queries_are_left_alone():
    text = 'neglect "early help" (theme:DA OR tag:x) -hunger'
    assert limits.limit_query(text) == (text, None)
    exactly = " ".join(["word"] * MAX_QUERY_WORDS)
    assert limits.limit_query(exactly) == (exactly, None)


def test_too_many_words_keeps_the_first_ones():
    text, notice = limits.limit_query(" ".join(f"w{i}" for i in range(MAX_QUERY_WORDS + 1)))
    assert text.split() == [f"w{i}" for i in range(MAX_QUERY_WORDS)]
    assert notice and f"first {MAX_QUERY_WORDS} words" in notice


def test_too_many_characters_cuts_at_a_space():
    text, notice = limits.limit_query("abcdefghi " * 150)      # 1,500 characters
    assert len(text) <= MAX_QUERY_CHARS and text.split() == ["abcdefghi"] * 64
    word = "abcdefghijklmn"
    text, notice = limits.limit_query(f"{word} " * 60 + "y" * 50 + " " + "z" * 100)
    assert text.split() == [word] * 60 + ["y" * 50]    # no half of the last word
    assert notice and "1,000 characters" in notice


def test_a_cut_closes_quotes_and_parentheses():
    words = " ".join(f"w{i}" for i in range(100))
    text, _ = limits.limit_query(f'(alpha OR "{words}")')
    assert text.endswith('w61")')         # alpha and OR are words too
    parsed = q.parse(f'(alpha OR "{words}")', TODAY)
    assert "could not be read" not in parsed.notice     # still a valid query
    assert isinstance(parsed.tree, q.Or)
    text, _ = limits.limit_query('"q (w" ' + words)
    assert text.count('"') == 2 and not text.endswith(")")   # "(" in quotes is text


def test_a_huge_word_is_kept_as_a_bounded_prefix():
    text, notice = limits.limit_query("neglect " + "ab" * 2500)
    assert len(text) == MAX_QUERY_CHARS and text.startswith("neglect abab")
    parsed = q.parse("ab" * 2500, TODAY)
    assert isinstance(parsed.tree, q.Prefix) and len(parsed.tree.prefix) == MAX_TERM_CHARS
    assert parsed.free_words == [] and "1,000 characters" in parsed.notice


def test_a_long_word_still_finds_its_document(idx):
    assert len(analysis.stem(LONG_WORD)) > MAX_TERM_CHARS
    res = idx.search(LONG_WORD, today=TODAY)
    assert [h.id for h in res.hits] == ["e"] and res.notice is None


# ------------------------------------------------------------- real searches


def test_a_ten_thousand_word_query(idx, closest_calls):
    rng = random.Random(7)
    words = [rng.choice(["neglect", "teenagers", "schools", *junk_words(50)])
             for _ in range(10_000)]
    start = time.monotonic()
    res = idx.search(" ".join(words), today=TODAY)
    assert time.monotonic() - start < 20        # generous: minutes before the cap
    assert res.notice and f"first {MAX_QUERY_WORDS} words" in res.notice
    assert res.total > 0 and res.hits                  # the any-word fallback
    assert len(closest_calls) <= MAX_QUERY_WORDS       # at most one lookup per word kept
    if res.suggestion is not None:
        assert len(analysis.words(res.suggestion)) <= MAX_QUERY_WORDS


def test_a_five_thousand_character_word(idx, closest_calls):
    rng = random.Random(3)
    word = "".join(rng.choice("abcdefghij") for _ in range(5_000))
    start = time.monotonic()
    res = idx.search(word, today=TODAY)
    assert time.monotonic() - start < 20
    assert (res.total, res.suggestion) == (0, None)
    assert res.notice and "1,000 characters" in res.notice
    assert closest_calls == []                  # no fuzzy lookup for such a word


def test_long_words_get_no_suggestion(idx, closest_calls):
    word = "neglectt" * 5                       # 40 letters
    assert len(word) > limits.SUGGEST_MAX_CHARS
    assert idx.search(word, today=TODAY).suggestion is None
    assert closest_calls == []


def test_notices_add_up(idx):
    res = idx.search(" ".join(["teenagers", "schools"] * 40), today=TODAY)
    assert "too long" in res.notice and "some of them" in res.notice


# ------------------------------------------------------------- the deadline


def test_did_you_mean_still_works(idx):
    assert idx.search("neglet teenagers", today=TODAY).suggestion == "neglect teenagers"


def test_no_time_left_means_no_suggestion(idx, closest_calls, monkeypatch):
    monkeypatch.setattr(limits, "SUGGEST_SECONDS", 0.0)
    res = idx.search("neglet teenagers", today=TODAY)
    assert res.suggestion is None and closest_calls == []
    assert res.total == 1                       # the search itself is unaffected


def test_suggestions_stop_at_the_deadline(idx, closest_calls):
    """A clock that moves 0.05 s per look: 0.2 s allow only a few words."""
    ticks = iter(range(10_000))

    def clock():
        return next(ticks) * 0.05

    snap = idx._snapshot()
    words = junk_words(MAX_QUERY_WORDS, seed=2)
    suggest.suggest(snap, " ".join(words), words, 0, clock=clock)
    assert 0 < len(closest_calls) <= limits.SUGGEST_SECONDS / 0.05
