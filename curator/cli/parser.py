"""The command line's arguments, one sub-command per library service."""

from __future__ import annotations

import argparse

from curator import __version__

#: Options before the command that take a value.
_VALUED = ("--library", "--as")


def link_as_app(argv: list[str]) -> list[str]:
    """`curator URL` (as a browser or the desktop's "open with" runs it) means: start the
    app, or bring the running one forward, and clip the link."""
    n = 0
    while n < len(argv):
        arg = argv[n]
        if arg in _VALUED:
            n += 2
            continue
        if arg.startswith("-"):
            n += 1
            continue
        if arg.lower().startswith(("http://", "https://")):
            return [*argv[:n], "app", "--clip", arg, *argv[n + 1:]]
        if arg.lower().startswith("curator:"):  # curator:clip?url=... (issue 20)
            from curator.browser.scheme import clip_url
            from curator.base.errors import CuratorError
            try:
                return [*argv[:n], "app", "--clip", clip_url(arg), *argv[n + 1:]]
            except CuratorError as exc:
                raise SystemExit(f"curator: {exc.message}") from None
        return argv
    return argv


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    p = argparse.ArgumentParser(
        prog="curator",
        description="Curator keeps a theme's research and practice links alive: clip, "
                    "annotate, search, review and publish.",
        epilog="Run 'curator COMMAND --help' for a command's options.")
    p.add_argument("--version", action="version", version=f"Curator {__version__}")
    p.add_argument("--library", metavar="DIR",
                   help="the library folder (default: $CURATOR_LIBRARY or your user data folder)")
    p.add_argument("--as", dest="as_name", metavar="NAME",
                   help="act as this expert (default: $CURATOR_EXPERT or the last one)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--debug", action="store_true", help="show full details of unexpected errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("experts", help="add, rename, deactivate or list experts", parents=[common])
    exs = ex.add_subparsers(dest="action", required=True, metavar="ACTION")
    exs.add_parser("list", help="list the experts", parents=[common])
    e = exs.add_parser("add", help="add an expert", parents=[common])
    e.add_argument("name")
    e = exs.add_parser("rename", help="rename an expert", parents=[common])
    e.add_argument("name")
    e.add_argument("new_name")
    for action in ("deactivate", "activate"):
        e = exs.add_parser(action, help=f"{action} an expert", parents=[common])
        e.add_argument("name")

    th = sub.add_parser("themes", help="add, edit, staff or list themes", parents=[common])
    ths = th.add_subparsers(dest="action", required=True, metavar="ACTION")
    ths.add_parser("list", help="list the themes", parents=[common])
    t = ths.add_parser("add", help="add a theme", parents=[common])
    t.add_argument("code", help="a short code, such as DA")
    t.add_argument("name", help="the theme's name, such as 'Domestic abuse'")
    t.add_argument("--review-months", type=int, default=None,
                   help="how often its resources are reviewed (default: your setting, 12)")
    t.add_argument("--evidence-years", type=int, default=5,
                   help="research older than this is flagged as old evidence (default 5)")
    t.add_argument("--four-eyes", action="store_true",
                   help="the approver must not be the person who clipped or last edited it")
    t = ths.add_parser("edit", help="change a theme's settings", parents=[common])
    t.add_argument("code")
    t.add_argument("--name")
    t.add_argument("--review-months", type=int)
    t.add_argument("--evidence-years", type=int)
    t.add_argument("--four-eyes", action=argparse.BooleanOptionalAction, default=None)
    for action, text in (("lead", "make an expert a lead of the theme (leads approve and "
                                  "appoint)"),
                         ("deputy", "make an expert a deputy of the theme (deputies approve "
                                    "but do not appoint)"),
                         ("member", "make an expert a member of the theme"),
                         ("remove", "take an expert off the theme")):
        t = ths.add_parser(action, help=text, parents=[common])
        t.add_argument("code")
        t.add_argument("expert")
    for action, text in (("retire", "stop offering a theme for new resources (they keep it)"),
                         ("restart", "offer a retired theme again"),
                         ("history", "what changed on a theme: who, when and what")):
        t = ths.add_parser(action, help=text, parents=[common])
        t.add_argument("code")

    c = sub.add_parser("clip", help="clip a web page into a draft resource", parents=[common])
    c.add_argument("url")
    c.add_argument("--theme", action="append", default=[], help="theme code (repeatable)")
    c.add_argument("--tag", action="append", default=[], help="tag (repeatable)")
    c.add_argument("--note", help="why it matters for practice")
    c.add_argument("--type", help="research, guidance, practice tool, training, video, "
                                  "podcast, event, toolkit or other")
    c.add_argument("--audience", action="append", default=[],
                   help="practitioners, managers, 'children and young people', "
                        "'parents and carers' (repeatable)")
    c.add_argument("--no-fetch", action="store_true", help="keep the link without fetching it")

    ls = sub.add_parser("list", help="list resources", parents=[common])
    ls.add_argument("--theme")
    ls.add_argument("--status", choices=("draft", "submitted", "approved", "retired"))
    ls.add_argument("--expert", help="clipped by this expert")
    ls.add_argument("--tag")
    ls.add_argument("--trash", action="store_true", help="list what is in the trash")
    ls.add_argument("--limit", type=int)

    s = sub.add_parser("show", help="show one resource", parents=[common])
    s.add_argument("id", help="the resource id (the first 8 characters are enough)")
    s.add_argument("--text", action="store_true", help="include the page text")
    s.add_argument("--history", action="store_true", help="include the history of changes")

    ed = sub.add_parser("edit", help="change a resource's description", parents=[common])
    ed.add_argument("id", nargs="+", help="one resource id, or several to add or remove "
                                          "themes and tags or set the type or audience")
    for name in ("title", "summary", "notes", "author", "site", "published", "type"):
        ed.add_argument(f"--{name}")
    ed.add_argument("--review-due", dest="review_due", help="YYYY-MM-DD")
    ed.add_argument("--theme", action="append", help="set the themes (repeatable)")
    ed.add_argument("--add-theme", action="append", default=[])
    ed.add_argument("--remove-theme", action="append", default=[])
    ed.add_argument("--tag", action="append", help="set the tags (repeatable)")
    ed.add_argument("--add-tag", action="append", default=[])
    ed.add_argument("--remove-tag", action="append", default=[])
    ed.add_argument("--audience", action="append", help="set the audience (repeatable)")
    ed.add_argument("--confirm", action="store_true",
                    help="and confirm it is still valid (a review's 'update')")

    d = sub.add_parser("delete", help="move a resource to the trash", parents=[common])
    d.add_argument("id")
    d = sub.add_parser(
        "restore", parents=[common],
        help="bring a resource back from the trash (restore ID), or restore the whole library "
             "from a backup (restore, or restore BACKUP-FILE)")
    d.add_argument("id", nargs="?", metavar="ID-OR-BACKUP",
                   help="a resource id; or a backup file (see: curator backups); nothing for "
                        "the newest good backup")
    sub.add_parser("empty-trash", help="remove what is in the trash for good", parents=[common])

    rf = sub.add_parser("refetch", help="fetch again the pages not fetched yet, or one page",
                        parents=[common])
    rf.add_argument("id", nargs="?")

    for name, text in (("submit", "send a draft for approval"),
                       ("approve", "approve a resource for publishing (theme leads, deputies)")):
        w = sub.add_parser(name, help=text, parents=[common])
        w.add_argument("id", nargs="+", help="one or more resource ids")
        w.add_argument("--override", metavar="REASON",
                       help="approvers only: go ahead despite a personal-data warning, "
                            "saying why")
        w.add_argument("--despite", metavar="REASON",
                       help="go ahead although the page was withdrawn, replaced, broke or "
                            "moved, saying why (kept with its history)")
    for name, text in (("send-back", "send a resource back to its author as a draft"),
                       ("retire", "retire a resource (it leaves future bundles)")):
        w = sub.add_parser(name, help=text, parents=[common])
        w.add_argument("id", nargs="+" if name == "retire" else None)
        w.add_argument("--reason", required=True, help="why (kept in the history)")
    w = sub.add_parser("reinstate", help="bring a retired resource back as a draft",
                       parents=[common])
    w.add_argument("id")

    rv = sub.add_parser("review", help="what needs your attention, and why", parents=[common])
    when = rv.add_mutually_exclusive_group()
    when.add_argument("--due", action="store_true", help="only what is overdue for review")
    when.add_argument("--soon", type=int, metavar="DAYS",
                      help="what is overdue or due within DAYS")
    rv.add_argument("--theme")
    for name, text in (("confirm", "confirm a resource is still valid (moves its review on)"),
                       ("accept-change", "store a changed page's new text, and confirm")):
        a = sub.add_parser(name, help=text, parents=[common])
        a.add_argument("id", nargs="+" if name == "confirm" else None)
        a.add_argument("--note", help="an optional note kept with the review")
    a = sub.add_parser("replace-link", help="give a resource a new address (keeps history)",
                       parents=[common])
    a.add_argument("id")
    a.add_argument("url")
    a.add_argument("--note")
    a = sub.add_parser("diff", help="show how a changed page differs from what was stored",
                       parents=[common])
    a.add_argument("id")
    ck = sub.add_parser("check-links", help="check links and pages for problems",
                        parents=[common])
    ck.add_argument("--theme")
    ck.add_argument("--due-only", action="store_true",
                    help="only resources due for review")

    ex2 = sub.add_parser("export", help="write a bundle of approved resources for the portal",
                         parents=[common])
    ex2.add_argument("--theme", action="append", required=True, help="theme code (repeatable)")
    ex2.add_argument("--to", metavar="DIR", help="folder to write to (default: exports/)")
    ex2.add_argument("--override", metavar="REASON",
                     help="theme leads and deputies only: export despite a personal-data "
                          "warning, saying why")
    ex2.add_argument("--despite", metavar="REASON",
                     help="export although a page was withdrawn, replaced, broke or moved, "
                          "saying why (kept with each resource's history)")
    im = sub.add_parser("import", help="bring in bookmarks, a spreadsheet, references or a "
                                       "list of links", parents=[common])
    im.add_argument("file", help="bookmark export (.html), spreadsheet (.csv, .xlsx), CSL-JSON "
                                 "(.json), RIS (.ris) or list of links (.txt)")
    im.add_argument("--map", action="append", metavar="FIELD=COLUMN,...",
                    help="which column fills which field, e.g. url=Link,title=Name (fields: "
                         "url, title, notes, summary, tags, theme, published, author)")
    im.add_argument("--theme", action="append", default=[],
                    help="give every row this theme (repeatable)")
    im.add_argument("--no-fetch", action="store_true",
                    help="keep the links; fetch the pages later")
    im.add_argument("--yes", "-y", action="store_true", help="do not ask before importing")
    im.add_argument("--leave-out", action="append", metavar="ROWS",
                    help="leave these rows out, as numbered in the preview (e.g. 3,5-7)")
    im.add_argument("--report", metavar="CSV", help="write what happened to every row to a CSV")
    im.add_argument("--per-host", type=int, default=4, metavar="N",
                    help="fetch at most N pages at once from one site (default 4)")
    ib = sub.add_parser("import-bundle", help="check a bundle and merge it into this library",
                        parents=[common])
    ib.add_argument("file")
    sub.add_parser("bundles", help="list the bundles written and imported", parents=[common])
    sub.add_parser("backup", help="make a checked backup of the library now", parents=[common])
    st = sub.add_parser("settings", help="show or change your settings (proxy, certificates, "
                                         "contact, link checks...)", parents=[common])
    st.add_argument("key", nargs="?", help="e.g. proxy, proxy_url, use_system_certificates")
    st.add_argument("value", nargs="?")
    sub.add_parser("backups", help="list the library's backups", parents=[common])


    sr = sub.add_parser("search", help="search the library", parents=[common])
    sr.add_argument("query", nargs="?", default="",
                    help='words, "a phrase", OR, -word, prefix*, theme:DA, tag:, type:, '
                         'status:, expert:, site:, published:>2020, review:<today, '
                         'clipped:2026-01')
    sr.add_argument("--limit", type=int, default=20)
    sr.add_argument("--like", metavar="ID", help="find resources like this one")
    th = sub.add_parser("thesaurus", help="words that mean the same, for search",
                        parents=[common])
    ths2 = th.add_subparsers(dest="action", required=True, metavar="ACTION")
    ths2.add_parser("list", help="list your entries", parents=[common])
    t2 = ths2.add_parser("add", help='add an entry: curator thesaurus add CIN "child in need"',
                         parents=[common])
    t2.add_argument("terms", nargs="+")
    t2 = ths2.add_parser("remove", help="remove an entry by its number", parents=[common])
    t2.add_argument("entry", type=int)
    sub.add_parser("reindex", help="rebuild the search index from the database",
                   parents=[common])

    x = sub.add_parser("extract", help="run the page reader over saved pages (JSONL out)",
                       parents=[common])
    x.add_argument("--manifest", required=True,
                   help="JSONL of {id, file, url}; files relative to it, .gz allowed")
    sub.add_parser("info", help="where the library is and what it holds", parents=[common])
    a = sub.add_parser("app", help="start the desktop app", parents=[common])
    a.add_argument("--demo", action="store_true", help="open a demo library with sample resources")
    a.add_argument("--clip", metavar="URL",
                   help="open the clip box on this link (also: curator URL)")
    a.add_argument("--smoke-test", action="store_true",
                   help="open the library, wait until the window is ready, report and quit "
                        "(checks that an installed copy works)")
    from curator.cli.team import add_parsers as add_team_parsers
    add_team_parsers(sub, common)
    from curator.cli.tidy import add_parsers as add_tidy_parsers
    add_tidy_parsers(sub, common)
    from curator.cli.browser import add_parsers as add_browser_parsers
    add_browser_parsers(sub, common)
    return p
