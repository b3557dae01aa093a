"""Who I am in the team: the register's person for this computer's signing key.

A library belongs to one person. In the team folder Curator acts only as the person the
register gives this computer's key; names in files are never trusted on their own.
"""

from __future__ import annotations

from curator.base import clock
from curator.base.errors import CuratorError, NotAllowed
from curator.storage import events
from curator.storage.events import Actor
from curator.team.register import Person, Register


def shown(moment: str) -> str:
    """A stored UTC moment as a person reads it, in this computer's time: "2 Dec 14:05"."""
    try:
        at = clock.parse_moment(str(moment)).astimezone()
    except ValueError:
        return str(moment or "")
    return f"{at.day} {at:%b %H:%M}"


def me(reg: Register, key, acting: Actor | None) -> Person:
    """The register's person for *key*; refused when the acting expert is someone else
    (unless the register marks that person's library as shared)."""
    person = reg.by_key(key.public)
    if person is None:
        raise CuratorError("Your signing key is not in the team register yet. Run 'curator "
                           "team join' and send the request file to the person who keeps "
                           "the register; once they admit you, sync again.")
    if acting is not None and acting.name.casefold() != person.name.casefold() \
            and not person.shared_library:
        raise NotAllowed(f"This library belongs to {person.name} (the team register gives "
                         f"them this computer's signing key), so {acting.name} cannot act "
                         f"in it. {acting.name} decides in their own library.")
    return person


def local_expert(db, name: str) -> tuple[int, str]:
    """The id and name of the library's expert called *name*, added if missing (in the
    caller's transaction)."""
    row = db.execute("SELECT id, name FROM experts WHERE name = ?", (name,)).fetchone()
    if row:
        return row["id"], row["name"]
    cur = db.execute("INSERT INTO experts (name, active, created_at) VALUES (?, 1, ?)",
                     (name, clock.now_iso()))
    events.record(db, Actor(cur.lastrowid, name), "expert.add", "expert", cur.lastrowid,
                  {"name": name, "via": "team register"})
    return cur.lastrowid, name


def local_theme(db, reg: Register, code: str) -> str:
    """The library's code for theme *code*, adding it from the register when missing."""
    row = db.execute("SELECT code FROM themes WHERE code = ?", (code.strip(),)).fetchone()
    if row:
        return row["code"]
    theme = reg.theme(code)
    if theme is None:
        raise CuratorError(f"The theme {code} is neither in this library nor in the team "
                           "register.")
    db.execute("INSERT INTO themes (code, name, review_months, four_eyes, active, created_at) "
               "VALUES (?, ?, ?, ?, 1, ?)",
               (theme.code, theme.name, theme.review_months or 12, int(theme.four_eyes),
                clock.now_iso()))
    events.record(db, None, "theme.add", "theme", theme.code,
                  {"name": theme.name, "via": "team register"})
    return theme.code
