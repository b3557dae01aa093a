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

from curator.search import analysis, engine, treewords
from curator.search import query as q
from curator.search.facets import facet_counts
from curator.search.limits import join_notices
from curator.search.postings import Snapshot
from curator.search.results import Hit, SearchResults
from curator.search.schema import FACET_FIELDS, stored_excerpt
from curator.search.snippets import make_snippet
from curator.search.suggest import suggest

ANY_WORDS_NOTICE = ("No resource matched all of your words, so Curator is showing "
                    "resources that match some of them.")
SOME_WORDS_NOTICE = ("After the resources that match all of your words come some that "
                     "match only some of them.")
LIKE_TERMS = 15         # distinctive words a "more like this" query is made of
LIKE_TEXT_CHARS = 8000  # of the stored excerpt read for them


def empty(notice: str | None = None, expanded: list[str] | None = None,
          facets: bool = True) -> SearchResults:
    """No results (with a notice, if any, saying why)."""
    return SearchResults([], 0, {f: {} for f in FACET_FIELDS} if facets else {}, None,
                         notice, expanded or [])


def run(snap: Snapshot, parsed: q.Parsed, limit: int, words_only: bool) -> SearchResults:
    """All-words matches ranked first; when they do not fill the page, the
    resources matching only some of the words follow them (ranked among
    themselves). ``total`` and the facets count the all-words matches (or,
    when there are none, the some-words ones, with ANY_WORDS_NOTICE), so they
    do not change with the page size; ``some_words`` says how many hits at
    the end of the page match only some of the words."""
    ev = engine.Evaluator(snap)
    tree = parsed.tree
    notice = parsed.notice
    if words_only and isinstance(tree, q.And):
        tree = q.Or(tree.children)      # best-match ranking for plain words
    final = live(ev.match(tree), snap)
    relaxed = None if words_only else relax(tree)
    ranked = engine.top(ev.scores(tree, final), final, limit) if final else []
    some = 0
    if relaxed is not None and len(ranked) < limit:
        wider = live(ev.match(relaxed), snap)
        rest = wider - final if final else wider
        if rest:
            more = engine.top(ev.scores(relaxed, rest), rest, limit - len(ranked))
            if final:
                some = len(more)
                # Scores stay in page order: the all-words hits rise above the rest.
                lift = more[0][1] if more else 0.0
                ranked = [(d, sc + lift) for d, sc in ranked]
                notice = join_notices(notice, SOME_WORDS_NOTICE)
            else:
                final, tree = rest, relaxed
                notice = join_notices(notice, ANY_WORDS_NOTICE)
            ranked += more
    singles, phrases = treewords.highlight_terms(tree)
    prefixes = treewords.prefixes(tree)
    hits = []
    for docnum, score in ranked:
        stored = snap.stored(docnum)
        snippet = make_snippet(stored.get("excerpt"), stored.get("summary") or "",
                               singles, prefixes, phrases)
        hits.append(Hit(stored.get("id", ""), float(score),
                        stored.get("title") or "", snippet))
    facets = facet_counts(snap, final, FACET_FIELDS)
    suggestion = None
    if not words_only:
        suggestion = suggest(snap, parsed.text, parsed.free_words, len(final))
    return SearchResults(hits, len(final), facets, suggestion, notice, parsed.expanded,
                         some)


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
    """All-words query -> any-word version (None if n/a). Words in brackets
    count as words too; exclusions and filters still apply."""
    if not isinstance(tree, q.And):
        return None
    free: list = []
    rest: list = []

    def sort(children) -> None:
        for c in children:
            if isinstance(c, q.And):
                sort(c.children)
            elif isinstance(c, (q.Term, q.Phrase, q.Prefix, q.Or)):
                free.append(c)
            else:
                rest.append(c)

    sort(tree.children)
    if len(free) < 2 and not any(_implicit(c) for c in free):
        return None
    loose = [w for c in free for w in _loosen(c)]
    return q.And([q.Or(loose), *rest]) if rest else q.Or(loose)


def _implicit(node) -> bool:
    return isinstance(node, q.Phrase) and node.implicit


def _loosen(node) -> list:
    """A typed word with parts ("real-gas") counts word by word in an
    any-word query; a quoted phrase stays a phrase."""
    if _implicit(node):
        return [q.Term(t, t, free=False) for t, _off in node.terms]
    if isinstance(node, q.Or):
        return [q.Or([w for c in node.children for w in _loosen(c)])]
    return [node]
