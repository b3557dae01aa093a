"""Clips from the browser, handed to the running window (issue 20).

``curator native-host`` (started by the browser) cannot send a whole page through the
single-instance socket, which takes short messages: it writes the clip to a file in this
person's browser inbox (atomically) and sends the window the file's name. The window reads
it, saves it on its writer thread like any other clip (so the list, the counts and the
details update from the one change signal), says in the status bar which page arrived and
opens it. The file is removed once the clip is saved or refused; one left by a window that
closed first is picked up at the next start.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from curator.base.atomic import write_text_atomic
from curator.browser import inbox as browser_inbox
from curator.browser.protocol import ClipRequest

_NAME = re.compile(r"^clip-[0-9a-f]{32}\.json$")
MESSAGE_KEY = "browser_clip"


def inbox() -> Path:
    return browser_inbox.folder()


def window_running() -> bool:
    from curator.ui.single import send_to_running
    return send_to_running({"ping": True})


def hand_over(request: ClipRequest) -> bool:
    """Give *request* to the running window; False when no window answers."""
    from curator.ui.single import send_to_running
    if not window_running():
        return False
    path = inbox() / f"clip-{uuid.uuid4().hex}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(request.to_dict()))
    if send_to_running({MESSAGE_KEY: path.name}):
        return True
    path.unlink(missing_ok=True)
    return False


def read(name: str) -> tuple[Path, ClipRequest] | None:
    """The clip a message names, if it is one of ours in this person's inbox."""
    if not isinstance(name, str) or not _NAME.match(name):
        return None
    path = inbox() / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("type", None)
        return path, ClipRequest(**data)
    except (OSError, ValueError, TypeError):
        return None


def take(window, name: str) -> bool:
    """Save the clip named *name* through the window's writer; False if there is none."""
    found = read(name)
    if found is None:
        return False
    path, request = found
    lib = window.lib

    def done(answer: dict) -> None:
        path.unlink(missing_ok=True)
        window.statusBar().showMessage(f"From your browser: {answer['message']}", 12000)
        if answer.get("resource"):
            window.open_resource(answer["resource"])

    def failed(_error) -> None:
        path.unlink(missing_ok=True)  # the error dialog says why; the page is still open

    window.ops.run(lambda ctx: lib.clip_from_browser(request, ctx.cancelled),
                   kind="network", on_success=done, on_failure=failed,
                   label=f"Saving “{request.title or request.url}” from your browser",
                   show_progress=True)
    return True


def take_waiting(window) -> int:
    """At start: say which pages arrived while Curator was closed, and save the clips left
    in the inbox (by a window that closed before saving them)."""
    arrived = browser_inbox.take_arrivals()
    if arrived:
        window.statusBar().showMessage(browser_inbox.arrivals_message(arrived), 20000)
    folder = inbox()
    names = sorted(p.name for p in folder.glob("clip-*.json")) if folder.is_dir() else []
    return sum(take(window, name) for name in names)
