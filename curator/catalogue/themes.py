"""Themes: a short code, a name, how often their resources are reviewed, and who leads.

A theme's people are its leads, its deputies and its members. Leads and deputies approve
its resources; only a lead appoints or removes a lead or deputy, and the last lead of a
theme cannot be taken off it (a deputy does not count: someone must be able to appoint).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from curator.base import clock
from curator.base.errors import CuratorError, Duplicate, NotAllowed, NotFound
from curator.catalogue.experts import find as find_expert
from curator.catalogue.experts import active_leads, require_lead
from curator.catalogue.resources import redate_reviews_for_theme
from curator.catalogue.vocab import DEFAULT_EVIDENCE_YEARS, DEFAULT_REVIEW_MONTHS, STARTER_THEMES
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store

CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,11}$")
EDITABLE = ("name", "review_months", "evidence_years", "four_eyes", "active")
#: Settings only a lead of the theme may change (once it has one), and what that is.
GUARDED = {"four_eyes": "turn four eyes on or off", "active": "stop or restart the theme"}


@dataclass
class Theme:
    code: str
    name: str
    review_months: int
    evidence_years: int | None
    four_eyes: bool
    active: bool
    leads: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)

    def approvers(self) -> list[str]:
        """Who may approve this theme's resources: its leads, then its deputies."""
        return [*self.leads, *self.deputies]


def _check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise CuratorError("A theme code is 1 to 12 letters or digits, starting with a letter "
                           "(for example DA).")
    return code


def _check_values(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise CuratorError(f"'{key}' is not a theme setting.")
        if key == "name":
            value = " ".join(str(value or "").split())
            if not value:
                raise CuratorError("A theme needs a name.")
        elif key == "review_months":
            value = int(value)
            if not 1 <= value <= 120:
                raise CuratorError("The review interval is between 1 and 120 months.")
        elif key == "evidence_years":
            value = None if value in (None, "", 0, "0") else int(value)
            if value is not None and not 1 <= value <= 100:
                raise CuratorError("The evidence-age limit is between 1 and 100 years.")
        elif key in ("four_eyes", "active"):
            value = int(bool(value))
        out[key] = value
    return out


def get(store: Store, code: str) -> Theme:
    r = store.query_one("SELECT * FROM themes WHERE code = ?", ((code or "").strip(),))
    if not r:
        raise NotFound(f"There is no theme with the code '{code}'. See: curator themes list")
    theme = Theme(code=r["code"], name=r["name"], review_months=r["review_months"],
                  evidence_years=r["evidence_years"], four_eyes=bool(r["four_eyes"]),
                  active=bool(r["active"]))
    for role, name in store.query(
            "SELECT te.role, e.name FROM theme_experts te JOIN experts e ON e.id = te.expert_id"
            " WHERE te.theme_code = ? ORDER BY e.name", (theme.code,)):
        {"lead": theme.leads, "deputy": theme.deputies}.get(role, theme.members).append(name)
    return theme


def list_all(store: Store, include_inactive: bool = True) -> list[Theme]:
    sql = "SELECT code FROM themes" + ("" if include_inactive else " WHERE active = 1")
    return [get(store, r["code"]) for r in store.query(sql + " ORDER BY name")]


def add(store: Store, code: str, name: str, actor: Actor | None, *,
        review_months: int = DEFAULT_REVIEW_MONTHS,
        evidence_years: int | None = DEFAULT_EVIDENCE_YEARS, four_eyes: bool = False) -> Theme:
    code = _check_code(code)
    values = _check_values({"name": name, "review_months": review_months,
                            "evidence_years": evidence_years, "four_eyes": four_eyes})
    with store.write("add the theme") as db:
        if db.execute("SELECT 1 FROM themes WHERE code = ?", (code,)).fetchone():
            raise Duplicate(f"There is already a theme with the code {code}.", code)
        db.execute(
            "INSERT INTO themes (code, name, review_months, evidence_years, four_eyes, active,"
            " created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
            (code, values["name"], values["review_months"], values["evidence_years"],
             values["four_eyes"], clock.now_iso()))
        events.record(db, actor, "theme.add", "theme", code, values)
    return get(store, code)


def add_starter_set(store: Store, actor: Actor | None) -> None:
    for code, name in STARTER_THEMES:
        if not store.query_one("SELECT 1 FROM themes WHERE code = ?", (code,)):
            add(store, code, name, actor)


def edit(store: Store, code: str, changes: dict, actor: Actor) -> Theme:
    """Change a theme's settings. A new review interval re-dates its resources' reviews."""
    theme = get(store, code)
    values = _check_values(changes)
    before = {k: getattr(theme, k) for k in values}
    with store.write("change the theme") as db:
        for key, doing in GUARDED.items():
            if key in values and bool(values[key]) != getattr(theme, key):
                require_lead(db, actor, theme.code, doing)
        for key, value in values.items():
            db.execute(f"UPDATE themes SET {key} = ? WHERE code = ?", (value, theme.code))
        events.record(db, actor, "theme.edit", "theme", theme.code, events.diff(before, values))
        if "review_months" in values and values["review_months"] != theme.review_months:
            redate_reviews_for_theme(db, theme.code)
    return get(store, theme.code)


ROLES = ("lead", "deputy", "member")
#: The roles that may approve a theme's resources.
APPROVING = ("lead", "deputy")


def set_role(store: Store, code: str, expert_name: str, role: str | None, actor: Actor) -> Theme:
    """Make an expert a lead, deputy or member of a theme, or (role None) take them off.

    Making or unmaking a lead or deputy needs a lead of the theme (a deputy approves but
    does not appoint), unless it has no lead yet; the only active lead of a theme cannot
    be taken off it or made a deputy (someone else is made lead first)."""
    theme = get(store, code)
    expert = find_expert(store, expert_name)
    if role not in (*ROLES, None):
        raise CuratorError("The role is 'lead', 'deputy' or 'member'.")
    with store.write("change who is on the theme") as db:
        row = db.execute("SELECT role FROM theme_experts WHERE theme_code = ? AND "
                         "expert_id = ?", (theme.code, expert.id)).fetchone()
        current = row[0] if row else None
        if current == role:
            return theme
        if role in APPROVING or current in APPROVING:
            doing = (f"make {expert.name} a {role} of it" if role in APPROVING
                     else f"take {expert.name} off as its {current}")
            require_lead(db, actor, theme.code, doing)
        if current == "lead" and set(active_leads(db, theme.code)) == {expert.id}:
            raise NotAllowed(f"{expert.name} is the only lead of {theme.code}, and a theme "
                             f"needs a lead to approve its resources. Make someone else a "
                             f"lead first.")
        db.execute("DELETE FROM theme_experts WHERE theme_code = ? AND expert_id = ?",
                   (theme.code, expert.id))
        if role:
            db.execute("INSERT INTO theme_experts (theme_code, expert_id, role) VALUES (?, ?, ?)",
                       (theme.code, expert.id, role))
        events.record(db, actor, "theme.role", "theme", theme.code,
                      {"expert": expert.name, "role": role})
    return get(store, theme.code)


def resolve_codes(store: Store, codes) -> list[str]:
    """Check each code names a theme (any case) and return them as stored."""
    out: list[str] = []
    for code in codes or ():
        code = str(code).strip()
        if not code:
            continue
        r = store.query_one("SELECT code FROM themes WHERE code = ? OR name = ? COLLATE NOCASE",
                            (code, code))
        if not r:
            raise NotFound(f"There is no theme '{code}'. See: curator themes list")
        if r["code"] not in out:
            out.append(r["code"])
    return out


def _setting_words(key: str, old, new) -> str:
    if key == "name":
        return f"renamed it from “{old}” to “{new}”"
    if key == "review_months":
        return f"review every {old} → {new} months"
    if key == "evidence_years":
        def years(v):
            return "no limit" if not v else f"{v} years"
        return f"old evidence after {years(old)} → {years(new)}"
    if key == "four_eyes":
        return "turned four eyes on" if new else "turned four eyes off"
    if key == "active":
        return "restarted the theme" if new else "retired the theme"
    return f"{key}: {old} → {new}"


def change_words(event: dict) -> str:
    """One change from a theme's history as people read it ("Sam Patel made Priya Shah a
    lead"); *event* is as :func:`curator.storage.events.history` gives it."""
    who = event.get("expert") or "Curator"
    detail = event.get("detail") or {}
    action = event.get("action")
    if action == "theme.add":
        what = "added the theme"
    elif action == "theme.role":
        person, role = detail.get("expert", "someone"), detail.get("role")
        what = f"made {person} a {role}" if role else f"took {person} off the theme"
    elif action == "theme.edit":
        parts = [_setting_words(k, *v) for k, v in sorted(detail.items())
                 if isinstance(v, list) and len(v) == 2]
        what = "; ".join(parts) or "changed nothing"
    else:
        what = action or "changed it"
    return f"{who} {what}"
