"""The person's browser inbox, in Curator's settings folder.

Clips the native host hands to the open window wait here as ``clip-*.json`` until the
window has saved them (curator/ui/browser_clips.py). Clips saved while Curator was closed
leave an ``arrived-*.json`` note, so the next start can say which pages arrived.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from curator import preferences
from curator.base.atomic import write_text_atomic

FOLDER = "browser-inbox"


def folder() -> Path:
    return preferences.config_dir() / FOLDER


def note_arrival(answer: dict) -> None:
    """Remember that a clip was saved with the window closed (never fails the clip)."""
    if not answer.get("ok") or not answer.get("resource"):
        return
    note = {"resource": answer["resource"], "title": answer.get("title") or "",
            "url": answer.get("url") or "", "duplicate": bool(answer.get("duplicate"))}
    try:
        path = folder() / f"arrived-{uuid.uuid4().hex}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(note))
    except OSError:
        pass


def take_arrivals() -> list[dict]:
    """The clips saved while Curator was closed, oldest first; their notes are removed."""
    where = folder()
    if not where.is_dir():
        return []
    out = []
    for path in sorted(where.glob("arrived-*.json"), key=lambda p: p.stat().st_mtime):
        try:
            note = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            note = None
        path.unlink(missing_ok=True)
        if isinstance(note, dict) and note.get("resource"):
            out.append(note)
    return out


def arrivals_message(notes: list[dict]) -> str:
    """What the window says about them: the pages by name."""
    names = [f"“{n.get('title') or n.get('url')}”" for n in notes]
    if not names:
        return ""
    if len(names) > 3:
        names = names[:3] + [f"{len(notes) - 3} more"]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Clipped from your browser while Curator was closed: {listed}."
