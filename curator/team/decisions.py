"""A lead's decision on a submission, signed, and applying it in the sender's library.

On the lead's side, approving or sending back a resource that came as a submission is
the core's own step (:func:`curator.publishing.workflow.transition`: only a lead of the
theme, four eyes), plus the same rules checked against keys: the lead's key must be an
approver of the theme in the register, and under four eyes it must not be the key that
sent it. The signed decision is queued in the same transaction as the step.

On the sender's side the decision is applied through the same core step, acting as the
lead the key belongs to, so the library's rules hold there too. A decision that is not
addressed to this library, not about a submission it sent, about an older version, or
already applied, is refused and nothing changes.
"""

from __future__ import annotations

import json

from curator.base.errors import CuratorError, NotAllowed
from curator.catalogue import resources
from curator.publishing import workflow
from curator.storage import events
from curator.storage.events import Actor
from curator.team import folder as team_folder
from curator.team import identity, keys, register, sealed
from curator.team.register import Person, Register

OUTCOMES = {"approve": "approved", "send_back": "sent_back"}


def open_submission(db, resource_id: str):
    """The latest submission of this resource taken in here and not decided yet, or None."""
    return db.execute("SELECT * FROM team_inbox WHERE resource_id = ? AND outcome IS NULL "
                      "ORDER BY sent_at DESC LIMIT 1", (resource_id,)).fetchone()


def on_step(db, store, actor: Actor, res: resources.Resource, action: str,
            reason: str) -> str | None:
    """Called inside the approve/send-back transaction of a library with a team folder.
    A library has one owner: only the person of this computer's key may decide (unless
    the register marks the library as shared). For a resource that came from the team
    folder, check the step against keys too, then sign and queue the decision. Raising
    undoes the step."""
    if action not in OUTCOMES:
        return None
    row = open_submission(db, res.id)
    if row is None:
        # The library's own resource: only the owner rule applies, once the register
        # names this computer's key (before that, the library works as it always has).
        try:
            reg, key = register.load_for(store), keys.load(create=False)
        except CuratorError:
            return None
        if reg.by_key(key.public) is not None:
            identity.me(reg, key, actor)
        return None
    reg = register.load_for(store)
    key = keys.load()
    me = identity.me(reg, key, actor)
    themes = res.themes
    if not reg.may_decide(me.key, themes):
        raise NotAllowed(f"Only a lead or deputy of {', '.join(themes)} in the team register "
                         f"can decide on this resource; {me.name} is not one there.")
    if action == "approve" and me.key == row["sender_key"]:
        raise NotAllowed("This needs four eyes: you sent this resource for approval, so "
                         "someone else must approve it.")
    outcome = OUTCOMES[action]
    # What the lead went ahead past (a personal-data warning, a caution), with their
    # reason: the sender's library needs the same to take the same step.
    last = db.execute("SELECT detail FROM events WHERE entity = 'resource' AND entity_id = ? "
                      "AND action LIKE 'workflow.%' ORDER BY id DESC LIMIT 1",
                      (res.id,)).fetchone()
    step = json.loads(last["detail"]) if last else {}
    past = {k: v for k, v in (("override_reason", step.get("personal_data_override")),
                              ("despite", step.get("despite"))) if v}
    body = sealed.new_body("decision", key, me.name, to=[row["sender_key"]],
                           submission=row["submission_id"], resource_id=res.id,
                           outcome=outcome, reason=reason.strip(),
                           content_fingerprint=row["content_fingerprint"],
                           title=res.title, **past)
    text = sealed.seal(key, body)
    name = team_folder.file_name("decision", body["id"], body["to"])
    team_folder.queue(db, body["id"], "decision", team_folder.DECISIONS, name, text, res.id)
    db.execute("UPDATE team_inbox SET outcome = ?, decided_at = ?, reason = ? "
               "WHERE submission_id = ?", (outcome, body["created_at"], reason.strip(),
                                           row["submission_id"]))
    events.record(db, actor, "team.decided", "resource", res.id,
                  {"decision": body["id"], "outcome": outcome, "to": row["sender_name"]})
    return name


def apply(db, reg: Register, me: Person, item: sealed.Sealed, file_name: str) -> str:
    """Apply a decision addressed to me about a submission I sent. Returns a report line."""
    body = item.body
    lead = reg.by_key(item.signer_key)
    sent = db.execute("SELECT * FROM team_sent WHERE submission_id = ?",
                      (str(body.get("submission")),)).fetchone()
    if sent is None:
        raise sealed.Refused("it is about a submission this library did not send")
    outcome = body.get("outcome")
    if outcome not in OUTCOMES.values():
        raise sealed.Refused("it does not say approved or sent back")
    if sent["outcome"]:
        raise sealed.Refused("a decision on this submission was already applied")
    themes = json.loads(sent["themes"])
    if not reg.may_decide(lead.key, themes):
        raise sealed.Refused(f"it is signed by {lead.name}, who is not a lead or deputy of "
                             f"{', '.join(themes)} in the team register")
    if outcome == "approved" and lead.key == me.key:
        raise sealed.Refused("it approves your own submission, and approval needs four eyes")
    if body.get("content_fingerprint") != sent["content_fingerprint"]:
        raise sealed.Refused("it is about a different version of the resource than the one "
                             "sent")
    newer = db.execute("SELECT 1 FROM team_sent WHERE resource_id = ? AND version > ?",
                       (sent["resource_id"], sent["version"])).fetchone()
    if newer:
        raise sealed.Refused("it is older than what this library holds: the resource was "
                             "sent again since")
    res = resources.get(db, sent["resource_id"])
    if res.status != "submitted" or res.version != sent["version"]:
        raise sealed.Refused(f"the resource changed here after it was sent (it is now "
                             f"{workflow.STATUS_WORDS[res.status]})")
    actor = Actor(*identity.local_expert(db, lead.name))
    reason = str(body.get("reason") or "")
    action = "approve" if outcome == "approved" else "send_back"
    try:
        workflow.transition(db, actor, res.id, action, reason=reason,
                            override_reason=_text(body.get("override_reason")),
                            despite=_text(body.get("despite")))
    except NotAllowed as exc:
        raise sealed.Refused(f"{exc.message} (If the team register says otherwise, adopt "
                             "it: curator team adopt, then sync again.)") from None
    except CuratorError as exc:
        raise sealed.Refused(exc.message) from None
    db.execute("UPDATE team_sent SET outcome = ?, decided_by = ?, decided_at = ?, reason = ? "
               "WHERE submission_id = ?", (outcome, lead.name, body["created_at"], reason,
                                           sent["submission_id"]))
    events.record(db, actor, "team.decision", "resource", res.id,
                  {"decision": item.id, "outcome": outcome, "by": lead.name,
                   "decided_at": body["created_at"], "key": keys.key_id(lead.key),
                   **({"reason": reason} if reason else {})})
    title = res.title or res.url
    when = identity.shown(body["created_at"])
    if outcome == "approved":
        return f"“{title}” approved by {lead.name} on {when}"
    return f"“{title}” sent back by {lead.name} on {when}: {reason}"



def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
