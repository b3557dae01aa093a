"""A demo library with sample resources, to try Curator safely.

The sample resources are made up for the demo (their sites say "demo"); nothing here is
fetched, so a demo library works offline.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources as pkg_resources
from pathlib import Path

from curator.base import clock
from curator.catalogue import published, resources
from curator.library import Library

DEMO_EXPERTS = ("Sam Patel", "Priya Shah")
#: A library setting: "yes" in a demo library, which the app never remembers as yours.
DEMO_SETTING = "demo_library"
_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def _slug(title: str) -> str:
    words = "".join(c if c in _SLUG_CHARS else "-" for c in title.lower().replace(" ", "-"))
    return "-".join(w for w in words.split("-") if w)[:60]


def sample_resources() -> list[dict]:
    data = pkg_resources.files("curator").joinpath("data/demo_resources.json").read_text("utf-8")
    return json.loads(data)


def create_demo_library(folder: str | Path, expert: str = "Sam Patel") -> Library:
    """Make (or reopen) a demo library in *folder*, acting as *expert*, and return it open."""
    lib = Library.open(folder)
    if lib.list() or lib.list(trash=True):
        lib.act_as(expert)
        return lib
    lib.act_as(DEMO_EXPERTS[0])
    lib.set_setting(DEMO_SETTING, "yes")
    for name in DEMO_EXPERTS[1:]:
        lib.add_expert(name)
    if expert not in DEMO_EXPERTS:
        lib.add_expert(expert)
    for code in ("DA", "CSA", "FII"):
        lib.set_theme_role(code, "Sam Patel", "lead")
    for code in ("NEG", "EXP", "DIG"):
        lib.set_theme_role(code, "Priya Shah", "lead")
    lib.set_theme_role("DA", "Priya Shah", "member")
    today = clock.today()
    for n, item in enumerate(sample_resources()):
        lib.act_as(DEMO_EXPERTS[n % 2])
        url = f"https://{_slug(item['site'])}.example.org/{_slug(item['title'])}"
        res = lib.add_resource(
            url, title=item["title"], summary=item["summary"], notes=item["notes"],
            themes_=item["themes"], tags=item["tags"], type_=item["type"],
            published=item["published"], author=item["author"], site=item["site"],
            text=item["text"], index=False)
        lib.edit(res.id, {"audience": item["audience"]})
        with lib.store.write("set up the demo") as db:
            # Spread clip and review dates so the demo has overdue and recent items.
            clipped = today - dt.timedelta(days=20 + 37 * n)
            due = clipped.replace(year=clipped.year + 1) if not (
                clipped.month == 2 and clipped.day == 29) else clipped + dt.timedelta(days=365)
            status = item["status"]
            db.execute(
                "UPDATE resources SET status = ?, clipped_at = ?, review_due = ?, "
                "fetch_state = 'ok', fetched_at = ?, link_health = ? WHERE id = ?",
                (status, clipped.isoformat() + "T10:00:00Z", due.isoformat(),
                 clipped.isoformat() + "T10:00:00Z", "broken" if n == 6 else "ok", res.id))
            if status == "approved":  # as a lead approved it: what the portal shows
                lead = "Sam Patel" if item["themes"][0] in ("DA", "CSA", "FII") else "Priya Shah"
                published.keep(db, resources.get(db, res.id), resources.PUBLIC_FIELDS, lead)
    lib.act_as(expert)
    lib.indexer.rebuild()
    return lib
