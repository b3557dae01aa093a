"""The published version of a resource: what was last approved (a forward revision).

Approving a resource keeps a copy of its public fields. An edit to one of them after
that waits for approval, and meanwhile bundles carry the copy: the portal never loses a
resource because someone is improving it. When the edit is approved, the copy is
replaced; when the fields are put back as they were approved (Undo, or by hand), the
resource is approved again, since what readers see is exactly what a lead approved.
Retiring a resource, or a lead sending back an approved one, removes the copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.base import clock

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class PublishedVersion:
    resource_id: str
    fields: dict
    approved_by: str | None
    approved_at: str

    @property
    def title(self) -> str:
        return self.fields.get("title") or self.fields.get("url") or ""


def values(resource, names: tuple[str, ...]) -> dict:
    """The public fields of a resource in the form they are compared and stored in."""
    out = {}
    for name in names:
        value = getattr(resource, name)
        if name in ("themes", "tags", "audience"):
            value = sorted(value or [])
        out[name] = value
    return out


def get(db: Database, resource_id: str) -> PublishedVersion | None:
    row = db.execute("SELECT resource_id, fields, approved_by, approved_at FROM "
                     "published_versions WHERE resource_id = ?", (resource_id,)).fetchone()
    if row is None:
        return None
    return PublishedVersion(row["resource_id"], json.loads(row["fields"]), row["approved_by"],
                            row["approved_at"])


def keep(db: Database, resource, names: tuple[str, ...], approver: str | None) -> None:
    """Keep *resource* as approved now (in the caller's transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO published_versions (resource_id, fields, approved_by, "
        "approved_at) VALUES (?, ?, ?, ?)",
        (resource.id, json.dumps(values(resource, names), ensure_ascii=False, sort_keys=True),
         approver, clock.now_iso()))


def drop(db: Database, resource_id: str) -> None:
    db.execute("DELETE FROM published_versions WHERE resource_id = ?", (resource_id,))


def differences(db: Database, resource, names: tuple[str, ...],
                changes: dict | None = None) -> list[str]:
    """The public fields that differ from the published version ([] when none is kept),
    as the resource is or as it would be with *changes*."""
    kept = get(db, resource.id)
    if kept is None:
        return []
    now = values(resource, names)
    for name, value in (changes or {}).items():
        if name in now:
            now[name] = _same_form(value, name)
    return [n for n in names if _same_form(kept.fields.get(n), n) != now[n]]


def _same_form(value, name: str):
    if name in ("themes", "tags", "audience"):
        return sorted(value or [])
    return value


def note(db: Database, resource) -> str:
    """What the details pane says while an edit waits ("" when what is stored is what
    is published, or nothing is)."""
    if resource.status in ("approved", "retired"):
        return ""
    kept = get(db, resource.id)
    if kept is None:
        return ""
    when = _day(kept.approved_at)
    by = f" by {kept.approved_by}" if kept.approved_by else ""
    waits = ("Your changes wait for approval." if resource.status == "submitted" else
             "Your changes were sent back; submit them again when they are ready.")
    return (f"Published version: “{kept.title}”, approved {when}{by}, is what the portal "
            f"shows. {waits}")


def _day(moment: str) -> str:
    try:
        when = clock.parse_moment(moment).date()
    except (TypeError, ValueError):
        return (moment or "")[:10]
    return f"{when.day} {when:%b %Y}"
