"""Commands for tags that stay tidy and saved searches: curator tags, curator searches."""

from __future__ import annotations

import argparse

from curator.cli.output import _out, clean, say


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    tg = sub.add_parser("tags", help="list, rename or merge tags", parents=[common])
    ts = tg.add_subparsers(dest="action", required=True, metavar="ACTION")
    ts.add_parser("list", help="every tag with how many resources have it", parents=[common])
    t = ts.add_parser("rename", help='rename a tag everywhere: curator tags rename marac MARAC',
                      parents=[common])
    t.add_argument("old")
    t.add_argument("new")
    t = ts.add_parser("merge", help='make tags one: curator tags merge "Marac meeting" MARAC '
                                    "(the last one is what they become)", parents=[common])
    t.add_argument("names", nargs="+", metavar="TAG")

    sv = sub.add_parser("searches", help="saved searches: list, save, run or remove",
                        parents=[common])
    ss = sv.add_subparsers(dest="action", required=True, metavar="ACTION")
    ss.add_parser("list", help="every saved search with how many resources it finds",
                  parents=[common])
    s = ss.add_parser("save", help='save a search: curator searches save "MARAC" "tag:MARAC"',
                      parents=[common])
    s.add_argument("name")
    s.add_argument("query")
    s.add_argument("--replace", action="store_true",
                   help="give a saved search of that name this query")
    s = ss.add_parser("run", help="run a saved search", parents=[common])
    s.add_argument("name")
    s.add_argument("--limit", type=int, default=20)
    s = ss.add_parser("remove", help="remove a saved search", parents=[common])
    s.add_argument("name")


def cmd_tags(lib, args) -> int:
    if args.action == "rename":
        change = lib.rename_tag(args.old, args.new)
        _out(args, change.to_dict(), lambda: say(change.text))
    elif args.action == "merge":
        if len(args.names) < 2:
            from curator.base.errors import CuratorError
            raise CuratorError("Name the tags to merge, then the tag they become, for "
                               'example: curator tags merge marac "Marac meeting" MARAC')
        change = lib.merge_tags(args.names[:-1], args.names[-1])
        _out(args, change.to_dict(), lambda: say(
            f"Merged {', '.join(change.merged)} into {change.tag}. {change.text}"))
    else:
        tags = lib.tags()

        def human():
            if not tags:
                say("No tags yet.")
            for t in tags:
                also = f"  (also: {', '.join(clean(s) for s in t.spellings)})" \
                    if t.spellings else ""
                say(f"{t.count:>5}  {clean(t.name)}{also}")
        _out(args, [t.to_dict() for t in tags], human)
    return 0


def cmd_searches(lib, args) -> int:
    if args.action == "save":
        found = lib.save_search(args.name, args.query, replace=args.replace)
        _out(args, found.to_dict(), lambda: say(f"Saved “{found.name}”: {found.query}"))
    elif args.action == "remove":
        lib.remove_saved_search(args.name)
        _out(args, {"removed": args.name}, lambda: say("Removed."))
    elif args.action == "run":
        from curator.cli.searching import cmd_search
        found = lib.saved_search(args.name)
        return cmd_search(lib, argparse.Namespace(
            like=None, query=found.query, limit=args.limit, json=args.json))
    else:
        searches = lib.saved_searches()

        def human():
            if not searches:
                say('No saved searches yet. Save one: curator searches save NAME "QUERY"')
            for s in searches:
                say(f"{s.count:>5}  {clean(s.name)}  ({clean(s.query)})")
        _out(args, [s.to_dict() for s in searches], human)
    return 0
