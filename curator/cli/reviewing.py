"""Commands for review and the publishing workflow: review, confirm, replace a link,
accept a page change, check links, submit, approve, send back, retire."""

from __future__ import annotations

import sys

from curator.cli.output import _out, clean, say


def cmd_workflow(lib, args) -> int:
    action = args.command
    if action == "submit":
        r = lib.submit(args.id, override_reason=args.override, despite=args.despite)
    elif action == "approve":
        r = lib.approve(args.id, override_reason=args.override, despite=args.despite)
    elif action == "send-back":
        r = lib.send_back(args.id, args.reason)
    elif action == "retire":
        r = lib.retire(args.id, args.reason)
    else:
        r = lib.reinstate(args.id)
    _out(args, r.to_dict(), lambda: say(f"{r.title or r.url}: now {r.status}."))
    return 0


def cmd_review(lib, args) -> int:
    items = lib.review_queue(due_only=args.due, soon_days=args.soon, theme=args.theme)

    def human():
        if not items:
            say("Nothing needs your attention.")
        for item in items:
            say(f"{item.resource_id[:8]}  {item.title or item.url}")
            for reason in item.reasons:
                say(f"          - {reason.text}")
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
    _out(args, r.to_dict(), lambda: say(text))
    return 0


def cmd_diff(lib, args) -> int:
    hunks = lib.page_change(args.id)
    if hunks is None:
        _out(args, None, lambda: say("No page change is waiting for this resource."))
        return 0

    def human():
        for hunk in hunks:
            say(f"@@ paragraph {hunk.old_start + 1} @@")
            for ch in hunk.changes:
                if ch.kind == "same":
                    say(f"  {ch.old}")
                elif ch.kind == "removed":
                    say(f"- {ch.old}")
                elif ch.kind == "added":
                    say(f"+ {ch.new}")
                else:
                    say(f"- {ch.old}\n+ {ch.new}")
    from dataclasses import asdict
    _out(args, [asdict(h) for h in hunks], human)
    return 0


def cmd_check_links(lib, args) -> int:
    waiting = [False]

    def progress(done, total, text):
        if args.json:
            return
        now_waiting = text.startswith("Waiting")
        if now_waiting and not waiting[0]:
            # A site asked Curator to slow down: say so once, even when not on a terminal.
            print(("\r" if sys.stderr.isatty() else "") + clean(text), file=sys.stderr)
        waiting[0] = now_waiting
        if sys.stderr.isatty():
            print(f"\rChecked {done} of {total}", end="", file=sys.stderr)
    summary = lib.check_links(theme=args.theme, due_only=args.due_only, progress=progress)

    report = lib.link_check_report(summary.run_id)

    def human():
        if sys.stderr.isatty():
            print(file=sys.stderr)
        say(report.text + (" (carried on from last time)" if summary.resumed else ""))
        for label, ids in report.groups.items():
            if label == "fine":
                continue
            for rid in ids[:20]:
                r = lib.get(rid)
                say(f"  {label}: {rid[:8]}  {clean(r.title or r.url)}")
    _out(args, {**summary.to_dict(), "report": report.to_dict()}, human)
    return 0
