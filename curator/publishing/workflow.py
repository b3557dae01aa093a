"""The publishing workflow: draft -> submitted -> approved -> retired, enforced here.

Only a lead or deputy of one of a resource's themes may approve it. A theme may require "four
eyes": then the approver must be neither the person who clipped the resource nor the one
who last edited it. Every transition is an event with who, when and why. The personal
data guard runs before submit and approval (and :mod:`curator.publishing.portal` runs it
before export) over every field that leaves in a bundle: a hit blocks the step, and only
an approver may go ahead past it, with a reason. The override is recorded against a
fingerprint of the exact text it covered (:mod:`curator.publishing.overrides`), so each
step needs its own, and a later change to that text needs a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError, NotAllowed
from curator.catalogue import approved_text, published, resources
from curator.publishing import cautions
from curator.storage import events
from curator.storage.events import Actor

if TYPE_CHECKING:
    from sqlite_utils import Database

TRANSITIONS = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "send_back": ({"submitted", "approved"}, "draft"),
    "retire": ({"draft", "submitted", "approved"}, "retired"),
    "reinstate": ({"retired"}, "draft"),
}
PAST = {"submit": "submitted", "approve": "approved", "send_back": "sent back",
        "retire": "retired", "reinstate": "reinstated"}
STATUS_WORDS = {"draft": "a draft", "submitted": "awaiting approval", "approved": "approved",
                "retired": "retired"}


class PersonalDataFound(NotAllowed):
    """The expert's text looks like it holds personal data; the step is blocked."""

    def __init__(self, message: str, hits: list):
        super().__init__(message)
        self.hits = hits


def approvers_of(db: Database, theme_codes: list[str]) -> set[int]:
    """Who may approve a resource with these themes: their leads and deputies."""
    if not theme_codes:
        return set()
    marks = ",".join("?" * len(theme_codes))
    return {r[0] for r in db.execute(
        "SELECT expert_id FROM theme_experts WHERE role IN ('lead', 'deputy') AND "
        f"theme_code IN ({marks})", theme_codes)}


def four_eyes(db: Database, theme_codes: list[str]) -> bool:
    if not theme_codes:
        return False
    marks = ",".join("?" * len(theme_codes))
    return bool(db.execute(f"SELECT max(four_eyes) FROM themes WHERE code IN ({marks})",
                           theme_codes).fetchone()[0])


def check_approver(db: Database, actor: Actor, res: resources.Resource) -> None:
    """Refuse, with the reason, an approval this expert may not give."""
    if not res.themes:
        raise NotAllowed("This resource has no theme, so no theme lead can approve it. "
                         "Give it a theme first.")
    if actor.id not in approvers_of(db, res.themes):
        raise NotAllowed(f"Only a lead or deputy of {', '.join(res.themes)} can approve this "
                         f"resource; "
                         f"{actor.name} is not one.")
    if four_eyes(db, res.themes):
        row = db.execute("SELECT clipped_by, updated_by FROM resources WHERE id = ?",
                         (res.id,)).fetchone()
        if actor.id in (row["clipped_by"], row["updated_by"]):
            raise NotAllowed("This theme needs four eyes: someone other than the person who "
                             "clipped or last edited the resource must approve it.")


def personal_data_hits(res: resources.Resource, db: Database | None = None) -> list:
    """What the guard finds in every field of *res* that would leave in a bundle; with
    *db*, contact details printed on the resource's own stored page are not flagged."""
    from curator.publishing import privacy
    page = (lambda: resources.text_of(db, res.id)) if db is not None else None
    return privacy.scan_resource(res.to_dict(), page_text=page)


def guard(db: Database, actor: Actor, res: resources.Resource, step: str,
          override_reason: str | None) -> dict:
    """Run the personal-data check; raise unless clean or overridden by an approver.

    Returns what to add to the step's audit event: for an override, the reason and the
    fingerprint of the text it covers.
    """
    hits = personal_data_hits(res, db)
    if not hits:
        return {}
    from curator.publishing import overrides, privacy
    if override_reason and override_reason.strip():
        check_approver(db, actor, res)
        return overrides.record_detail(hits, privacy.texts(res.to_dict()), override_reason)
    raise PersonalDataFound(privacy.describe(hits) + f" It was not {step}.", hits)


def transition(db: Database, actor: Actor, resource_id: str, action: str, *,
               reason: str = "", override_reason: str | None = None,
               despite: str | None = None) -> resources.Resource:
    """Move a resource through the workflow, or refuse saying why."""
    res = resources.get(db, resource_id)
    if res.in_trash:
        raise CuratorError("This resource is in the trash; restore it first.")
    allowed_from, target = TRANSITIONS[action]
    if res.status not in allowed_from:
        raise NotAllowed(f"This resource is {STATUS_WORDS[res.status]}, so it cannot be "
                         f"{PAST[action]}.")
    if action in ("send_back", "retire") and not reason.strip():
        raise CuratorError("Please give a reason: it is kept with the resource's history.")
    detail: dict = {"status": [res.status, target]}
    if reason.strip():
        detail["reason"] = reason.strip()
    if action == "approve":
        check_approver(db, actor, res)
        detail.update(guard(db, actor, res, "approved", override_reason))
        detail.update(cautions.check(db, res, "approved", despite))
    elif action == "submit":
        detail.update(guard(db, actor, res, "submitted", override_reason))
        detail.update(cautions.check(db, res, "submitted", despite))
    extra = ""
    params: list = [target, clock.now_iso()]
    if action == "retire":
        extra = ", retired_reason = ?"
        params.append(reason.strip())
    elif action == "reinstate":
        extra = ", retired_reason = NULL"
    db.execute(f"UPDATE resources SET status = ?, updated_at = ?{extra}, version = version + 1"
               f" WHERE id = ?", [*params, res.id])
    events.record(db, actor, f"workflow.{target}", "resource", res.id, detail)
    resources.queue_index(db, res.id)
    after = resources.get(db, res.id)
    if action == "approve":
        published.keep(db, after, resources.PUBLIC_FIELDS, actor.name)
        approved_text.keep(db, res.id, actor.name)  # what the page said when approved
    elif action == "retire" or (action == "send_back" and res.status == "approved"):
        published.drop(db, res.id)  # out of future bundles
    return after


def available(db: Database, actor: Actor, res: resources.Resource,
              has_change: bool = False) -> list[str]:
    """The steps this expert may take on this resource now, for the app to offer."""
    if res.in_trash:
        return ["restore"]
    steps: list[str] = []
    if res.status != "retired":
        steps += ["confirm", "replace_link"]
        if has_change:
            steps.append("accept_change")
    if res.status == "draft":
        steps.append("submit")
    is_lead = actor.id in approvers_of(db, res.themes)
    if res.status == "submitted" and is_lead:
        try:
            check_approver(db, actor, res)
            steps.append("approve")
        except NotAllowed:
            pass
    if res.status in ("submitted", "approved") and is_lead:
        steps.append("send_back")
    steps.append("reinstate" if res.status == "retired" else "retire")
    return steps
