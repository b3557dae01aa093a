"""Withdrawn, superseded, broken or moved: never published without a deliberate choice.

A link check records what a page says about itself (a withdrawal or "replaced by"
notice) and whether its link still works. Submitting, approving or exporting a resource
with one of these cautions is refused with the reason and the notice's own words, until
the person says why it should go ahead anyway; that reason is kept with the step in the
resource's history. An export goes past a caution once per caution: the next export of
the same resource, with the same caution, is covered by the reason already given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.base.errors import NotAllowed
from curator.base.words import plural
from curator.catalogue import resources
from curator.storage import events
from curator.storage.events import Actor

if TYPE_CHECKING:
    from sqlite_utils import Database

#: What each caution is called where people read it, most serious first.
KINDS = ("withdrawn", "superseded", "broken", "moved")


@dataclass(frozen=True)
class Caution:
    code: str  # one of KINDS
    text: str

    def to_dict(self) -> dict:
        return {"code": self.code, "text": self.text}


class CautionFound(NotAllowed):
    """A step needs a deliberate choice: the page was withdrawn, replaced, broke or moved."""

    def __init__(self, message: str, found: list[tuple[str, list[Caution]]]):
        super().__init__(message)
        self.found = found  # (resource title, its cautions)


CAUTION_SQL = """
SELECT link_health, link_message, link_failing_since, link_new_url, withdrawn_kind,
       withdrawn_message, replacement_url FROM resources WHERE id = ?
"""


def cautions(db: Database, resource_id: str) -> list[Caution]:
    """What a person must know before this resource is published, in plain words."""
    r = db.execute(CAUTION_SQL, (resource_id,)).fetchone()
    if r is None:
        return []
    out: list[Caution] = []
    notice = (r["withdrawn_message"] or "").strip()
    quoted = f" It says: “{notice}”" if notice else ""
    if r["withdrawn_kind"] == "withdrawn":
        out.append(Caution("withdrawn", "The page says it has been withdrawn." + quoted))
    elif r["withdrawn_kind"] == "superseded":
        by = f" by {r['replacement_url']}" if r["replacement_url"] else ""
        out.append(Caution("superseded", f"The page says it has been replaced{by}." + quoted))
    if r["link_health"] == "broken":
        why = (r["link_message"] or "").strip().rstrip(".")
        since = (r["link_failing_since"] or "")[:10]
        out.append(Caution("broken", "The link is broken" + (f" ({why})" if why else "")
                           + (f", failing since {since}" if since else "") + "."))
    elif r["link_health"] == "moved" and r["link_new_url"]:
        out.append(Caution("moved", f"The page has moved to {r['link_new_url']}."))
    return out


def check(db: Database, res: resources.Resource, step: str, despite: str | None) -> dict:
    """Refuse *step* while the resource has cautions and no reason to go ahead is given.

    Returns what to add to the step's audit event: the cautions and the reason.
    """
    found = cautions(db, res.id)
    if not found:
        return {}
    reason = (despite or "").strip()
    if reason:
        return {"cautions": [c.to_dict() for c in found], "despite": reason}
    raise CautionFound(refusal(res.title or res.url, found, step), [(res.title, found)])


def refusal(title: str, found: list[Caution], step: str, more: int = 0) -> str:
    words = " ".join(c.text for c in found)
    also = f" {plural(more, 'other resource')} too." if more else ""
    return (f"“{title}”: {words}{also} It was not {step}. If it should be {step} anyway, "
            "say why; your reason is kept with its history.")


def _covered(db: Database, resource_id: str, found: list[Caution]) -> bool:
    """Did an earlier export already go past exactly these cautions?"""
    want = sorted(json.dumps(c.to_dict(), sort_keys=True) for c in found)
    for row in db.execute("SELECT detail FROM events WHERE entity = 'resource' AND "
                          "entity_id = ? AND action = 'caution.override' ORDER BY id DESC",
                          (resource_id,)):
        detail = json.loads(row["detail"])
        if detail.get("step") != "exported":
            continue
        had = sorted(json.dumps(c, sort_keys=True) for c in detail.get("cautions", []))
        return had == want
    return False


def unresolved(db: Database, records: list[dict]) -> list[tuple[dict, list[Caution]]]:
    """The records of a bundle with cautions no earlier export went past."""
    out = []
    for rec in records:
        found = cautions(db, rec["id"])
        if found and not _covered(db, rec["id"], found):
            out.append((rec, found))
    return out


def refuse_export(problems: list[tuple[dict, list[Caution]]]) -> None:
    first, found = problems[0]
    raise CautionFound(refusal(first["title"] or first["url"], found, "exported",
                               len(problems) - 1),
                       [(rec["title"], f) for rec, f in problems])


def record_export(db: Database, actor: Actor, problems: list[tuple[dict, list[Caution]]],
                  reason: str, bundle_id: str) -> None:
    for rec, found in problems:
        events.record(db, actor, "caution.override", "resource", rec["id"],
                      {"step": "exported", "bundle": bundle_id, "despite": reason,
                       "cautions": [c.to_dict() for c in found]})
