"""Commands for search: search, thesaurus entries, reindex."""

from __future__ import annotations

import sys

from curator.base.errors import CuratorError
from curator.base.words import plural
from curator.cli.output import _out, say


def cmd_search(lib, args) -> int:
    lib.process_index_queue()
    if args.like:
        res = lib.more_like_this(args.like, limit=args.limit)
    elif not args.query:
        raise CuratorError("Say what to search for, or use --like ID.")
    elif not any(ch.isalnum() for ch in args.query):
        raise CuratorError(nothing_to_search(args.query))
    else:
        res = lib.search(args.query, limit=args.limit)
    data = {"total": res.total, "notice": res.notice, "suggestion": res.suggestion,
            "expanded": res.expanded, "facets": res.facets,
            "hits": [{"id": h.id, "score": h.score, "title": h.title, "snippet": h.snippet}
                     for h in res.hits]}

    def human():
        if res.notice:
            say(res.notice)
        if res.suggestion:
            say(f"Did you mean: {res.suggestion}")
        if res.expanded:
            say(f"Also searched for: {', '.join(res.expanded)}")
        say(plural(res.total, "result"))
        for h in res.hits:
            say(f"\n{h.id[:8]}  {h.title}")
            if h.snippet:
                say("    " + h.snippet.replace("[[", "*").replace("]]", "*"))
    _out(args, data, human)
    return 0


def nothing_to_search(query: str) -> str:
    """What to type instead of a query with no word in it (``*``, ``-``, quotes alone)."""
    if "*" in query:
        return ("A star on its own matches nothing: put it after the first letters of a "
                "word to find the words that begin that way, for example: curator search "
                "\"neglect*\" (neglect, neglected, neglectful). To see every resource, use: "
                "curator list")
    return ("There is no word to search for in that. Type a word or a \"phrase\", for "
            "example: curator search \"coercive control\". To see every resource, use: "
            "curator list")


def cmd_thesaurus(lib, args) -> int:
    if args.action == "add":
        entry = lib.add_thesaurus_entry(args.terms)
        _out(args, entry, lambda: say(" = ".join(entry["terms"])))
    elif args.action == "remove":
        lib.remove_thesaurus_entry(args.entry)
        _out(args, {"removed": args.entry}, lambda: say("Removed."))
    else:
        entries = lib.thesaurus_entries()
        _out(args, entries, lambda: [say(f"{e['id']:>4}  {' = '.join(e['terms'])}")
                                     for e in entries] or (None if entries else say(
                                         "No entries of your own yet; the starter thesaurus "
                                         "is always on.")))
    return 0


def cmd_reindex(lib, args) -> int:
    lib.store.refuse_if_read_only("rebuild the search index")
    def progress(done, total, _text):
        if not args.json and sys.stderr.isatty():
            print(f"\rIndexing {done}/{total}", end="", file=sys.stderr)
    lib.indexer.rebuild(progress=progress)
    n = lib.indexer.index.doc_count()
    _out(args, {"indexed": n},
         lambda: say(f"\nThe search index was rebuilt: {plural(n, 'resource')}."))
    return 0
