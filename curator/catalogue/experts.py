"""Named experts: the people who clip, review and approve in this library.

Who leads a theme is guarded here: making or unmaking a lead or deputy, turning four eyes
on or off and deactivating (or reactivating) a lead or deputy need an active lead of that
theme (a deputy approves but does not appoint). A theme with
no active lead may be given one by anyone, so that a new library can be set up (and a
theme whose leads have all left can be taken on).
"""

from __future__ import annotations

from dataclasses import dataclass

from curator.base import clock
from curator.base.errors import CuratorError, Duplicate, NotAllowed, NotFound
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store

MAX_NAME = 120


@dataclass
class Expert:
    id: int
    name: str
    active: bool
    created_at: str

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.name)


def _clean_name(name: str) -> str:
    clean = " ".join((name or "").split())
    if not clean:
        raise CuratorError("An expert needs a name.")
    if len(clean) > MAX_NAME:
        raise CuratorError(f"That name is too long (over {MAX_NAME} characters).")
    return clean


def _row(r) -> Expert:
    return Expert(id=r["id"], name=r["name"], active=bool(r["active"]), created_at=r["created_at"])


def find(store: Store, name_or_id: str | int) -> Expert:
    """The expert with this name (any case) or id, or :class:`NotFound`."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        r = store.query_one("SELECT * FROM experts WHERE id = ?", (int(name_or_id),))
        if r:
            return _row(r)
    r = store.query_one("SELECT * FROM experts WHERE name = ?", (_clean_name(str(name_or_id)),))
    if not r:
        raise NotFound(f"There is no expert called '{name_or_id}' in this library. "
                       f"Add them with: curator experts add \"{name_or_id}\"")
    return _row(r)


def list_all(store: Store, include_inactive: bool = True) -> list[Expert]:
    sql = "SELECT * FROM experts" + ("" if include_inactive else " WHERE active = 1")
    return [_row(r) for r in store.query(sql + " ORDER BY name")]


def add(store: Store, name: str, actor: Actor | None) -> Expert:
    clean = _clean_name(name)
    with store.write("add the expert") as db:
        existing = db.execute("SELECT id FROM experts WHERE name = ?", (clean,)).fetchone()
        if existing:
            raise Duplicate(f"There is already an expert called '{clean}'.", existing["id"])
        cur = db.execute("INSERT INTO experts (name, active, created_at) VALUES (?, 1, ?)",
                         (clean, clock.now_iso()))
        expert = Expert(cur.lastrowid, clean, True, clock.now_iso())
        events.record(db, actor or expert.actor, "expert.add", "expert", expert.id,
                      {"name": clean})
    return expert


def rename(store: Store, name_or_id: str | int, new_name: str, actor: Actor) -> Expert:
    expert = find(store, name_or_id)
    clean = _clean_name(new_name)
    with store.write("rename the expert") as db:
        other = db.execute("SELECT id FROM experts WHERE name = ? AND id != ?",
                           (clean, expert.id)).fetchone()
        if other:
            raise Duplicate(f"There is already an expert called '{clean}'.", other["id"])
        db.execute("UPDATE experts SET name = ? WHERE id = ?", (clean, expert.id))
        events.record(db, actor, "expert.rename", "expert", expert.id,
                      {"name": [expert.name, clean]})
    expert.name = clean
    return expert


def active_leads(db, theme_code: str) -> dict[int, str]:
    """The theme's leads who are still active, by id."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT e.id, e.name FROM theme_experts te JOIN experts e ON e.id = te.expert_id "
        "WHERE te.theme_code = ? AND te.role = 'lead' AND e.active = 1 ORDER BY e.name",
        (theme_code,))}


def require_lead(db, actor: Actor | None, theme_code: str, doing: str) -> None:
    """Refuse, saying who to ask, unless *actor* leads the theme (or it has no lead yet)."""
    leads = active_leads(db, theme_code)
    if not leads or (actor is not None and actor.id in leads):
        return
    names = " or ".join(leads.values())
    who = actor.name if actor else "Someone who is not a lead"
    raise NotAllowed(f"Only a lead of {theme_code} can {doing}, and {who} is not one. "
                     f"Ask {names}.")


def set_active(store: Store, name_or_id: str | int, active: bool, actor: Actor) -> Expert:
    """Deactivate (or reactivate) an expert. For an expert who leads a theme, this needs
    a lead of that theme: it changes who can approve there."""
    expert = find(store, name_or_id)
    with store.write("change the expert") as db:
        led = db.execute(
            "SELECT theme_code, role FROM theme_experts WHERE expert_id = ? AND role IN "
            "('lead', 'deputy') ORDER BY theme_code", (expert.id,)).fetchall()
        if active != expert.active:
            for code, role in led:
                who = "who leads it" if role == "lead" else "a deputy who approves for it"
                require_lead(db, actor, code, f"{'reactivate' if active else 'deactivate'} "
                             f"{expert.name}, {who}")
        db.execute("UPDATE experts SET active = ? WHERE id = ?", (int(active), expert.id))
        events.record(db, actor, "expert.activate" if active else "expert.deactivate",
                      "expert", expert.id, {"name": expert.name})
    expert.active = active
    return expert
