"""The command line: every library service without a screen.

Exit codes: 0 done, 1 a problem explained in the message, 2 the command was mistyped,
3 no such record, 4 not allowed, 5 the library cannot be used, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from curator import __version__
from curator.errors import Cancelled, CuratorError

EXPERT_ENV = "CURATOR_EXPERT"


def _out(args, data, human) -> None:
    """Print *data* as JSON with --json, else call *human* to print it for people."""
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        human()


def _res_line(r) -> str:
    title = r.title or f"(not fetched yet) {r.url}"
    themes = ",".join(r.themes) or "-"
    return f"{r.id[:8]}  {r.status:<9} {themes:<10} {title}"


def _show_resource(lib, r, with_text: bool) -> None:
    rows = [
        ("Id", r.id), ("Title", r.title or "(not fetched yet)"), ("Link", r.url),
        ("Site", r.site), ("Author", r.author), ("Published", r.published or ""),
        ("Summary", r.summary), ("Why it matters", r.notes), ("Themes", ", ".join(r.themes)),
        ("Tags", ", ".join(r.tags)), ("Type", r.type), ("Audience", ", ".join(r.audience)),
        ("Status", r.status + (" (in the trash)" if r.in_trash else "")),
        ("Clipped", f"{r.clipped_at} by {r.clipped_by}"),
        ("Review due", r.review_due or ""),
        ("Fetched", {"ok": f"yes, {r.fetched_at}", "pending": "not fetched yet",
                     "failed": "no"}[r.fetch_state]
         + (f" (last try: {r.fetch_error})" if r.fetch_error else "")),
    ]
    for label, value in rows:
        if value:
            print(f"{label + ':':<16}{value}")
    if with_text:
        print()
        print(lib.text(r.id))


# -- command handlers -------------------------------------------------------------------
def cmd_experts(lib, args) -> int:
    if args.action == "list":
        people = lib.experts()
        _out(args, [{"id": e.id, "name": e.name, "active": e.active} for e in people],
             lambda: [print(f"{e.name}{'' if e.active else '  (inactive)'}") for e in people])
        return 0
    if args.action == "add":
        e = lib.add_expert(args.name)
    elif args.action == "rename":
        e = lib.rename_expert(args.name, args.new_name)
    else:
        e = lib.set_expert_active(args.name, args.action == "activate")
    _out(args, {"id": e.id, "name": e.name, "active": e.active},
         lambda: print(f"{e.name}: {'active' if e.active else 'inactive'}"))
    return 0


def _theme_dict(t) -> dict:
    return {"code": t.code, "name": t.name, "review_months": t.review_months,
            "evidence_years": t.evidence_years, "four_eyes": t.four_eyes, "active": t.active,
            "leads": t.leads, "members": t.members}


def cmd_themes(lib, args) -> int:
    if args.action == "list":
        ts = lib.themes()

        def human():
            for t in ts:
                extra = f"  leads: {', '.join(t.leads)}" if t.leads else ""
                print(f"{t.code:<6} {t.name:<32} review every {t.review_months} months{extra}")
        _out(args, [_theme_dict(t) for t in ts], human)
        return 0
    if args.action == "add":
        t = lib.add_theme(args.code, args.name, review_months=args.review_months,
                          evidence_years=args.evidence_years, four_eyes=args.four_eyes)
    elif args.action == "edit":
        changes = {k: v for k, v in {
            "name": args.name, "review_months": args.review_months,
            "evidence_years": args.evidence_years, "four_eyes": args.four_eyes,
        }.items() if v is not None}
        if not changes:
            raise CuratorError("Say what to change, for example --review-months 6.")
        t = lib.edit_theme(args.code, **changes)
    else:
        role = {"lead": "lead", "member": "member", "remove": None}[args.action]
        t = lib.set_theme_role(args.code, args.expert, role)
    _out(args, _theme_dict(t), lambda: print(
        f"{t.code} {t.name}: review every {t.review_months} months; leads: "
        f"{', '.join(t.leads) or 'none'}; members: {', '.join(t.members) or 'none'}"))
    return 0


def cmd_clip(lib, args) -> int:
    result = lib.clip(args.url, themes_=args.theme, tags=args.tag, note=args.note or "",
                      type_=args.type, audience=args.audience, fetch=not args.no_fetch)
    r = result.resource
    for w in result.warnings:
        print(f"Warning: {w}", file=sys.stderr)
    if result.duplicate:
        print(f"Already in the library: {r.title or r.url}", file=sys.stderr)
    elif result.fetch_error:
        print(f"Kept the link, but could not fetch the page: {result.fetch_error}\n"
              "It is marked 'not fetched yet'; run 'curator refetch' to try again.",
              file=sys.stderr)
    _out(args, {"id": r.id, "duplicate": result.duplicate, "fetched": result.fetched,
                "fetch_error": result.fetch_error, "warnings": result.warnings,
                "resource": r.to_dict()},
         lambda: print(r.id))
    return 0


def cmd_list(lib, args) -> int:
    items = lib.list(theme=args.theme, status=args.status, expert=args.expert, tag=args.tag,
                     trash=args.trash, limit=args.limit)

    def human():
        if not items:
            print("No resources match.")
        for r in items:
            print(_res_line(r))
    _out(args, [r.to_dict() for r in items], human)
    return 0


def cmd_show(lib, args) -> int:
    r = lib.get(args.id)
    data = r.to_dict()
    if args.text:
        data["text"] = lib.text(r.id)
    if args.history:
        data["history"] = lib.history(r.id)

    def human():
        _show_resource(lib, r, args.text)
        if args.history:
            print("\nHistory:")
            for ev in data["history"]:
                print(f"  {ev['at']}  {ev['expert'] or '-':<16} {ev['action']}")
    _out(args, data, human)
    return 0


def cmd_edit(lib, args) -> int:
    current = lib.get(args.id)
    changes: dict = {}
    for key in ("title", "summary", "notes", "author", "site", "published", "type",
                "review_due"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    if args.theme is not None or args.add_theme or args.remove_theme:
        codes = list(args.theme if args.theme is not None else current.themes)
        codes += args.add_theme
        remove = {c.upper() for c in args.remove_theme}
        changes["themes"] = [c for c in codes if c.upper() not in remove]
    if args.tag is not None or args.add_tag or args.remove_tag:
        tags = list(args.tag if args.tag is not None else current.tags) + args.add_tag
        remove = {t.casefold() for t in args.remove_tag}
        changes["tags"] = [t for t in tags if t.casefold() not in remove]
    if args.audience is not None:
        changes["audience"] = args.audience
    if not changes and not args.confirm:
        raise CuratorError("Say what to change, for example --title \"New title\". "
                           "See: curator edit --help")
    if args.confirm:
        r = lib.update_and_confirm(current.id, changes, expected_version=current.version)
    else:
        r = lib.edit(current.id, changes, expected_version=current.version)
    _out(args, r.to_dict(), lambda: _show_resource(lib, r, False))
    return 0


def cmd_delete(lib, args) -> int:
    r = lib.delete(args.id) if args.command == "delete" else lib.restore(args.id)
    word = "Moved to the trash" if r.in_trash else "Restored"
    _out(args, r.to_dict(), lambda: print(f"{word}: {r.title or r.url}"))
    return 0


def cmd_empty_trash(lib, args) -> int:
    n = lib.empty_trash()
    _out(args, {"removed": n}, lambda: print(f"Removed {n} resource(s) from the trash for good."))
    return 0


def cmd_refetch(lib, args) -> int:
    if args.id:
        results = [lib.refetch(args.id)]
    else:
        results = lib.refetch_pending(progress=lambda n, total, rid: print(
            f"[{n + 1}/{total}] {rid[:8]}", file=sys.stderr))
    failed = [r for r in results if not r.ok]
    _out(args, [r.__dict__ for r in results], lambda: (
        [print(f"{r.resource_id[:8]}  {'ok' if r.ok else 'failed'}  {r.message}")
         for r in results],
        print(f"{len(results) - len(failed)} fetched, {len(failed)} failed.")
        if len(results) != 1 else None))
    return 1 if failed else 0


def cmd_workflow(lib, args) -> int:
    action = args.command
    if action == "submit":
        r = lib.submit(args.id, override_reason=args.override)
    elif action == "approve":
        r = lib.approve(args.id, override_reason=args.override)
    elif action == "send-back":
        r = lib.send_back(args.id, args.reason)
    elif action == "retire":
        r = lib.retire(args.id, args.reason)
    else:
        r = lib.reinstate(args.id)
    _out(args, r.to_dict(), lambda: print(f"{r.title or r.url}: now {r.status}."))
    return 0


def cmd_review(lib, args) -> int:
    items = lib.review_queue(due_only=args.due, soon_days=args.soon, theme=args.theme)

    def human():
        if not items:
            print("Nothing needs your attention.")
        for item in items:
            print(f"{item.resource_id[:8]}  {item.title or item.url}")
            for reason in item.reasons:
                print(f"          - {reason.text}")
    _out(args, [i.to_dict() for i in items], human)
    return 0


def cmd_review_action(lib, args) -> int:
    if args.command == "confirm":
        r = lib.confirm(args.id, args.note or "")
        text = f"Confirmed; next review due {r.review_due}."
    elif args.command == "accept-change":
        r = lib.accept_change(args.id, args.note or "")
        text = f"The page's new text is stored; next review due {r.review_due}."
    else:
        r = lib.replace_link(args.id, args.url, args.note or "")
        text = f"The link is now {r.url}; the old one is kept in the history."
    _out(args, r.to_dict(), lambda: print(text))
    return 0


def cmd_diff(lib, args) -> int:
    hunks = lib.page_change(args.id)
    if hunks is None:
        _out(args, None, lambda: print("No page change is waiting for this resource."))
        return 0

    def human():
        for hunk in hunks:
            print(f"@@ paragraph {hunk.old_start + 1} @@")
            for ch in hunk.changes:
                if ch.kind == "same":
                    print(f"  {ch.old}")
                elif ch.kind == "removed":
                    print(f"- {ch.old}")
                elif ch.kind == "added":
                    print(f"+ {ch.new}")
                else:
                    print(f"- {ch.old}\n+ {ch.new}")
    from dataclasses import asdict
    _out(args, [asdict(h) for h in hunks], human)
    return 0


def cmd_check_links(lib, args) -> int:
    def progress(done, total, _text):
        if sys.stderr.isatty() and not args.json:
            print(f"\rChecked {done} of {total}", end="", file=sys.stderr)
    summary = lib.check_links(theme=args.theme, due_only=args.due_only, progress=progress)

    def human():
        print(f"\nChecked {summary.checked} link(s)" + (" (carried on from last time)"
                                                        if summary.resumed else "") + ".")
        from curator.linkhealth import HEALTH_LABELS
        for health, n in sorted(summary.health.items()):
            print(f"  {HEALTH_LABELS.get(health, health)}: {n}")
    _out(args, summary.to_dict(), human)
    return 0


def cmd_export(lib, args) -> int:
    info = lib.export_bundle(args.theme, to=args.to, override_reason=args.override)
    _out(args, {"path": str(info.path), "id": info.id, "counts": info.counts,
                "previous": info.previous_id},
         lambda: print(info.path))
    return 0


def cmd_import_bundle(lib, args) -> int:
    report = lib.import_bundle(args.file)

    def human():
        print(f"Added {len(report.added)}, updated {len(report.updated)}, "
              f"{report.unchanged} already up to date, {len(report.conflicts)} in conflict.")
        for title, why in report.conflicts:
            print(f"  Conflict: {title} ({why})")
        for title, why in report.rejected:
            print(f"  Not imported: {title} ({why})")
        if report.removed_upstream:
            print(f"  {len(report.removed_upstream)} resource(s) were removed from the "
                  "bundle's themes since its last bundle; they are kept here.")
    _out(args, report.to_dict(), human)
    return 0


def cmd_bundles(lib, args) -> int:
    items = lib.bundles()
    _out(args, items, lambda: [print(f"{b['created_at'][:16]}  {b['kind']:<6} "
                                     f"{','.join(t['code'] for t in b['themes']):<10} "
                                     f"{b['path']}") for b in items])
    return 0


def cmd_backup(lib, args) -> int:
    path = lib.backup("manual")
    _out(args, {"path": str(path)}, lambda: print(path))
    return 0


def cmd_backups(lib, args) -> int:
    items = lib.list_backups()
    _out(args, [{"path": str(b.path), "taken": b.taken.isoformat(), "reason": b.reason,
                 "size": b.size} for b in items],
         lambda: [print(f"{b.taken.astimezone():%Y-%m-%d %H:%M}  {b.reason:<15} {b.path}")
                  for b in items] or (None if items else print("No backups yet.")))
    return 0


def _is_backup(args) -> bool:
    """``restore`` with nothing, or with a backup file, restores the library."""
    from curator import paths
    if not args.id:
        return True
    name = Path(args.id)
    folder = paths.resolve_library_dir(args.library)
    return name.suffix == ".db" or name.exists() or (folder / "backups" / name).exists()


def cmd_restore(args) -> int:
    from curator import paths, recovery
    folder = paths.resolve_library_dir(args.library)
    chosen = None
    if args.id:
        chosen = Path(args.id)
        if not chosen.exists():
            chosen = folder / "backups" / args.id
    used, kept = recovery.restore(folder, chosen)
    data = {"restored_from": str(used), "previous_kept_as": str(kept) if kept else None}

    def human():
        print(f"Restored the library from {used.name}.")
        if kept:
            print(f"The database it replaced is kept as {kept}.")
        print("The search index will be rebuilt the next time the library opens.")
    _out(args, data, human)
    return 0


def cmd_settings(args) -> int:
    from dataclasses import asdict

    from curator import preferences
    prefs = preferences.load()
    if args.key:
        if args.value is None:
            raise CuratorError("Give a value too, for example: curator settings proxy none")
        prefs.set(args.key, args.value)
        preferences.save(prefs)
    data = asdict(prefs)
    _out(args, data, lambda: [print(f"{k:24s} {v}") for k, v in data.items()])
    return 0


def cmd_import(lib, args) -> int:
    from curator.importing import cli_import
    return cli_import(lib, args)


def cmd_extract(args) -> int:
    from curator.extract.manifest import run_manifest

    failures = run_manifest(Path(args.manifest), sys.stdout)
    if failures:
        print(f"{failures} page(s) could not be read; see their 'error' fields.",
              file=sys.stderr)
    return 0


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


def cmd_info(lib, args) -> int:
    data = {"version": __version__, "library": str(lib.folder),
            "database": str(lib.store.path), "resources": lib.store.query_one(
                "SELECT count(*) FROM resources")[0], "last_expert": lib.setting("last_expert")}
    _out(args, data, lambda: [print(f"{k}: {v}") for k, v in data.items()])
    return 0


# -- parser --------------------------------------------------------------------------------
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
    for action, text in (("lead", "make an expert a lead of the theme"),
                         ("member", "make an expert a member of the theme"),
                         ("remove", "take an expert off the theme")):
        t = ths.add_parser(action, help=text, parents=[common])
        t.add_argument("code")
        t.add_argument("expert")

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
    ed.add_argument("id")
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
                       ("approve", "approve a resource for publishing (theme leads)")):
        w = sub.add_parser(name, help=text, parents=[common])
        w.add_argument("id")
        w.add_argument("--override", metavar="REASON",
                       help="approvers only: go ahead despite a personal-data warning, "
                            "saying why")
    for name, text in (("send-back", "send a resource back to its author as a draft"),
                       ("retire", "retire a resource (it leaves future bundles)")):
        w = sub.add_parser(name, help=text, parents=[common])
        w.add_argument("id")
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
        a.add_argument("id")
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
                     help="theme leads only: export despite a personal-data warning, saying why")
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
    return p


HANDLERS = {
    "experts": cmd_experts, "themes": cmd_themes, "clip": cmd_clip, "list": cmd_list,
    "show": cmd_show, "edit": cmd_edit, "delete": cmd_delete, "restore": cmd_delete,
    "empty-trash": cmd_empty_trash, "refetch": cmd_refetch, "search": cmd_search,
    "reindex": cmd_reindex, "info": cmd_info, "thesaurus": cmd_thesaurus,
    "import": cmd_import, "export": cmd_export, "import-bundle": cmd_import_bundle, "bundles": cmd_bundles,
    "backup": cmd_backup, "backups": cmd_backups,
    "submit": cmd_workflow, "approve": cmd_workflow, "send-back": cmd_workflow,
    "retire": cmd_workflow, "reinstate": cmd_workflow, "review": cmd_review,
    "confirm": cmd_review_action, "accept-change": cmd_review_action,
    "replace-link": cmd_review_action, "diff": cmd_diff, "check-links": cmd_check_links,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "json"):
        args.json = False
    if args.command in (None, "app"):
        from curator.ui.app import run_app

        return run_app(args.library, demo=getattr(args, "demo", False), expert=args.as_name)
    try:
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "settings":
            return cmd_settings(args)
        if args.command == "restore" and _is_backup(args):
            return cmd_restore(args)
        from curator.library import Library

        with Library.open(args.library) as lib:
            acting = args.as_name or os.environ.get(EXPERT_ENV)
            if acting:
                lib.act_as(acting)
            return HANDLERS[args.command](lib, args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Cancelled:
        print("Cancelled.", file=sys.stderr)
        return 130
    except CuratorError as exc:
        print(f"curator: {exc.message}", file=sys.stderr)
        if args.debug and exc.detail:
            print(exc.detail, file=sys.stderr)
        return exc.exit_code
    except Exception:
        print("curator: something went wrong that Curator did not expect. This is a bug; "
              "please report it with the details below.", file=sys.stderr)
        traceback.print_exc()
        return 70


if __name__ == "__main__":
    raise SystemExit(main())
