"""Sending a draft for approval to a lead on another laptop, and taking one in.

A resource submitted here whose theme's approvers (in the register) are other people is
sent as a **submission**: the resource with its note, page text and history, addressed
to those approvers' keys and signed by the sender. It is made at the next sync after the
submit (or right away when the folder is there), once per version of the resource.

On the lead's side a submission is taken in as a resource awaiting approval, clipped and
last edited by the sender (so the core's four-eyes rule keeps the sender from approving
their own work, by key as well as by name).
"""

from __future__ import annotations

import json

from curator.base import clock
from curator.base.errors import CuratorError
from curator.catalogue import resources
from curator.catalogue.urls import check_url, normalise_url, public_url
from curator.publishing.bundles import content_fingerprint
from curator.storage import events
from curator.storage.events import Actor
from curator.team import folder as team_folder
from curator.team import identity, sealed
from curator.team.register import Person, Register

#: What of a resource travels in a submission (never its fetch history or trash state).
SENT_FIELDS = ("id", "url", "title", "summary", "author", "site", "published", "type",
               "audience", "notes", "themes", "tags", "language", "review_due", "clipped_by",
               "clipped_at", "updated_by", "updated_at", "version", "canonical_url",
               "content_type", "content_size", "fetched_at")
#: Fields taken in from a submission and written to the resource.
TAKEN_FIELDS = ("title", "summary", "author", "site", "published", "type", "audience",
                "notes", "tags", "language")

PENDING_SQL = """
SELECT r.id FROM resources r
WHERE r.status = 'submitted' AND r.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM team_inbox i WHERE i.resource_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM team_sent s WHERE s.resource_id = r.id AND s.version = r.version)
ORDER BY r.updated_at
"""


def fingerprint_of(record: dict) -> str:
    """The content fingerprint a bundle would give this resource (web address as it
    leaves), so a decision can be matched with a released bundle."""
    return content_fingerprint({**record, "url": public_url(record["url"])})


def pending(db) -> list[str]:
    """Resources submitted here that have not gone to the team at their current version."""
    return [r[0] for r in db.execute(PENDING_SQL)]


def addressees(db, reg: Register, me: Person, res: resources.Resource) -> list[str]:
    """The keys a submission of *res* goes to: the approvers of its themes other than me.
    Empty when I may approve it myself here."""
    keys = reg.approver_keys(res.themes)
    if me.key not in keys:
        return keys
    row = db.execute("SELECT c.name AS c, u.name AS u FROM resources r LEFT JOIN experts c ON "
                     "c.id = r.clipped_by LEFT JOIN experts u ON u.id = r.updated_by "
                     "WHERE r.id = ?", (res.id,)).fetchone()
    mine = {(row["c"] or "").casefold(), (row["u"] or "").casefold()} & {me.name.casefold()}
    if reg.four_eyes(res.themes) and mine:
        return [k for k in keys if k != me.key]
    return []


def send_pending(store, reg: Register, key, me: Person) -> tuple[list[str], list[str]]:
    """Sign and queue a submission for each resource waiting to go; returns (titles sent,
    reasons some wait)."""
    sent, waits = [], []
    for rid in pending(store.db):
        res = resources.get(store.db, rid)
        with store.write("send it for approval") as db:
            to = addressees(db, reg, me, res)
            if not to:
                codes = ", ".join(res.themes) or "its theme"
                if me.key not in reg.approver_keys(res.themes):
                    waits.append(f"“{res.title or res.url}” waits: the team register names no "
                                 f"lead for {codes}.")
                elif reg.four_eyes(res.themes):
                    waits.append(f"“{res.title or res.url}” waits: {codes} needs four eyes, "
                                 "and the team register names no other lead or deputy.")
                continue
            body = build(db, key, me, res, to)
            text = sealed.seal(key, body)
            name = team_folder.file_name("submission", body["id"], to)
            team_folder.queue(db, body["id"], "submission", team_folder.SUBMISSIONS, name, text,
                              res.id)
            db.execute("INSERT INTO team_sent (submission_id, resource_id, version, "
                       "content_fingerprint, themes, to_keys, sent_at) VALUES (?,?,?,?,?,?,?)",
                       (body["id"], res.id, res.version, body["content_fingerprint"],
                        json.dumps(res.themes), json.dumps(to), body["created_at"]))
            events.record(db, Actor(*_expert_row(db, me.name)), "team.sent", "resource", res.id,
                          {"submission": body["id"],
                           "to": [reg.by_key(k).name for k in to if reg.by_key(k)]})
        sent.append(res.title or res.url)
    return sent, waits


def _expert_row(db, name: str) -> tuple[int, str]:
    return identity.local_expert(db, name)


def build(db, key, me: Person, res: resources.Resource, to: list[str]) -> dict:
    record = {k: v for k, v in res.to_dict().items() if k in SENT_FIELDS}
    return sealed.new_body(
        "submission", key, me.name, to=to, themes=list(res.themes), resource=record,
        text=resources.text_of(db, res.id),
        history=events.history(db, "resource", res.id),
        content_fingerprint=fingerprint_of(record))


def take_in(db, reg: Register, me: Person, item: sealed.Sealed, file_name: str) -> str:
    """Take a submission addressed to me into this library as awaiting approval;
    :class:`~curator.team.sealed.Refused` says why not. Returns a line for the report."""
    body = item.body
    sender = reg.by_key(item.signer_key)
    record = body.get("resource")
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) \
            or not isinstance(record.get("url"), str):
        raise sealed.Refused("it does not hold a resource")
    rid = record["id"][:64]
    version = record.get("version")
    if not isinstance(version, int):
        raise sealed.Refused("it does not say which version of the resource it holds")
    newer = db.execute("SELECT sent_at, version FROM team_inbox WHERE resource_id = ? AND "
                       "(version >= ? OR sent_at > ?) LIMIT 1",
                       (rid, version, body["created_at"])).fetchone()
    if newer:
        raise sealed.Refused("it is older than the copy of this resource this library holds")
    try:
        checked = check_url(record["url"])
        values = resources.clean_fields({k: record.get(k) for k in TAKEN_FIELDS
                                         if record.get(k) is not None})
    except CuratorError as exc:
        raise sealed.Refused(f"its resource is not valid: {exc.message}") from None
    theme_codes = [identity.local_theme(db, reg, c) for c in body.get("themes") or []
                   if isinstance(c, str)]
    actor = Actor(*identity.local_expert(db, sender.name))
    text = body.get("text") if isinstance(body.get("text"), str) else ""
    existing = db.execute("SELECT id FROM resources WHERE id = ?", (rid,)).fetchone()
    if existing is None:
        clash = db.execute("SELECT id, title FROM resources WHERE norm_url = ?",
                           (normalise_url(checked.url),)).fetchone()
        if clash:
            raise sealed.Refused(f"this library already holds its web address as another "
                                 f"resource (“{clash['title']}”)")
        resources.insert(db, actor, {"url": checked.url, "norm_url": normalise_url(checked.url),
                                     **values, "themes": theme_codes}, text=text,
                         resource_id=rid)
    else:
        if not db.execute("SELECT 1 FROM team_inbox WHERE resource_id = ? AND sender_key = ?",
                          (rid, sender.key)).fetchone():
            raise sealed.Refused(f"this library has its own resource with that id, which "
                                 f"{sender.name} did not send; a submission never replaces it")
        resources.update(db, actor, rid, {**values, "themes": theme_codes},
                         action="team.resubmitted")
        db.execute("UPDATE resource_text SET text = ? WHERE resource_id = ?", (text, rid))
    db.execute("UPDATE resources SET status = 'submitted', updated_by = ?, updated_at = ?, "
               "clipped_at = coalesce(?, clipped_at) WHERE id = ?",
               (actor.id, clock.now_iso(), record.get("clipped_at"), rid))
    history = body.get("history") if isinstance(body.get("history"), list) else []
    db.execute("UPDATE team_inbox SET outcome = 'superseded' WHERE resource_id = ? AND "
               "outcome IS NULL", (rid,))
    db.execute("INSERT INTO team_inbox (submission_id, resource_id, sender_name, sender_key, "
               "sent_at, received_at, version, content_fingerprint, clipped_by, history) "
               "VALUES (?,?,?,?,?,?,?,?,?,?)",
               (item.id, rid, sender.name, sender.key, body["created_at"], clock.now_iso(),
                version, str(body.get("content_fingerprint") or ""),
                str(record.get("clipped_by") or ""), json.dumps(history, ensure_ascii=False)))
    events.record(db, actor, "team.received", "resource", rid,
                  {"submission": item.id, "from": sender.name, "sent_at": body["created_at"]})
    resources.queue_index(db, rid)
    title = values.get("title") or checked.url
    return f"“{title}” from {sender.name}, sent {identity.shown(body['created_at'])}"
