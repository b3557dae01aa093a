"""Releases: a portal bundle signed by the person who exports it, and checking one.

Beside ``BUNDLE.zip`` goes ``BUNDLE.zip.signature.json``, a signed team file of kind
``release`` holding the bundle's SHA-256 and, for every resource in it, the proof of its
approval: the lead's signed decision from the team folder, or (for an approval given in
the exporter's own library by the exporter, a lead of the theme) an ``approval``
statement signed now. :func:`verify` checks, with only the register, that the bundle is
unchanged since signing and that every resource in it was approved, as it is now, by a
lead or deputy of one of its themes named in the register. docs/team-folder.md gives the
same check as a short script that needs only Python and ``cryptography``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from curator.base.atomic import write_text_atomic
from curator.base.errors import CuratorError
from curator.base.words import plural, verb
from curator.catalogue import resources
from curator.catalogue.urls import public_url
from curator.publishing.bundles import content_fingerprint, read_bundle
from curator.storage.store import Store
from curator.team import sealed
from curator.team.register import Person, Register

SIGNATURE_SUFFIX = ".signature.json"


def signature_path(bundle: Path) -> Path:
    return Path(str(bundle) + SIGNATURE_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _proofs(store: Store) -> dict[tuple[str, str], str]:
    """(resource id, content fingerprint) -> a signed approval decision this library holds
    (received from a lead, or written here by its lead)."""
    out: dict[tuple[str, str], str] = {}
    rows = [*store.query("SELECT content FROM team_received WHERE kind = 'decision'"),
            *store.query("SELECT content FROM team_outbox WHERE kind = 'decision'")]
    for row in rows:
        try:
            item = sealed.parse(row["content"].encode("utf-8"))
        except (sealed.Refused, sealed.NotReady):
            continue
        body = item.body
        if body.get("outcome") == "approved":
            out[(str(body.get("resource_id")), str(body.get("content_fingerprint")))] = item.text
    return out


def _approved_by(store: Store, rid: str) -> tuple[str | None, list[str]]:
    """Who approved the resource here last, and who clipped and last edited it."""
    row = store.query_one("SELECT expert_name FROM events WHERE entity = 'resource' AND "
                          "entity_id = ? AND action = 'workflow.approved' ORDER BY id DESC "
                          "LIMIT 1", (rid,))
    who = store.query_one("SELECT c.name AS c, u.name AS u FROM resources r LEFT JOIN experts c"
                          " ON c.id = r.clipped_by LEFT JOIN experts u ON u.id = r.updated_by"
                          " WHERE r.id = ?", (rid,))
    makers = [n for n in ((who["c"], who["u"]) if who else ()) if n]
    return (row["expert_name"] if row else None), makers


def _proof(store: Store, reg: Register, key, me: Person, record: dict, proofs: dict):
    """The signed approval of *record* as it is: a lead's decision this library holds, or
    (approved here by me, a lead of its theme) a statement signed now; else None."""
    fp = content_fingerprint(record)
    proof = proofs.get((record["id"], fp))
    if proof is not None:
        return proof
    approver, makers = _approved_by(store, record["id"])
    if approver and approver.casefold() == me.name.casefold() \
            and reg.may_decide(me.key, record["themes"]):
        body = sealed.new_body("approval", key, me.name, to=[], resource_id=record["id"],
                               content_fingerprint=fp, clipped_or_edited_by=makers)
        return sealed.seal(key, body)
    return None


def check_ready(store: Store, reg: Register, key, me: Person, codes: list[str]) -> None:
    """Refuse, before anything is exported, a release with an approval no lead signed."""
    marks = ",".join("?" * len(codes))
    rows = store.query("SELECT r.id FROM resources r WHERE r.status = 'approved' AND "
                       "r.deleted_at IS NULL AND EXISTS (SELECT 1 FROM resource_themes t "
                       f"WHERE t.resource_id = r.id AND t.theme_code IN ({marks}))", codes)
    proofs = _proofs(store)
    unsigned = []
    for row in rows:
        res = resources.get(store.db, row["id"])
        record = {**res.to_dict(), "url": public_url(res.url)}
        if _proof(store, reg, key, me, record, proofs) is None:
            unsigned.append(res.title or res.url)
    _refuse_unsigned(unsigned)


def _refuse_unsigned(unsigned: list[str]) -> None:
    if unsigned:
        raise CuratorError(
            f"{plural(len(unsigned), 'resource')} {verb(len(unsigned), 'has', 'have')} no "
            "approval signed by a lead in the team "
            f"register: {'; '.join(unsigned[:5])}. Export the release from the library of "
            "the lead who approved them, or send them for approval again. Nothing was "
            "exported.")


def sign(store: Store, reg: Register, key, me: Person, bundle: Path) -> Path:
    """Sign *bundle* (just exported) as a release; returns the signature file's path."""
    bundle = Path(bundle)
    data = read_bundle(bundle)
    proofs = _proofs(store)
    approvals, unsigned = [], []
    for record in data.resources:
        proof = _proof(store, reg, key, me, record, proofs)
        if proof is None:
            unsigned.append(record["title"] or record["url"])
            continue
        approvals.append({"resource_id": record["id"], "proof": json.loads(proof)})
    _refuse_unsigned(unsigned)
    body = sealed.new_body("release", key, me.name, to=[],
                           bundle={"file": bundle.name, "sha256": _sha256(bundle),
                                   "bundle_id": data.id, "themes": data.themes},
                           approvals=approvals)
    target = signature_path(bundle)
    write_text_atomic(target, sealed.seal(key, body))
    return target


@dataclass
class Verdict:
    bundle: str
    signed_by: str = ""
    signed_at: str = ""
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.checked >= 0 and bool(self.signed_by)

    def to_dict(self) -> dict:
        return {"bundle": self.bundle, "ok": self.ok, "signed_by": self.signed_by,
                "signed_at": self.signed_at, "checked": self.checked,
                "problems": self.problems}


def verify(bundle: Path, reg: Register, signature: Path | None = None) -> Verdict:
    """Check a signed release against the register; every problem is named."""
    bundle = Path(bundle)
    verdict = Verdict(bundle.name)
    sig = Path(signature) if signature else signature_path(bundle)
    try:
        item = sealed.read_path(sig)
        if item.kind != "release":
            raise sealed.Refused(f"it is a {item.kind} file, not a release signature")
        sealed.check_signature(item)
    except sealed.NotReady:
        verdict.problems.append(f"There is no signature file {sig.name} beside the bundle.")
        return verdict
    except sealed.Refused as exc:
        verdict.problems.append(f"The signature file {sig.name} cannot be trusted: "
                                f"{exc.message}.")
        return verdict
    signer = reg.by_key(item.signer_key)
    if signer is None:
        verdict.problems.append("The release is signed by a key that is not in the team "
                                "register.")
        return verdict
    verdict.signed_by, verdict.signed_at = signer.name, item.body["created_at"]
    facts = item.body.get("bundle") or {}
    if not bundle.is_file() or _sha256(bundle) != facts.get("sha256"):
        verdict.problems.append("The bundle was changed after it was signed (its SHA-256 "
                                "differs from the signed one).")
        return verdict
    try:
        data = read_bundle(bundle)
    except CuratorError as exc:  # a bundle that does not hold together is not published
        verdict.problems.append(exc.message)
        return verdict
    proofs = {a.get("resource_id"): a.get("proof") for a in item.body.get("approvals") or []
              if isinstance(a, dict)}
    for record in data.resources:
        problem = _check_one(reg, record, proofs.get(record["id"]))
        if problem:
            verdict.problems.append(f"“{record['title'] or record['url']}”: {problem}.")
        verdict.checked += 1
    return verdict


def _check_one(reg: Register, record: dict, proof) -> str:
    if not isinstance(proof, dict):
        return "no approval comes with it"
    try:
        item = sealed.parse(json.dumps(proof).encode("utf-8"))
        sealed.check_signature(item)
    except (sealed.Refused, sealed.NotReady) as exc:
        return f"its approval cannot be trusted ({exc})"
    body = item.body
    approver = reg.by_key(item.signer_key)
    if approver is None:
        return "its approval is signed by a key not in the register"
    if item.kind == "decision" and body.get("outcome") != "approved":
        return "its decision is not an approval"
    if item.kind not in ("decision", "approval") or body.get("resource_id") != record["id"]:
        return "its approval is about another resource"
    if not reg.may_decide(approver.key, record.get("themes") or []):
        return (f"it was approved by {approver.name}, who is not a lead or deputy of "
                f"{', '.join(record.get('themes') or [])} in the register")
    if body.get("content_fingerprint") != content_fingerprint(record):
        return "it was changed after it was approved"
    if reg.four_eyes(record.get("themes") or []):
        makers = [str(n).casefold() for n in body.get("clipped_or_edited_by") or []]
        if item.signer_key in (body.get("to") or []) or approver.name.casefold() in makers:
            return "four eyes: it was approved by the person who wrote it"
    return ""
