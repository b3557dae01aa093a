"""How the command line prints: JSON with --json, plain lines for people."""

from __future__ import annotations

import json
import sys


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
