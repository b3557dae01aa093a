"""How the command line prints: JSON with --json, plain lines for people.

Text that came from pages, bundles, files or other people (titles, snippets, notes, page
text, names, messages quoting them) is printed through :func:`say` or :func:`clean`, which
remove terminal escape sequences and other control characters: a page title cannot move
the cursor, recolour or retitle the terminal, or hide what is printed after it.
"""

from __future__ import annotations

import json
import re
import sys

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"           # CSI: cursor moves, colours, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, links, clipboard
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"       # DCS, SOS, PM and APC strings
    r"|\x1b[\s\S]?"                       # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]")              # the one-byte CSI
#: Control characters (but tab and newline), and the marks that reverse text's direction.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\u2028\u2029]")


def clean(text, multiline: bool = False) -> str:
    """*text* safe to print on a terminal: escape sequences and control characters removed;
    line breaks and tabs kept with *multiline*, else each made a space."""
    if text is None:
        return ""
    text = _ESCAPES.sub("", str(text))
    if not multiline:
        text = _BREAKS.sub(" ", text)
    else:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROLS.sub("", text)


def say(*values, sep: str = " ", end: str = "\n", file=None) -> None:
    """``print`` for people, through :func:`clean` (line breaks kept)."""
    print(clean(sep.join(str(v) for v in values), multiline=True), end=end,
          file=file or sys.stdout)


def _out(args, data, human) -> None:
    """Print *data* as JSON with --json, else call *human* to print it for people."""
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        human()


def _res_line(r) -> str:
    title = clean(r.title) or f"(not fetched yet) {clean(r.url)}"
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
            say(f"{label + ':':<16}{value}")
    if with_text:
        say()
        say(lib.text(r.id))
