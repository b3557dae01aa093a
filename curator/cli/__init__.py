"""The command line: every library service without a screen.

Exit codes: 0 done, 1 a problem explained in the message, 2 the command was mistyped,
3 no such record, 4 not allowed, 5 the library cannot be used, 70 a bug, 130 interrupted,
141 the program reading the output (``head``) stopped reading.
The commands live in modules by meaning: records, searching, reviewing, publishing and
safety; ``parser`` declares the arguments.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import traceback

from curator.base.errors import Cancelled, CuratorError
from curator.cli.bulk import several
from curator.cli.output import say
from curator.cli.parser import build_parser, link_as_app
from curator.cli.publishing import cmd_bundles, cmd_export, cmd_import_bundle
from curator.cli.records import (
    cmd_clip,
    cmd_delete,
    cmd_edit,
    cmd_empty_trash,
    cmd_experts,
    cmd_extract,
    cmd_import,
    cmd_info,
    cmd_list,
    cmd_refetch,
    cmd_show,
    cmd_themes,
)
from curator.cli.reviewing import (
    cmd_check_links,
    cmd_diff,
    cmd_review,
    cmd_review_action,
    cmd_workflow,
)
from curator.cli.safety import cmd_backup, cmd_backups, cmd_restore, cmd_settings, is_backup
from curator.cli.searching import cmd_reindex, cmd_search, cmd_thesaurus
from curator.cli.team import cmd_team, cmd_verify, cmd_verify_file, standalone
from curator.cli.tidy import cmd_searches, cmd_tags

EXPERT_ENV = "CURATOR_EXPERT"

HANDLERS = {
    "experts": cmd_experts, "themes": cmd_themes, "clip": cmd_clip, "list": cmd_list,
    "show": cmd_show, "edit": cmd_edit, "delete": cmd_delete, "restore": cmd_delete,
    "empty-trash": cmd_empty_trash, "refetch": cmd_refetch, "search": cmd_search,
    "reindex": cmd_reindex, "info": cmd_info, "thesaurus": cmd_thesaurus,
    "import": cmd_import, "export": cmd_export, "import-bundle": cmd_import_bundle,
    "bundles": cmd_bundles,
    "backup": cmd_backup, "backups": cmd_backups,
    "submit": cmd_workflow, "approve": cmd_workflow, "send-back": cmd_workflow,
    "retire": cmd_workflow, "reinstate": cmd_workflow, "review": cmd_review,
    "confirm": cmd_review_action, "accept-change": cmd_review_action,
    "replace-link": cmd_review_action, "diff": cmd_diff, "check-links": cmd_check_links,
}
HANDLERS.update({"team": cmd_team, "verify": cmd_verify})
HANDLERS.update(several(HANDLERS))  # edit, submit, approve, retire, confirm: several ids
HANDLERS.update({"tags": cmd_tags, "searches": cmd_searches})


def main(argv: list[str] | None = None) -> int:
    # A packaged copy starts its helper processes (page reading) through this entry point.
    import multiprocessing
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(link_as_app(list(sys.argv[1:] if argv is None else argv)))
    if not hasattr(args, "json"):
        args.json = False
    if args.command in (None, "app"):
        from curator.ui.app import run_app, smoke_test

        if getattr(args, "smoke_test", False):
            return smoke_test(args.library, demo=args.demo, expert=args.as_name)
        return run_app(args.library, demo=getattr(args, "demo", False), expert=args.as_name,
                       clip=getattr(args, "clip", None))
    try:
        if standalone(args):  # a release checked against a register file alone
            return cmd_verify_file(args)
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "settings":
            return cmd_settings(args)
        if args.command in ("native-host", "browser"):  # issue 20: opens the library itself
            from curator.cli.browser import cmd_browser, cmd_native_host
            return cmd_native_host(args) if args.command == "native-host" else \
                cmd_browser(args)
        if args.command == "restore" and is_backup(args):
            return cmd_restore(args)
        from curator.library import Library

        with Library.open(args.library) as lib:
            acting = args.as_name or os.environ.get(EXPERT_ENV)
            if acting:
                from curator.cli.team import act_as
                act_as(lib, acting)
            code = HANDLERS[args.command](lib, args)
            sys.stdout.flush()  # a reader that went away is noticed here, not at exit
            return code
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Cancelled:
        print("Cancelled.", file=sys.stderr)
        return 130
    except CuratorError as exc:
        return _explained(exc, args)
    except sqlite3.Error as exc:
        # A fault of the machine met outside a write (reading a damaged file, say).
        from curator.storage import faults, paths, store
        folder = paths.resolve_library_dir(args.library)
        if faults.kind_of(exc, folder) is None:
            return _bug()
        return _explained(store.explain_sqlite_error(
            exc, f"finish 'curator {args.command}'", folder), args)
    except Exception:
        return _bug()


def _explained(exc: CuratorError, args) -> int:
    say(f"curator: {exc.message}", file=sys.stderr)
    from curator.library import CautionFound
    if isinstance(exc, CautionFound):
        say('To go ahead anyway, run the same command with --despite "your reason".',
            file=sys.stderr)
    if args.debug and exc.detail:
        say(exc.detail, file=sys.stderr)
    return exc.exit_code


def _reader_gone() -> int:
    """The program reading the output (head, less) has stopped: stop quietly, as the
    usual command-line tools do (exit status 141, that of a closed pipe)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141


def _bug() -> int:
    """Not the person's doing: say so, with the details for a report."""
    print("curator: something went wrong that Curator did not expect. This is a bug; "
          "please report it with the details below.", file=sys.stderr)
    traceback.print_exc()
    return 70


__all__ = ["build_parser", "main"]
