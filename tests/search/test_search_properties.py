"""Property test: nothing a user types makes search() raise."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.search import SearchIndex, Thesaurus

ALPHABET = st.sampled_from(list('abcdeé "()-*|:<>=.,/\\\'\t') +
                           ["theme:", "published:", "review:", "OR", "NOT", "AND",
                            "tag:", "DA", "..", "today", "2020", "neglect", "\x00", "🙂"])


@pytest.fixture(scope="module")
def idx(tmp_path_factory):
    si = SearchIndex(tmp_path_factory.mktemp("ixp") / "index", Thesaurus.starter())
    si.rebuild([{"id": "1", "title": "Neglect and domestic abuse", "text": "neglect abuse café",
                 "themes": ["DA"], "published": "2020-01-01"}])
    yield si
    si.close()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=60), st.lists(ALPHABET, max_size=15).map("".join)),
       words_only=st.booleans())
def test_search_never_raises(idx, text, words_only):
    res = idx.search(text, today=date(2026, 1, 1), words_only=words_only)
    # One document in the index: a search finds it or nothing, and says which.
    assert isinstance(res.hits, list) and res.total == len(res.hits) <= 1
    assert all(h.id == "1" for h in res.hits)
