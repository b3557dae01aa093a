"""Commands for experts, themes and resources: clip, list, show, edit, trash, refetch,
import, extract, info."""

from __future__ import annotations

import sys
from pathlib import Path

from curator import __version__
from curator.base.errors import CuratorError
from curator.base.words import plural
from curator.cli.output import _out, _res_line, _show_resource, say


def cmd_experts(lib, args) -> int:
    if args.action == "list":
        people = lib.experts()
        _out(args, [{"id": e.id, "name": e.name, "active": e.active} for e in people],
             lambda: [say(f"{e.name}{'' if e.active else '  (inactive)'}") for e in people])
        return 0
    if args.action == "add":
        e = lib.add_expert(args.name)
    elif args.action == "rename":
        e = lib.rename_expert(args.name, args.new_name)
    else:
        e = lib.set_expert_active(args.name, args.action == "activate")
    _out(args, {"id": e.id, "name": e.name, "active": e.active},
         lambda: say(f"{e.name}: {'active' if e.active else 'inactive'}"))
    return 0


def _theme_dict(t) -> dict:
    return {"code": t.code, "name": t.name, "review_months": t.review_months,
            "evidence_years": t.evidence_years, "four_eyes": t.four_eyes, "active": t.active,
            "leads": t.leads, "deputies": t.deputies, "members": t.members}


def cmd_themes(lib, args) -> int:
    if args.action == "list":
        ts = lib.themes()

        def human():
            for t in ts:
                extra = f"  leads: {', '.join(t.leads)}" if t.leads else ""
                extra += f"  deputies: {', '.join(t.deputies)}" if t.deputies else ""
                extra += "" if t.active else "  (retired)"
                say(f"{t.code:<6} {t.name:<32} review every {t.review_months} months{extra}")
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
    elif args.action in ("retire", "restart"):
        t = lib.retire_theme(args.code, active=args.action == "restart")
    elif args.action == "history":
        changes = lib.theme_history(args.code)
        _out(args, changes, lambda: [say(f"{c['at']}  {c['words']}") for c in changes])
        return 0
    else:
        role = {"lead": "lead", "deputy": "deputy", "member": "member",
                "remove": None}[args.action]
        t = lib.set_theme_role(args.code, args.expert, role)
    _out(args, _theme_dict(t), lambda: say(
        f"{t.code} {t.name}: review every {t.review_months} months; leads: "
        f"{', '.join(t.leads) or 'none'}; deputies: {', '.join(t.deputies) or 'none'}; "
        f"members: {', '.join(t.members) or 'none'}"))
    return 0


def cmd_clip(lib, args) -> int:
    result = lib.clip(args.url, themes_=args.theme, tags=args.tag, note=args.note or "",
                      type_=args.type, audience=args.audience, fetch=not args.no_fetch)
    r = result.resource
    for w in result.warnings:
        say(f"Warning: {w}", file=sys.stderr)
    if result.duplicate:
        say(f"Already in the library: {r.title or r.url}", file=sys.stderr)
    elif result.fetch_error:
        say(f"Kept the link, but could not fetch the page: {result.fetch_error}\n"
              "It is marked 'not fetched yet'; run 'curator refetch' to try again.",
              file=sys.stderr)
    _out(args, {"id": r.id, "duplicate": result.duplicate, "fetched": result.fetched,
                "fetch_error": result.fetch_error, "warnings": result.warnings,
                "resource": r.to_dict()},
         lambda: say(r.id))
    return 0


def cmd_list(lib, args) -> int:
    items = lib.list(theme=args.theme, status=args.status, expert=args.expert, tag=args.tag,
                     trash=args.trash, limit=args.limit)

    def human():
        if not items:
            say("No resources match.")
        for r in items:
            say(_res_line(r))
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
            say("\nHistory:")
            for ev in data["history"]:
                say(f"  {ev['at']}  {ev['expert'] or '-':<16} {ev['action']}")
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
    _out(args, r.to_dict(), lambda: say(f"{word}: {r.title or r.url}"))
    return 0


def cmd_empty_trash(lib, args) -> int:
    n = lib.empty_trash()
    _out(args, {"removed": n},
         lambda: say(f"Removed {plural(n, 'resource')} from the trash for good."))
    return 0


def cmd_refetch(lib, args) -> int:
    if args.id:
        results = [lib.refetch(args.id)]
    else:
        results = lib.refetch_pending(progress=lambda n, total, rid: say(
            f"[{n + 1}/{total}] {rid[:8]}", file=sys.stderr))
    failed = [r for r in results if not r.ok]
    _out(args, [r.__dict__ for r in results], lambda: (
        [say(f"{r.resource_id[:8]}  {'ok' if r.ok else 'failed'}  {r.message}")
         for r in results],
        say(f"{len(results) - len(failed)} fetched, {len(failed)} failed.")
        if len(results) != 1 else None))
    return 1 if failed else 0


def cmd_import(lib, args) -> int:
    from curator.cli.importing import cli_import
    return cli_import(lib, args)


def cmd_extract(args) -> int:
    from curator.clipping.extract.manifest import run_manifest

    failures = run_manifest(Path(args.manifest), sys.stdout)
    if failures:
        say(f"{plural(failures, 'page')} could not be read; see their 'error' fields.",
              file=sys.stderr)
    return 0


def cmd_info(lib, args) -> int:
    data = {"version": __version__, "library": str(lib.folder),
            "database": str(lib.store.path), "resources": lib.store.query_one(
                "SELECT count(*) FROM resources")[0], "last_expert": lib.setting("last_expert")}
    _out(args, data, lambda: [say(f"{k}: {v}") for k, v in data.items()])
    return 0
