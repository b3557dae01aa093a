"""``curator native-host`` (started by the browser) and ``curator browser install``.

The native host reads framed JSON messages on its standard input and answers each on its
standard output (curator/browser/protocol.py). A clip goes to the running Curator window
when there is one (through the single-instance socket, so the window saves it on its own
writer and shows it at once), and otherwise straight into the library through the core.
Nothing but framed messages is ever written to standard output.
"""

from __future__ import annotations

import os
import sys
import traceback

from curator import __version__
from curator.base.errors import CuratorError, StorageError
from curator.browser import protocol
from curator.browser.protocol import ProtocolError, Request

EXPERT_ENV = "CURATOR_EXPERT"


def cmd_native_host(args) -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the messages
    while True:
        try:
            raw = protocol.read_frame(stdin)
        except ProtocolError as exc:
            protocol.write_frame(stdout, exc.reply())
            continue
        if raw is None:  # the browser closed the pipe: done
            return 0
        protocol.write_frame(stdout, answer(raw, args))


def answer(raw: bytes, args) -> dict:
    """The reply to one message; never raises."""
    request_id = None
    try:
        request = protocol.parse(raw)
        request_id = request.id
        reply = _serve(request, args)
    except ProtocolError as exc:
        return exc.reply()
    except StorageError as exc:
        reply = protocol.error_reply("locked", exc.message + " Nothing was saved.")
    except CuratorError as exc:
        code = "no_library" if exc.exit_code == 5 else "refused"
        reply = protocol.error_reply(code, exc.message)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        reply = protocol.error_reply("bug", "Something went wrong that Curator did not "
                                     "expect; nothing was saved. Clip the page again, or "
                                     "copy its address into Curator.")
    if request_id is not None:
        reply["id"] = request_id
    return reply


def _serve(request: Request, args) -> dict:
    if request.type == "ping":
        return {"ok": True, "version": __version__, "window": _window_running()}
    if request.type == "clip" and _to_window(request):
        name = request.clip.title or request.clip.url
        return {"ok": True, "to": "window",
                "message": f"Sent to Curator: it is saving “{name}” in its window now."}
    from curator.library import Library

    with Library.open(args.library, create=False) as lib:
        acting = getattr(args, "as_name", None) or os.environ.get(EXPERT_ENV)
        if acting:
            lib.act_as(acting)
        if request.type == "themes":
            return lib.browser_panel_choices()
        answer = lib.clip_from_browser(request.clip)
    from curator.browser import inbox
    inbox.note_arrival(answer)  # the next start says which page arrived
    return answer


def _window_running() -> bool:
    try:
        from curator.ui import browser_clips
    except ImportError:  # no Qt here: no window either
        return False
    return browser_clips.window_running()


def _to_window(request: Request) -> bool:
    try:
        from curator.ui import browser_clips
    except ImportError:
        return False
    return browser_clips.hand_over(request.clip)


def cmd_browser(args) -> int:
    """``curator browser install``: the native host manifests for this person."""
    from curator import preferences
    from curator.browser import manifests

    browsers = args.browser or list(manifests.BROWSERS)
    folder = getattr(args, "folder", None)
    if folder and len(set(browsers)) != 1:
        raise CuratorError("--folder holds the manifest of one browser: say which with "
                           "--browser (for example --browser chromium). Nothing was written.")
    done = manifests.install(browsers, own=preferences.config_dir(), library=args.library,
                             extra_ids=tuple(args.extension_id or ()), folder=folder)
    for item in done:
        where = f"registry key HKCU\\{item.registry_key}" if item.registry_key else \
            str(item.manifest)
        print(f"{item.name}: Curator's clipper can start Curator ({where}).")
    print("Now add the Curator extension to your browser (see Help › User guide, "
          "“Clip from your browser”). Restart the browser if it was open.")
    return 0


def add_parsers(sub, common) -> None:
    sub.add_parser("native-host", help="talk to the browser extension (the browser starts "
                   "this itself)", parents=[common])
    b = sub.add_parser("browser", help="let the browser extension reach Curator",
                       parents=[common])
    bs = b.add_subparsers(dest="action", required=True, metavar="ACTION")
    i = bs.add_parser("install", help="write the native host manifest for each browser",
                      parents=[common])
    i.add_argument("--browser", action="append", choices=("chrome", "chromium", "edge",
                                                          "firefox"),
                   help="only this browser (repeatable; default: all of them)")
    i.add_argument("--extension-id", action="append", metavar="ID",
                   help="also allow this extension id (a copy IT signed itself)")
    i.add_argument("--folder", metavar="DIR",
                   help="write the manifest into DIR instead (one --browser only): for a "
                   "browser started with its own profile folder, DIR is that folder's "
                   "NativeMessagingHosts")
