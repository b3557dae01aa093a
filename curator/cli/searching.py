"""Commands for search: search, thesaurus entries, reindex."""

from __future__ import annotations

import sys

from curator.base.errors import CuratorError
from curator.cli.output import _out


def cmd_search(lib, args) -> int:
    lib.process_index_queue()
    if args.like:
        res = lib.more_like_this(args.like, limit=args.limit)
    elif not args.query:
        raise CuratorError("Say what to search for, or use --like ID.")
    else:
        res = lib.search(args.query, limit=args.limit)
    data = {"total": res.total, "notice": res.notice, "suggestion": res.suggestion,
            "expanded": res.expanded, "facets": res.facets,
            "hits": [{"id": h.id, "score": h.score, "title": h.title, "snippet": h.snippet}
                     for h in res.hits]}

    def human():
        if res.notice:
            print(res.notice)
        if res.suggestion:
            print(f"Did you mean: {res.suggestion}")
        if res.expanded:
            print(f"Also searched for: {', '.join(res.expanded)}")
        print(f"{res.total} result(s)")
        for h in res.hits:
            print(f"\n{h.id[:8]}  {h.title}")
            if h.snippet:
                print("    " + h.snippet.replace("[[", "*").replace("]]", "*"))
    _out(args, data, human)
    return 0


def cmd_thesaurus(lib, args) -> int:
    if args.action == "add":
        entry = lib.add_thesaurus_entry(args.terms)
        _out(args, entry, lambda: print(" = ".join(entry["terms"])))
    elif args.action == "remove":
        lib.remove_thesaurus_entry(args.entry)
        _out(args, {"removed": args.entry}, lambda: print("Removed."))
    else:
        entries = lib.thesaurus_entries()
        _out(args, entries, lambda: [print(f"{e['id']:>4}  {' = '.join(e['terms'])}")
                                     for e in entries] or (None if entries else print(
                                         "No entries of your own yet; the starter thesaurus "
                                         "is always on.")))
    return 0


def cmd_reindex(lib, args) -> int:
    def progress(done, total):
        if not args.json and sys.stderr.isatty():
            print(f"\rIndexing {done}/{total}", end="", file=sys.stderr)
    lib.indexer.rebuild(progress=progress)
    n = lib.indexer.index.doc_count()
    _out(args, {"indexed": n}, lambda: print(f"\nThe search index was rebuilt: {n} resource(s)."))
    return 0
