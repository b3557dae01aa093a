"""Answering a parsed query from a Snapshot: matches, ranking, page, facets.

``run`` is what ``SearchIndex.search`` does once it holds a snapshot: match
the query tree exactly (engine.py), relax an all-words query that found
nothing to any-word, score and rank the matches, make the page of hits with
snippets, count facets over all matches and, unless asked not to, look for a
"did you mean" (suggest.py). ``more_like_this`` does the same for a query made
of one resource's most distinctive words.
"""

from __future__ import annotations

import math

from curator.search import analysis, engine
from curator.search import query as q
from curator.search.limits import join_notices
from curator.search.postings import Snapshot
from curator.search.results import Hit, SearchResults
from curator.search.schema import FACET_FIELDS, stored_excerpt
from curator.search.snippets import make_snippet
from curator.search.suggest import suggest

ANY_WORDS_NOTICE = ("No resource matched all of your words, so Curator is showing "
                    "resources that match some of them.")
LIKE_TERMS = 15         # distinctive words a "more like this" query is made of
LIKE_TEXT_CHARS = 8000  # of the stored excerpt read for them


def empty(notice: str | None = None, expanded: list[str] | None = None,
          facets: bool = True) -> SearchResults:
    """No results (with a notice, if any, saying why)."""
    return SearchResults([], 0, {f: {} for f in FACET_FIELDS} if facets else {}, None,
                         notice, expanded or [])


def run(snap: Snapshot, parsed: q.Parsed, limit: int, words_only: bool) -> SearchResults:
    ev = engine.Evaluator(snap)
    tree = parsed.tree
    notice = parsed.notice
    if words_only and isinstance(tree, q.And):
        tree = q.Or(tree.children)      # best-match ranking for plain words
    final = live(ev.match(tree), snap)
    if not final and not words_only:
        relaxed = relax(tree)
        if relaxed is not None:
            final = live(ev.match(relaxed), snap)
            if final:
                tree = relaxed
                notice = join_notices(notice, ANY_WORDS_NOTICE)
    scores = ev.scores(tree, final)
    ranked = engine.top(scores, final, limit)
    singles, phrases = engine.highlight_terms(tree)
    prefixes = engine.prefixes(tree)
    hits = []
    for docnum, score in ranked:
        stored = snap.stored(docnum)
        snippet = make_snippet(stored.get("excerpt"), stored.get("summary") or "",
                               singles, prefixes, phrases)
        hits.append(Hit(stored.get("id", ""), float(score),
                        stored.get("title") or "", snippet))
    facets = engine.facet_counts(snap, final, FACET_FIELDS)
    suggestion = None
    if not words_only:
        suggestion = suggest(snap, parsed.text, parsed.free_words, len(final))
    return SearchResults(hits, len(final), facets, suggestion, notice, parsed.expanded)


def more_like_this(snap: Snapshot, resource_id: str, limit: int) -> SearchResults:
    """Resources sharing the most distinctive words of this one."""
    docs = [d for d in snap.reader.postings("id", resource_id).all_ids()] \
        if snap.doc_frequency("id", resource_id) else []
    docs = [d for d in docs if d not in snap.deleted]
    if not docs:
        return empty(facets=False)
    me = docs[-1]
    stored = snap.stored(me)
    text = " ".join([stored.get("title") or "", stored.get("summary") or "",
                     stored_excerpt(stored.get("excerpt"))[:LIKE_TEXT_CHARS]])
    tf: dict[str, int] = {}
    for t in analysis.terms(text):
        tf[t] = tf.get(t, 0) + 1
    n = max(snap.doc_count_all, 1)
    weighted = []
    for t, f in tf.items():
        df = snap.doc_frequency("content", t)
        if df < 2:
            continue
        weighted.append((f * math.log(n / df), t))
    weighted.sort(reverse=True)
    tree = q.Or([q.Term(t, t, free=False) for _w, t in weighted[:LIKE_TERMS]])
    if not tree.children:
        return empty(facets=False)
    ev = engine.Evaluator(snap)
    final = ev.match(tree) - snap.deleted - {me}
    ranked = engine.top(ev.scores(tree, final), final, limit)
    stems = [c.stem for c in tree.children]
    hits = []
    for docnum, score in ranked:
        st = snap.stored(docnum)
        hits.append(Hit(st.get("id", ""), float(score), st.get("title") or "",
                        make_snippet(stored_excerpt(st.get("excerpt")),
                                     st.get("summary") or "", stems, [])))
    return SearchResults(hits, len(final), {}, None, None, [])


def live(docs: set[int], snap: Snapshot) -> set[int]:
    """Matches without deleted documents (no copy when there are none)."""
    return docs - snap.deleted if snap.deleted else docs


def relax(tree):
    """All-words query that found nothing -> any-word version (None if n/a)."""
    if not isinstance(tree, q.And):
        return None
    free = [c for c in tree.children if isinstance(c, (q.Term, q.Phrase, q.Prefix, q.Or))]
    rest = [c for c in tree.children if c not in free]
    if len(free) < 2:
        return None
    return q.And([q.Or(free), *rest]) if rest else q.Or(free)
