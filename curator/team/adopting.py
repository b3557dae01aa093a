"""How the library's experts and themes differ from the team register, and adopting it.

Adopting makes the library agree with the register in one transaction: experts it lacks
are added, themes added or given the register's name, four-eyes rule and review interval,
and roles set as the register gives them (leads, deputies, members). A lead or deputy
here whom the register does not name becomes a member. Themes the register does not list are left as
they are. Every change is in the history, marked as coming from the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from curator.base import clock
from curator.catalogue.resources import redate_reviews_for_theme
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store
from curator.team.register import Register


@dataclass(frozen=True)
class Difference:
    text: str
    op: tuple


def differences(store: Store, reg: Register) -> list[Difference]:
    db = store.db
    out: list[Difference] = []
    here = {r["name"].casefold(): r["name"] for r in db.execute("SELECT name FROM experts")}
    for person in reg.people:
        if person.name.casefold() not in here:
            out.append(Difference(f"Add the expert {person.name}.", ("expert", person.name)))
    for theme in sorted(reg.themes.values(), key=lambda t: t.code):
        row = db.execute("SELECT * FROM themes WHERE code = ?", (theme.code,)).fetchone()
        if row is None:
            out.append(Difference(f"Add the theme {theme.code} ({theme.name}).",
                                  ("theme", theme.code)))
        else:
            changes = {}
            if row["name"] != theme.name:
                changes["name"] = theme.name
            if bool(row["four_eyes"]) != theme.four_eyes:
                changes["four_eyes"] = int(theme.four_eyes)
            if theme.review_months and row["review_months"] != theme.review_months:
                changes["review_months"] = theme.review_months
            for key, value in changes.items():
                out.append(Difference(f"{theme.code}: {_words(key, value)} (here: "
                                      f"{_words(key, row[key])}).",
                                      ("edit", theme.code, key, value)))
        roles = {r["name"].casefold(): (r["name"], r["role"]) for r in db.execute(
            "SELECT e.name, te.role FROM theme_experts te JOIN experts e ON e.id = te.expert_id"
            " WHERE te.theme_code = ?", (theme.code,))}
        wanted = {n.casefold(): (n, "lead") for n in theme.leads}
        for n in theme.deputies:
            wanted.setdefault(n.casefold(), (n, "deputy"))
        for n in theme.members:
            wanted.setdefault(n.casefold(), (n, "member"))
        for key, (name, role) in wanted.items():
            if roles.get(key, (None, None))[1] != role:
                out.append(Difference(f"Make {name} a {role} of {theme.code}.",
                                      ("role", theme.code, name, role)))
        for key, (name, role) in roles.items():
            if role in ("lead", "deputy") and key not in wanted:
                doing = "leads" if role == "lead" else "is a deputy of"
                out.append(Difference(f"{name} {doing} {theme.code} here but not in the "
                                      f"register: make them a member.",
                                      ("role", theme.code, name, "member")))
    return out


def _words(key: str, value) -> str:
    if key == "four_eyes":
        return "four eyes on" if value else "four eyes off"
    if key == "review_months":
        return f"review every {value} months"
    return f"called “{value}”"


def adopt(store: Store, reg: Register, actor: Actor | None) -> list[str]:
    """Make the library agree with the register; returns what was done, in words."""
    diffs = differences(store, reg)
    if not diffs:
        return []
    with store.write("adopt the team register") as db:
        for diff in diffs:
            _apply(db, reg, diff.op)
        events.record(db, actor, "team.adopt", "library", "team",
                      {"changes": [d.text for d in diffs]})
    return [d.text for d in diffs]


def _apply(db, reg: Register, op: tuple) -> None:
    kind = op[0]
    if kind == "expert":
        db.execute("INSERT INTO experts (name, active, created_at) VALUES (?, 1, ?)",
                   (op[1], clock.now_iso()))
    elif kind == "theme":
        t = reg.themes[op[1]]
        db.execute("INSERT INTO themes (code, name, review_months, four_eyes, active, "
                   "created_at) VALUES (?, ?, ?, ?, 1, ?)",
                   (t.code, t.name, t.review_months or 12, int(t.four_eyes), clock.now_iso()))
    elif kind == "edit":
        _, code, key, value = op
        db.execute(f"UPDATE themes SET {key} = ? WHERE code = ?", (value, code))
        if key == "review_months":
            redate_reviews_for_theme(db, code)
    elif kind == "role":
        _, code, name, role = op
        row = db.execute("SELECT id FROM experts WHERE name = ?", (name,)).fetchone()
        if row is None:
            cur = db.execute("INSERT INTO experts (name, active, created_at) VALUES (?, 1, ?)",
                             (name, clock.now_iso()))
            expert_id = cur.lastrowid
        else:
            expert_id = row["id"]
        db.execute("DELETE FROM theme_experts WHERE theme_code = ? AND expert_id = ?",
                   (code, expert_id))
        db.execute("INSERT INTO theme_experts (theme_code, expert_id, role) VALUES (?, ?, ?)",
                   (code, expert_id, role))
