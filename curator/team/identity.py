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

#: A stored UTC moment as a person reads it ("2 Dec 14:05").
shown = clock.shown_local


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


def owner(store) -> tuple[Register | None, Person | None]:
    """The register (if the library has a team folder and it can be read) and the person
    it gives this computer's key: the library's owner. (None, None) for a library not in
    a team, or whose owner is not in the register yet: it works as it always has."""
    from curator.team import folder as team_folder
    from curator.team import keys, register

    if team_folder.team_folder(store) is None:
        return None, None
    try:
        reg, key = register.load_for(store), keys.own(create=False)
    except CuratorError:
        return None, None
    return reg, reg.by_key(key.public)


def switch_to(store, name: str, passphrase: str | None = None):
    """Who *name* may act as here, and the key they sign with this session (None: the
    computer's own). The rule: a library has one owner; only one the register marks as
    shared may be used by others, each with their own key, opened by their passphrase.
    Raises PassphraseNeeded when one is needed and not given, and refuses (changing
    nothing) a wrong passphrase, a key not in the register, or someone else's key."""
    from curator.team import person_keys

    clean = " ".join((name or "").split())
    reg, person = owner(store)
    if person is None or clean.casefold() == person.name.casefold():
        return (person.name if person else clean), None
    if not person.shared_library:
        raise NotAllowed(f"This library belongs to {person.name} (the team register gives "
                         f"them this computer's signing key), so no one else can work in "
                         f"it. {clean} works in their own library.")
    key = person_keys.unlock(clean, passphrase or "")
    signer = reg.by_key(key.public)
    if signer is None:
        raise CuratorError(f"{clean}'s key is not in the team register yet: send the join "
                           f"request (key {key.key_id}) to the person who keeps the "
                           f"register; once they admit it, switch again.")
    if signer.name.casefold() != clean.casefold():
        raise NotAllowed(f"That key is {signer.name}'s in the team register, not "
                         f"{clean}'s. Nothing changed.")
    return signer.name, key
