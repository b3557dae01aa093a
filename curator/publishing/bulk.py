"""Bulk actions on a selection of resources: each resource still checked by the rules.

One action (add a theme, set the type, submit, approve, confirm, retire...) is applied to
every resource in the selection, in one transaction. Each resource is tried on its own
(inside a savepoint): one the rules refuse (not a lead, four eyes, personal data, the wrong
status...) is listed with the reason and left exactly as it was, and the rest are done.

The result also says how to put back what was done, so that one Undo undoes the whole
action (:func:`undo`). A change of fields is put back as an edit, guarded so it never
writes over a change made since. A step (submit, approve, confirm, retire) is put back
only by the expert who took it and only while nothing else has happened to the resource
since: then its status, review dates, published version and the page text kept at its
approval return to what they were, and the undo is recorded in its history like any
other change.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError, NotFound
from curator.catalogue import resources, themes
from curator.publishing import workflow
from curator.review import decisions
from curator.storage import events
from curator.storage.events import Actor

if TYPE_CHECKING:
    from sqlite_utils import Database

    from curator.context import Context

#: The field changes, and the field each one changes.
FIELD_ACTIONS = {"add_themes": "themes", "remove_themes": "themes", "add_tags": "tags",
                 "remove_tags": "tags", "set_type": "type", "set_audience": "audience"}
#: The steps in the workflow and in review.
STEP_ACTIONS = ("submit", "approve", "confirm", "retire")
ACTIONS = (*FIELD_ACTIONS, *STEP_ACTIONS)
#: How each action reads in a sentence ("12 submitted").
DONE_WORDS = {"add_themes": "given the theme", "remove_themes": "taken off the theme",
              "add_tags": "tagged", "remove_tags": "untagged", "set_type": "given the type",
              "set_audience": "given the audience", "submit": "submitted",
              "approve": "approved", "confirm": "confirmed as still valid",
              "retire": "retired", "undo": "put back"}
#: A selection larger than this is refused: split it (the app's lists stay far below).
MAX_SELECTION = 5000
#: A resource already in the status a step leads to is counted as already so, not refused.
_ALREADY = {"submit": "submitted", "approve": "approved", "retire": "retired"}
#: Resource columns a step may change, put back by an undo.
_STATE_COLUMNS = ("status", "retired_reason", "last_reviewed", "review_due", "withdrawn_kind",
                  "withdrawn_message", "replacement_url")

#: Called inside the transaction after each workflow step (the facade's team-folder step).
StepHook = Callable[["Database", resources.Resource, str, str], None]


@dataclass
class Refusal:
    resource_id: str
    title: str
    reason: str

    def to_dict(self) -> dict:
        return {"id": self.resource_id, "title": self.title, "reason": self.reason}


@dataclass
class BulkResult:
    """What a bulk action did: the ids done, those already so, and those refused, why."""

    action: str
    value: object = None
    done: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    #: How to put back each resource done (for :func:`undo`); not for showing.
    undo_items: list[dict] = field(default_factory=list)
    #: The options the action was given (reason, note...), so a redo repeats it exactly.
    options: dict = field(default_factory=dict)

    def summary(self) -> str:
        """In words: "12 submitted. 3 were not: see why below." """
        words = DONE_WORDS.get(self.action, "done")
        if self.action in FIELD_ACTIONS and self.value not in (None, "", []):
            shown = self.value if isinstance(self.value, str) else ", ".join(self.value)
            words = f"{words} {shown}"
        parts = [f"{len(self.done)} {words}."]
        if self.unchanged:
            n = len(self.unchanged)
            parts.append(f"{n} already {'was' if n == 1 else 'were'} so.")
        if self.refused:
            n = len(self.refused)
            parts.append(f"{n} {'was' if n == 1 else 'were'} not: see why below.")
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {"action": self.action, "done": self.done, "unchanged": self.unchanged,
                "refused": [r.to_dict() for r in self.refused], "summary": self.summary()}


def _label(res: resources.Resource) -> str:
    return res.title or res.url


@contextlib.contextmanager
def _each(db: Database, out: BulkResult, rid: str, title: str = ""):
    """One resource's part of the action, undone alone (a savepoint) if refused."""
    db.execute("SAVEPOINT bulk_item")
    try:
        yield
    except CuratorError as exc:
        db.execute("ROLLBACK TO bulk_item")
        db.execute("RELEASE bulk_item")
        out.refused.append(Refusal(rid, title or rid, exc.message))
        return
    db.execute("RELEASE bulk_item")


def _unique(ids: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for rid in ids:
        rid = str(rid or "").strip()
        if rid and rid not in seen:
            seen.append(rid)
    if len(seen) > MAX_SELECTION:
        raise CuratorError(f"That is {len(seen):,} resources at once; the most is "
                           f"{MAX_SELECTION:,}. Choose fewer and do the rest after.")
    return seen


def check_value(ctx: Context, action: str, value):
    """The action's value, checked once for the whole selection (a bad theme code or type
    is the person's typing, not a refusal of one resource)."""
    if action not in ACTIONS:
        raise CuratorError(f"'{action}' is not something Curator can do to a selection.")
    if action in ("add_themes", "remove_themes"):
        codes = themes.resolve_codes(ctx.store, [value] if isinstance(value, str) else value)
        if not codes:
            raise CuratorError("Choose a theme.")
        return codes
    if action in ("add_tags", "remove_tags"):
        raw = [value] if isinstance(value, str) else list(value or ())
        tags = resources.clean_tags([t for item in raw for t in str(item).split(",")])
        if not tags:
            raise CuratorError("Type a tag (separate several with commas).")
        return tags
    if action == "set_type":
        if not str(value or "").strip():
            raise CuratorError("Choose a type.")
        return resources.clean_fields({"type": value})["type"]
    if action == "set_audience":
        return resources.clean_fields({"audience": list(value or ())})["audience"]
    return None


def _new_value(action: str, current, value):
    if action == "add_themes" or action == "add_tags":
        have = {str(v).casefold() for v in current}
        return list(current) + [v for v in value if str(v).casefold() not in have]
    if action == "remove_themes" or action == "remove_tags":
        gone = {str(v).casefold() for v in value}
        return [v for v in current if str(v).casefold() not in gone]
    return value


def _snapshot(db: Database, rid: str) -> dict:
    row = db.execute(f"SELECT {', '.join(_STATE_COLUMNS)} FROM resources WHERE id = ?",
                     (rid,)).fetchone()
    pub = db.execute("SELECT fields, approved_by, approved_at FROM published_versions "
                     "WHERE resource_id = ?", (rid,)).fetchone()
    change = db.execute("SELECT detected_at, new_text, new_fingerprint, similarity FROM "
                        "page_changes WHERE resource_id = ?", (rid,)).fetchone()
    last_review = db.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]
    text = db.execute("SELECT text, approved_at, approved_by FROM approved_texts "
                      "WHERE resource_id = ?", (rid,)).fetchone()
    return {"state": {k: row[k] for k in _STATE_COLUMNS},
            "published": dict(pub) if pub else None,
            "approved_text": dict(text) if text else None,
            "page_change": dict(change) if change else None,
            "reviews_upto": last_review}


def _last_event(db: Database, rid: str) -> int:
    row = db.execute("SELECT COALESCE(MAX(id), 0) FROM events WHERE entity = 'resource' "
                     "AND entity_id = ?", (rid,)).fetchone()
    return int(row[0])


def _step(db: Database, actor: Actor, res: resources.Resource, action: str, options: dict,
          hook: StepHook | None) -> None:
    if action in ("submit", "approve"):
        workflow.transition(db, actor, res.id, action,
                            override_reason=options.get("override_reason"),
                            despite=options.get("despite"))
        if hook is not None:
            hook(db, resources.get(db, res.id), action, "")
    elif action == "retire":
        reason = str(options.get("reason") or "")
        workflow.transition(db, actor, res.id, "retire", reason=reason)
        decisions.attest(db, actor, res.id, "retired", reason.strip())
    elif action == "confirm":
        if res.in_trash:
            raise CuratorError("This resource is in the trash; restore it first.")
        if res.status == "retired":
            raise CuratorError("This resource is retired, so it has no review to confirm.")
        decisions.confirm(db, actor, res.id, str(options.get("note") or ""))


def run(ctx: Context, ids: Iterable[str], action: str, value=None, *,
        hook: StepHook | None = None, **options) -> BulkResult:
    """Apply *action* (one of :data:`ACTIONS`) with *value* to every resource in *ids*.

    *options*: ``reason`` (retire: required), ``note`` (confirm), ``override_reason`` and
    ``despite`` (submit, approve: as for one resource)."""
    value = check_value(ctx, action, value)
    if action == "retire" and not str(options.get("reason") or "").strip():
        raise CuratorError("Please give a reason for retiring them: it is kept with each "
                           "resource's history.")
    ids = _unique(ids)
    out = BulkResult(action, value, options={k: v for k, v in options.items() if v})
    actor = ctx.actor
    with ctx.store.write("change the selected resources") as db:
        for rid in ids:
            try:
                res = resources.get(db, rid)
            except NotFound as exc:
                out.refused.append(Refusal(rid, rid, exc.message))
                continue
            with _each(db, out, res.id, _label(res)):
                if action in FIELD_ACTIONS:
                    _change_field(db, actor, res, action, value, out)
                elif _ALREADY.get(action) == res.status and not res.in_trash:
                    out.unchanged.append(res.id)
                else:
                    before = _snapshot(db, res.id)
                    _step(db, actor, res, action, options, hook)
                    after = resources.get(db, res.id)
                    out.done.append(res.id)
                    out.undo_items.append({"id": res.id, "kind": "state", "action": action,
                                           **before, "version_after": after.version,
                                           "event_after": _last_event(db, res.id),
                                           "by": actor.id, "at": clock.now_iso()})
    ctx.refresh_index()
    return out


def _change_field(db: Database, actor: Actor, res: resources.Resource, action: str, value,
                  out: BulkResult) -> None:
    name = FIELD_ACTIONS[action]
    if res.in_trash:
        raise CuratorError("This resource is in the trash; restore it first.")
    old = getattr(res, name)
    new = _new_value(action, old, value)
    if new == old or (isinstance(old, list) and sorted(map(str, new)) == sorted(map(str, old))):
        out.unchanged.append(res.id)
        return
    resources.update(db, actor, res.id, resources.clean_fields({name: new}))
    out.done.append(res.id)
    out.undo_items.append({"id": res.id, "kind": "fields", "before": {name: old},
                           "after": {name: new}})


def undo(ctx: Context, done: BulkResult) -> BulkResult:
    """Put back what *done* did, resource by resource; one changed since is left alone and
    listed with the reason."""
    out = BulkResult("undo", done.action)
    actor = ctx.actor
    with ctx.store.write("undo the change to the selected resources") as db:
        for item in reversed(done.undo_items):
            rid = item["id"]
            try:
                title = _label(resources.get(db, rid))
            except NotFound as exc:
                out.refused.append(Refusal(rid, rid, exc.message))
                continue
            with _each(db, out, rid, title):
                if item["kind"] == "fields":
                    _refuse_if_changed(resources.get(db, rid), item["after"])
                    before = resources.clean_fields(item["before"])
                    resources.update(db, actor, rid, before, action="resource.edit",
                                     extra={"undo": done.action})
                else:
                    _put_back(db, actor, item)
                out.done.append(rid)
    out.done.reverse()
    ctx.refresh_index()
    return out


def _same(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return sorted(str(x).casefold() for x in a or []) == \
            sorted(str(x).casefold() for x in b or [])
    return (a or None) == (b or None)


def _refuse_if_changed(res: resources.Resource, after: dict) -> None:
    """An undo never writes over a change made since the action."""
    if any(not _same(getattr(res, name), value) for name, value in after.items()):
        raise CuratorError("It has changed since, so it was left as it is now.")


def _put_back(db: Database, actor: Actor, item: dict) -> None:
    rid = item["id"]
    res = resources.get(db, rid)
    if actor.id != item["by"]:
        raise CuratorError("Only the expert who did this can undo it.")
    if res.version != item["version_after"] or _last_event(db, rid) != item["event_after"]:
        raise CuratorError("It has changed since, so it was left as it is now.")
    if _went_to_team(db, rid, item["at"]):
        raise CuratorError("It has gone to the team folder since; send it back instead.")
    state = item["state"]
    sets = ", ".join(f"{k} = ?" for k in state)
    db.execute(f"UPDATE resources SET {sets}, updated_at = ?, version = version + 1 "
               f"WHERE id = ?", [*state.values(), clock.now_iso(), rid])
    db.execute("DELETE FROM published_versions WHERE resource_id = ?", (rid,))
    if item["published"]:
        pub = item["published"]
        db.execute("INSERT INTO published_versions (resource_id, fields, approved_by, "
                   "approved_at) VALUES (?, ?, ?, ?)",
                   (rid, pub["fields"], pub["approved_by"], pub["approved_at"]))
    db.execute("DELETE FROM approved_texts WHERE resource_id = ?", (rid,))
    if item.get("approved_text"):
        kept = item["approved_text"]
        db.execute("INSERT INTO approved_texts (resource_id, text, approved_at, approved_by) "
                   "VALUES (?, ?, ?, ?)",
                   (rid, kept["text"], kept["approved_at"], kept["approved_by"]))
    if item["page_change"]:
        change = item["page_change"]
        db.execute("INSERT OR REPLACE INTO page_changes (resource_id, detected_at, new_text, "
                   "new_fingerprint, similarity) VALUES (?, ?, ?, ?, ?)",
                   (rid, change["detected_at"], change["new_text"], change["new_fingerprint"],
                    change["similarity"]))
    db.execute("DELETE FROM reviews WHERE resource_id = ? AND id > ?",
               (rid, item["reviews_upto"]))
    detail = {"undo": item["action"]}
    if res.status != state["status"]:
        detail["status"] = [res.status, state["status"]]
    events.record(db, actor, "bulk.undo", "resource", rid, detail)
    resources.queue_index(db, rid)


def _went_to_team(db: Database, rid: str, since: str) -> bool:
    return any(db.execute(sql, (rid, since)).fetchone() for sql in (
        "SELECT 1 FROM team_outbox WHERE resource_id = ? AND created_at >= ?",
        "SELECT 1 FROM team_sent WHERE resource_id = ? AND sent_at >= ?"))


def redo(ctx: Context, done: BulkResult, hook: StepHook | None = None) -> BulkResult:
    """Do again, to the same resources, what *done* did (each checked by the rules again)."""
    return run(ctx, done.done, done.action, done.value, hook=hook, **done.options)

