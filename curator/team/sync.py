"""One pass over the team folder: send what waits, take in what is new.

Run at start, every few minutes while the app is open, and on File › Sync now or
``curator team sync``. Each file is checked before anything is trusted: it must be whole
(a file a sync client is still writing is skipped and tried next time), a signed Curator
team file, signed by a key in the register, unchanged since signing, addressed to this
library's owner, and new. A refused file changes nothing; every file taken in is applied
in one transaction together with the note that it was applied, so none is applied twice.
Reading the folder never runs anything and never follows a link out of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from curator.base import clock
from curator.base.background import CancelFn
from curator.base.errors import CuratorError
from curator.base.words import plural, verb
from curator.storage.events import Actor
from curator.storage.store import Store
from curator.team import decisions, identity, keys, register, sealed, submissions
from curator.team import folder as team_folder
from curator.team.register import Person, Register


@dataclass
class SyncReport:
    folder: str
    reachable: bool = True
    sent: list[str] = field(default_factory=list)
    written: int = 0
    waiting: int = 0
    received: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    not_ready: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"folder": self.folder, "reachable": self.reachable, "sent": self.sent,
                "written": self.written, "waiting": self.waiting, "received": self.received,
                "decisions": self.decisions,
                "refused": [{"file": f, "reason": r} for f, r in self.refused],
                "not_ready": self.not_ready, "notes": self.notes}

    def lines(self) -> list[str]:
        out: list[str] = []
        if not self.reachable:
            out.append(f"The team folder {self.folder} cannot be reached right now. "
                       f"{_waiting(self.waiting)}; nothing is lost.")
        out += [f"Sent for approval: “{title}”." for title in self.sent]
        out += [f"Awaiting your approval: {line}." for line in self.received]
        out += [f"Decision: {line}." for line in self.decisions]
        out += [f"Refused {name}: {why}. Nothing was changed." for name, why in self.refused]
        if self.not_ready:
            n = len(self.not_ready)
            out.append(f"{plural(n, 'file')} {verb(n, 'is', 'are')} still being copied; "
                       f"{verb(n, 'it', 'they')} will be read next time.")
        out += self.notes
        if self.reachable and self.waiting:
            out.append(f"{_waiting(self.waiting)}.")
        if not out:
            out.append("Up to date: nothing new in the team folder.")
        return out


def _waiting(n: int) -> str:
    return f"{plural(n, 'file')} {verb(n, 'waits', 'wait')} to go out"


def run(store: Store, acting: Actor | None, cancel: CancelFn = None,
        receive: bool = True) -> SyncReport:
    folder = team_folder.require_folder(store)
    report = SyncReport(str(folder))
    if not team_folder.reachable(folder):
        report.reachable = False
        report.waiting = len(team_folder.waiting(store))
        return report
    reg = me = None
    try:
        reg = register.load_for(store, remember=True)
        key = keys.load()
        me = identity.me(reg, key, acting)
    except CuratorError as exc:
        report.notes.append(exc.message)
    if reg is not None and me is not None and not store.read_only:
        report.sent, waits = submissions.send_pending(store, reg, key, me)
        report.notes += waits
    flushed = team_folder.flush(store, folder)
    report.written, report.waiting = len(flushed.written), flushed.waiting
    if flushed.problem:
        report.notes.append(flushed.problem)
    if reg is None or me is None or store.read_only or not receive:
        return report
    known = {r["name"] for r in store.query("SELECT name FROM team_received UNION "
                                            "SELECT name FROM team_outbox")}
    for sub, handler, bucket in ((team_folder.SUBMISSIONS, submissions.take_in, report.received),
                                 (team_folder.DECISIONS, decisions.apply, report.decisions)):
        for path in team_folder.candidates(folder, sub):
            if cancel and cancel():
                return report
            if path.name in known or team_folder.named_for_others(path.name, me.key):
                continue  # read before, or not for me: not opened again
            _one(store, reg, me, path, handler, bucket, report)
    return report


def _one(store: Store, reg: Register, me: Person, path: Path, handler, bucket: list,
         report: SyncReport) -> None:
    name = path.name
    try:
        item = sealed.read_path(path)
    except sealed.NotReady:
        report.not_ready.append(name)
        return
    except sealed.Refused as exc:
        report.refused.append((name, exc.message))
        return
    db = store.db
    seen = db.execute("SELECT name FROM team_received WHERE file_id = ?", (item.id,)).fetchone()
    if seen is not None:
        if seen["name"] != name:
            report.refused.append((name, f"it was already applied (it is a copy of "
                                         f"{seen['name']})"))
        return
    if db.execute("SELECT 1 FROM team_outbox WHERE file_id = ?", (item.id,)).fetchone():
        return  # one of ours
    to = item.body.get("to")
    if not isinstance(to, list) or me.key not in to:
        if item.kind == "decision" and db.execute(
                "SELECT 1 FROM team_sent WHERE submission_id = ?",
                (str(item.body.get("submission")),)).fetchone():
            report.refused.append((name, "it is about your submission but addressed to "
                                         "someone else"))
        return  # for someone else
    expected = "submission" if handler is submissions.take_in else "decision"
    try:
        if item.kind != expected:
            raise sealed.Refused(f"it is a {item.kind} file in the {expected}s folder")
        sealed.check_signature(item)
        signer = reg.by_key(item.signer_key)
        if signer is None:
            raise sealed.Refused("it is signed by a key that is not in the team register")
        if signer.key == me.key:
            raise sealed.Refused("it claims to be from you, but this library did not write it")
        with store.write("take in a file from the team folder") as wdb:
            if wdb.execute("SELECT 1 FROM team_received WHERE file_id = ?",
                           (item.id,)).fetchone():
                return  # taken in meanwhile (by the app and the command line at once)
            line = handler(wdb, reg, me, item, name)
            wdb.execute("INSERT INTO team_received (file_id, kind, name, signer_name, "
                        "signer_key, received_at, content) VALUES (?,?,?,?,?,?,?)",
                        (item.id, item.kind, name, signer.name, signer.key, clock.now_iso(),
                         item.text if item.kind == "decision" else ""))
    except CuratorError as exc:
        report.refused.append((name, exc.message))
        return
    except (TypeError, ValueError, KeyError, AttributeError):
        # Signed, but laid out in a way no Curator writes: refused, never half-applied.
        report.refused.append((name, "it is not laid out as a Curator team file"))
        return
    bucket.append(line)


def status(store: Store, acting: Actor | None) -> dict:
    """What the team folder looks like from here, without reading it (works offline)."""
    folder = team_folder.team_folder(store)
    out = {"folder": str(folder) if folder else None,
           "reachable": team_folder.reachable(folder),
           "waiting": team_folder.waiting(store),
           "pending_submissions": len(submissions.pending(store.db)),
           "awaiting_approval": awaiting(store),
           "sent": sent(store), "me": None, "shared": False, "key": None, "note": ""}
    try:
        key = keys.load(create=False)
        out["key"] = keys.key_id(key.public)
        if folder and team_folder.reachable(folder):
            reg = register.load_for(store)
            person = identity.me(reg, key, acting)
            owner = reg.by_key(keys.own(create=False).public)
            out["me"], out["shared"] = person.name, bool(owner and owner.shared_library)
    except CuratorError as exc:
        out["note"] = exc.message
    return out


def awaiting(store: Store) -> list[dict]:
    """Submissions taken in here and not decided yet: who sent what, and when."""
    return [dict(r) for r in store.query(
        "SELECT i.submission_id, i.resource_id, r.title, r.url, i.sender_name, i.sent_at, "
        "i.received_at FROM team_inbox i JOIN resources r ON r.id = i.resource_id "
        "WHERE i.outcome IS NULL AND r.status = 'submitted' AND r.deleted_at IS NULL "
        "ORDER BY i.sent_at")]


def sent(store: Store) -> list[dict]:
    """Submissions sent from here, latest first, with their decisions when they came."""
    return [dict(r) for r in store.query(
        "SELECT s.submission_id, s.resource_id, r.title, s.sent_at, s.outcome, s.decided_by, "
        "s.decided_at, s.reason FROM team_sent s JOIN resources r ON r.id = s.resource_id "
        "ORDER BY s.sent_at DESC, s.rowid DESC")]
