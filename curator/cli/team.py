"""Commands for the team folder: set it, join, sync, see what waits, releases.

``curator team set|join|admit|lead|deputy|key|sign|trust-keeper|register|adopt|sync|status|``
``awaiting|release|verify``
and ``curator verify BUNDLE``. The arguments are declared here too
(:func:`add_parsers`, called by :mod:`curator.cli.parser`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from curator.base.errors import CuratorError
from curator.base.words import plural, verb
from curator.cli.output import _out, say

#: Where a script gives a shared library's person their passphrase (else it is asked).
PASSPHRASE_ENV = "CURATOR_PASSPHRASE"


def _passphrase(prompt: str, twice: bool = False) -> str:
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise CuratorError(f"This needs a passphrase: run it in a terminal to be asked, or "
                           f"set {PASSPHRASE_ENV}.")
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("The same passphrase again: ") != first:
        raise CuratorError("The two passphrases differ; nothing was made. Try again.")
    return first


def act_as(lib, name: str) -> None:
    """--as NAME: as before, except in a library the register marks as shared, where
    someone other than its owner works with their own key and its passphrase."""
    if lib.switch_needs_passphrase(name):
        lib.switch_expert(name, _passphrase(f"Passphrase for {name}'s key: "))
    else:
        lib.act_as(name)
        lib.sign_as_owner()


def shown(moment: str) -> str:
    from curator.library.team import local_time
    return local_time(moment)


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    tm = sub.add_parser("team", help="the team folder: send for approval, decisions, "
                                     "releases between laptops", parents=[common])
    ts = tm.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = ts.add_parser("set", help="use this team folder (a shared drive or synced folder)",
                      parents=[common])
    t.add_argument("folder")
    t = ts.add_parser("join", help="write a request to join, with your public key",
                      parents=[common])
    t.add_argument("--name", help="your name as the team knows it (default: who is acting)")
    t.add_argument("--to", metavar="FILE", help="write the request here (to email it) "
                                                "instead of into the team folder")
    t = ts.add_parser("admit", help="register keeper: add the person of a join request",
                      parents=[common])
    t.add_argument("request", help="the join request file")
    t.add_argument("--shared", action="store_true",
                   help="this library is used by several people (a duty desk's laptop): "
                        "each works in it with their own key and passphrase")
    t = ts.add_parser("key", help="in a shared library: make a person their own key, locked "
                                  "with a passphrase, and write their join request",
                      parents=[common])
    t.add_argument("name")
    t.add_argument("--to", metavar="FILE", help="write the request here (to email it) "
                                                "instead of into the team folder")
    for role, text in (("lead", "register keeper: name a lead of a theme"),
                       ("deputy", "register keeper: name a deputy of a theme (deputies "
                                  "approve; leads also appoint)")):
        t = ts.add_parser(role, help=text, parents=[common])
        t.add_argument("theme")
        t.add_argument("name")
    ts.add_parser("sign", help="register keeper: sign team.json as it is (after editing it "
                               "by hand)", parents=[common])
    ts.add_parser("trust-keeper", help="trust the register's new keeper (check with them "
                                       "in person first)", parents=[common])
    ts.add_parser("register", help="show the team register and how this library differs",
                  parents=[common])
    ts.add_parser("adopt", help="make this library's experts and themes agree with the "
                                "register", parents=[common])
    ts.add_parser("sync", help="send what waits and take in what is new", parents=[common])
    ts.add_parser("status", help="what waits to go out, and what waits for you",
                  parents=[common])
    ts.add_parser("awaiting", help="submissions from others awaiting your approval",
                  parents=[common])
    t = ts.add_parser("release", help="export a bundle for the portal and sign it",
                      parents=[common])
    t.add_argument("--theme", action="append", required=True, help="theme code (repeatable)")
    t.add_argument("--to", metavar="DIR", help="folder to write to (default: exports/)")
    t.add_argument("--override", metavar="REASON",
                   help="theme leads only: export despite a personal-data warning, saying why")
    for parent, name in ((ts, "verify"), (sub, "verify")):
        v = parent.add_parser(name, help="check a signed release: unchanged, and every "
                                         "resource approved by a lead in the register",
                              parents=[common])
        v.add_argument("bundle")
        v.add_argument("--register", metavar="TEAM.JSON",
                       help="the team register to check against (default: the team folder's)")


def standalone(args) -> bool:
    """Whether the command runs without a library (verify with a register file)."""
    verifying = args.command == "verify" or (args.command == "team"
                                             and getattr(args, "action", "") == "verify")
    return verifying and bool(getattr(args, "register", None))


def cmd_verify_file(args) -> int:
    from curator.library.team import verify_release
    return _verdict(args, verify_release(args.bundle, args.register))


def _verdict(args, verdict) -> int:
    def human():
        if verdict.ok:
            say(f"Good: {verdict.bundle} is as {verdict.signed_by} signed it on "
                f"{shown(verdict.signed_at)}, and "
                + ("the one resource in it was" if verdict.checked == 1 else
                   f"all {plural(verdict.checked, 'resource')} in it were")
                + " approved by a lead in the team register.")
        else:
            say(f"Do not publish {verdict.bundle}:")
            for problem in verdict.problems:
                say(f"  - {problem}")
    _out(args, verdict.to_dict(), human)
    return 0 if verdict.ok else 1


def cmd_team(lib, args) -> int:
    action = args.action
    if action == "set":
        folder = lib.set_team_folder(args.folder)
        _out(args, {"folder": str(folder)}, lambda: say(f"Team folder: {folder}"))
    elif action == "join":
        path, key_id = lib.team_join(args.name, args.to)
        _out(args, {"request": str(path), "key": key_id}, lambda: say(
            f"Your request to join is in {path} (key {key_id}). Ask the person who keeps the "
            "team register to admit you; then run: curator team sync"))
    elif action == "admit":
        person = lib.team_admit(args.request, shared=args.shared)
        _out(args, {"name": person.name, "key": person.key}, lambda: say(
            f"{person.name} is now in the team register. Check with them, by phone or in "
            "person, that this is their request."))
    elif action == "key":
        name = " ".join(args.name.split())
        path, key_id = lib.team_make_key(
            name, _passphrase(f"Choose a passphrase for {name}'s key: ", twice=True), args.to)
        _out(args, {"request": str(path), "key": key_id}, lambda: say(
            f"{name}'s key is made, locked with their passphrase, and their request to join "
            f"is in {path} (key {key_id}). Once the register's keeper admits it, {name} "
            f"works here with: curator --as \"{name}\" ... (or File > Switch expert)."))
    elif action in ("lead", "deputy"):
        theme = lib.team_set_lead(args.theme, args.name, role=action)
        deputies = f"; deputies: {', '.join(theme.deputies)}" if theme.deputies else ""
        _out(args, {"theme": theme.code, "leads": theme.leads, "deputies": theme.deputies},
             lambda: say(f"Leads of {theme.code} in the team register: "
                         f"{', '.join(theme.leads) or 'none'}{deputies}."))
    elif action in ("sign", "trust-keeper"):
        reg = lib.team_sign_register() if action == "sign" else lib.team_trust_keeper()
        _out(args, {"keeper": reg.keeper}, lambda: say(
            f"The team register is signed by {reg.keeper_words()}"
            + (", whom this library now trusts as its keeper." if action == "trust-keeper"
               else ".")))
    elif action in ("register", "adopt"):
        return _register(lib, args)
    elif action == "sync":
        report = lib.team_sync()
        _out(args, report.to_dict(), lambda: [say(line) for line in report.lines()])
        return 1 if report.refused else 0
    elif action == "status":
        _status(lib, args)
    elif action == "awaiting":
        items = lib.team_awaiting()
        _out(args, items, lambda: _awaiting(items))
    elif action == "release":
        info, sig = lib.team_release(args.theme, to=args.to, override_reason=args.override)
        _out(args, {"path": str(info.path), "signature": str(sig), "id": info.id},
             lambda: say(f"{info.path}\n{sig}"))
    elif action == "verify":
        return _verdict(args, lib.team_verify(args.bundle))
    return 0


def cmd_verify(lib, args) -> int:
    return _verdict(args, lib.team_verify(args.bundle))


def _register(lib, args) -> None:
    if args.action == "adopt":
        done = lib.team_adopt()
        _out(args, done, lambda: [say(line) for line in done] if done else
             say("This library already agrees with the team register."))
        return 0
    reg = lib.team_register()
    diffs = lib.team_differences()

    def human():
        say(f"Team register{': ' + reg.service if reg.service else ''}")
        for t in sorted(reg.themes.values(), key=lambda t: t.code):
            deputies = f"; deputies {', '.join(t.deputies)}" if t.deputies else ""
            say(f"  {t.code:<6} {t.name}: leads {', '.join(t.leads) or 'none'}{deputies}"
                f"{'; four eyes' if t.four_eyes else ''}")
        say(f"  {plural(len(reg.people), 'expert')} with keys. Kept by "
            f"{reg.keeper_words()}.")
        if diffs:
            say("This library differs (curator team adopt makes it agree):")
            for line in diffs:
                say(f"  - {line}")
        else:
            say("This library agrees with the register.")
    _out(args, {"service": reg.service, "keeper": reg.keeper,
                "experts": [p.name for p in reg.people],
                "themes": sorted(reg.themes), "differences": diffs}, human)
    return 0


def _status(lib, args) -> None:
    st = lib.team_status()

    def human():
        if not st["folder"]:
            say("No team folder yet: curator team set FOLDER")
            return
        say(f"Team folder: {st['folder']}"
            f"{'' if st['reachable'] else ' (cannot be reached right now)'}")
        if st["me"]:
            say(f"You are {st['me']} in the team register (key {st['key']}).")
        if st["note"]:
            say(st["note"])
        waiting = len(st["waiting"]) + st["pending_submissions"]
        say(f"{plural(waiting, 'file')} {verb(waiting, 'waits', 'wait')} to go out."
            if waiting else "Nothing waits to go out.")
        _awaiting(st["awaiting_approval"])
        for s in st["sent"][:20]:
            if s["outcome"] == "approved":
                state = f"approved by {s['decided_by']} on {shown(s['decided_at'])}"
            elif s["outcome"]:
                state = f"sent back by {s['decided_by']}: {s['reason']}"
            else:
                state = "awaiting a decision"
            say(f"  sent {shown(s['sent_at'])}  {s['title']}: {state}")
    _out(args, st, human)


def _awaiting(items) -> None:
    if not items:
        say("Nothing from others awaits your approval.")
        return
    say("Awaiting your approval:")
    for i in items:
        say(f"  {i['resource_id'][:8]}  {i['title'] or i['url']}  (from {i['sender_name']}, "
            f"sent {shown(i['sent_at'])})")
