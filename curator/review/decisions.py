"""The decisions an expert records in review, each stored as an attestation.

Confirm, update, replace link, retire or accept a page change: who, when, outcome, note
and the next due date. What needs deciding is in :mod:`curator.review.queue`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError
from curator.catalogue import resources, review_dates, themes
from curator.catalogue.review_dates import intervals
from curator.catalogue.urls import check_url, normalise_url, same_page_keys
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store

if TYPE_CHECKING:
    from sqlite_utils import Database

if TYPE_CHECKING:
    from curator.context import Context


def attest(db: Database, actor: Actor, resource_id: str, outcome: str, note: str = "",
           today: dt.date | None = None) -> str | None:
    """Record a decision and move the review date on. Returns the next due date."""
    today = today or clock.today()
    res = resources.get(db, resource_id)
    next_due = None
    if outcome != "retired":
        months = review_dates.interval_for(intervals(db, res.themes))
        next_due = review_dates.due_after(today, months).isoformat()
        db.execute("UPDATE resources SET last_reviewed = ?, review_due = ? WHERE id = ?",
                   (today.isoformat(), next_due, res.id))
    db.execute("INSERT INTO reviews (resource_id, expert_id, expert_name, at, outcome, note,"
               " next_due) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (res.id, actor.id, actor.name, clock.now_iso(), outcome, note or "", next_due))
    events.record(db, actor, f"review.{outcome}", "resource", res.id,
                  {"note": note or "", "next_due": next_due})
    resources.queue_index(db, res.id)
    return next_due


def confirm(db: Database, actor: Actor, resource_id: str, note: str = "") -> str | None:
    """Still valid: the expert attests it, and flags they looked at are cleared."""
    res = resources.get(db, resource_id)
    db.execute("UPDATE resources SET withdrawn_kind = NULL, withdrawn_message = NULL, "
               "replacement_url = NULL WHERE id = ?", (res.id,))
    db.execute("DELETE FROM page_changes WHERE resource_id = ?", (res.id,))
    return attest(db, actor, res.id, "confirmed", note)


def accept_change(db: Database, actor: Actor, resource_id: str, note: str = "") -> str | None:
    """Take the page's new text as the stored text, and record the review."""
    from curator.review import pagechange
    res = resources.get(db, resource_id)
    row = db.execute("SELECT new_text FROM page_changes WHERE resource_id = ?",
                     (res.id,)).fetchone()
    if row is None:
        raise CuratorError("There is no page change waiting for this resource.")
    db.execute("UPDATE resource_text SET text = ? WHERE resource_id = ?",
               (row["new_text"], res.id))
    db.execute("UPDATE resources SET fingerprint = ? WHERE id = ?",
               (pagechange.fingerprint(row["new_text"]), res.id))
    db.execute("DELETE FROM page_changes WHERE resource_id = ?", (res.id,))
    return attest(db, actor, res.id, "change_accepted", note)


def replace_link(db: Database, actor: Actor, resource_id: str, new_url: str,
                 note: str = "") -> str | None:
    """Point a resource at a new address; the old one stays in its history."""
    res = resources.get(db, resource_id)
    url = check_url(new_url).url
    keys = same_page_keys(url)
    marks = ",".join("?" * len(keys))
    other = db.execute(f"SELECT id FROM resources WHERE (norm_url IN ({marks}) OR "
                       f"canonical_norm IN ({marks})) AND id != ?",
                       [*keys, *keys, res.id]).fetchone()
    if other is not None:
        raise CuratorError(f"Another resource already has that address ({other['id'][:8]}).")
    db.execute(
        "UPDATE resources SET url = ?, norm_url = ?, canonical_url = NULL, canonical_norm = "
        "NULL, link_health = 'unchecked', link_outcome = NULL, link_message = NULL, "
        "link_new_url = NULL, link_failing_since = NULL, withdrawn_kind = NULL, "
        "withdrawn_message = NULL, replacement_url = NULL, version = version + 1, "
        "updated_by = ?, updated_at = ? WHERE id = ?",
        (url, normalise_url(url), actor.id, clock.now_iso(), res.id))
    db.execute("DELETE FROM page_changes WHERE resource_id = ?", (res.id,))
    events.record(db, actor, "resource.replace_link", "resource", res.id,
                  {"url": [res.url, url], "note": note or ""})
    if res.status == "approved":
        db.execute("UPDATE resources SET status = 'submitted' WHERE id = ?", (res.id,))
        events.record(db, actor, "workflow.submitted", "resource", res.id,
                      {"status": ["approved", "submitted"],
                       "reason": "the link changed after approval"})
    return attest(db, actor, res.id, "link_replaced", note)


def history(db: Database, resource_id: str) -> list[dict]:
    return [dict(r) for r in db.execute(
        "SELECT at, expert_name AS expert, outcome, note, next_due FROM reviews "
        "WHERE resource_id = ? ORDER BY id", (resource_id,))]


def pending_change(db: Database, resource_id: str):
    """(old text, new text) when a page change waits for review, else None."""
    row = db.execute("SELECT new_text FROM page_changes WHERE resource_id = ?",
                     (resource_id,)).fetchone()
    if row is None:
        return None
    return resources.text_of(db, resource_id), row["new_text"]


# -- as services: each decision in its own transaction, then the index catches up ---------
def decide(ctx: Context, step, resource_id: str, *args) -> resources.Resource:
    """Record one decision (:func:`confirm`, :func:`replace_link`, :func:`accept_change`)."""
    with ctx.store.write("record your review") as db:
        step(db, ctx.actor, resources.get(db, resource_id).id, *args)
        res = resources.get(db, resource_id)
    ctx.refresh_index()
    return res


def update_and_confirm(ctx: Context, resource_id: str, changes: dict, note: str = "",
                       expected_version: int | None = None) -> resources.Resource:
    """The review's "update": edit, then confirm, as one decision."""
    if "themes" in changes:
        changes = {**changes, "themes": themes.resolve_codes(ctx.store, changes["themes"])}
    values = resources.clean_fields(changes)
    with ctx.store.write("save and confirm") as db:
        resources.update(db, ctx.actor, resource_id, values, expected_version=expected_version)
        confirm(db, ctx.actor, resources.get(db, resource_id).id, note)
        res = resources.get(db, resource_id)
    ctx.refresh_index()
    return res


def page_change(store: Store, resource_id: str):
    """The readable diff of a changed page waiting for review, or None."""
    from curator.review import pagechange
    pair = pending_change(store.db, resource_id)
    return None if pair is None else pagechange.readable_diff(*pair)
