"""A small team library for the publishing tests: a lead, a member, approved resources,
text slipped in behind the workflow's back, and what a written bundle holds."""

from __future__ import annotations

import zipfile
from pathlib import Path

LEAD = "Alex Lead"
MEMBER = "Priya Shah"
#: The NHS number of the NHS's own published example (it passes the check digit).
NHS_NUMBER = "943 476 5919"
MOBILE = "07700 900123"


def make_team(lib, themes=("DA",)):
    """*lib* with Priya Shah as a member and Alex Lead as the lead of *themes*."""
    lib.add_expert(MEMBER)
    for code in themes:
        lib.set_theme_role(code, LEAD, "lead")
        lib.set_theme_role(code, MEMBER, "member")
    return lib


def approved(lib, url, title, theme="DA", notes="Why it matters", override=None, **kw):
    """A resource clipped by the member, submitted, and approved by the lead."""
    lib.act_as(MEMBER)
    r = lib.add_resource(url, title=title, themes_=[theme], notes=notes, index=False, **kw)
    lib.act_as(LEAD)
    lib.submit(r.id, override_reason=override)
    return lib.approve(r.id, override_reason=override)


def slip_in(lib, rid, **fields):
    """Change stored fields directly, as an old import or a hand edit might have."""
    with lib.store.write() as db:
        for name, value in fields.items():
            db.execute(f"UPDATE resources SET {name} = ? WHERE id = ?", (value, rid))


def bundle_text(path: Path) -> str:
    """Everything a bundle zip holds, as one text (to search for what must not leave)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def files_in(folder: Path) -> list[str]:
    """Every file name in *folder*, hidden ones included ([] when it does not exist)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
