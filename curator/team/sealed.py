"""The signed envelope every team file is, and reading one without trusting it.

A team file is JSON: ``{"format": "curator-team-file", "version": 1, "body": {...},
"signature": "..."}``. The signature is Ed25519 over the body's canonical form (keys
sorted, no spaces, UTF-8), so anyone with Python and ``cryptography`` can check it
(docs/team-folder.md). The body always says its ``kind``, its own ``id``, when it was
made and ``from`` whom (name and public key). Who sent it is decided by the key, never
by the name: the name must be the one the team register gives that key.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from curator.base import clock
from curator.base.errors import CuratorError
from curator.team import keys

FORMAT = "curator-team-file"
VERSION = 1
KINDS = ("submission", "decision", "join", "release", "approval")
#: A team file larger than this is refused unread (a submission of many pages is a few MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 40


class Refused(CuratorError):
    """A team file that is not taken in; the message says why, in plain words."""


class NotReady(Exception):
    """A file still being written (by a sync client, say): skipped, tried again later."""


@dataclass(frozen=True)
class Sealed:
    body: dict
    signature: str
    text: str  # the file as read, kept so it can be passed on whole (releases)

    @property
    def kind(self) -> str:
        return self.body["kind"]

    @property
    def id(self) -> str:
        return self.body["id"]

    @property
    def signer_key(self) -> str:
        return self.body["from"]["key"]


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def new_body(kind: str, key: keys.SigningKey, name: str, **fields) -> dict:
    return {"kind": kind, "id": str(uuid.uuid4()), "created_at": clock.now_iso(),
            "from": {"name": name, "key": key.public}, **fields}


def seal(key: keys.SigningKey, body: dict) -> str:
    """The file's text: *body* signed by *key* (which must be the body's ``from`` key)."""
    assert body["from"]["key"] == key.public
    envelope = {"format": FORMAT, "version": VERSION, "body": body,
                "signature": key.sign(canonical(body))}
    return json.dumps(envelope, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_path(path: Path) -> Sealed:
    """Read a team file without following links; :class:`NotReady` when it is not whole
    yet, :class:`Refused` when it is not a signed Curator team file."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise NotReady(str(exc)) from exc
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise Refused("it is a link or not a plain file, and links are never followed")
    if info.st_size > MAX_FILE_BYTES:
        raise Refused("it is far larger than any team file")
    if info.st_size == 0:
        raise NotReady("empty")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotReady(str(exc)) from exc
    return parse(data)


def parse(data: bytes) -> Sealed:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotReady("not whole text yet") from exc
    try:
        envelope = json.loads(text, object_pairs_hook=_no_repeats, parse_constant=_no_constant)
    except _Hostile as exc:
        raise Refused(str(exc)) from None
    except RecursionError:
        raise Refused("it is nested deeper than any team file") from None
    except ValueError as exc:
        # A file a sync client is still writing reads as cut-off JSON: try again later.
        raise NotReady("not whole JSON yet") from exc
    if _depth(envelope) > MAX_DEPTH:
        raise Refused("it is nested deeper than any team file")
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise Refused("it is not a Curator team file")
    if envelope.get("version") != VERSION:
        raise Refused("it was written by a newer Curator; update Curator to read it")
    body, signature = envelope.get("body"), envelope.get("signature")
    if not isinstance(body, dict) or not _shaped(body):
        raise Refused("it lacks what every team file says (its kind, id, date and sender)")
    if not isinstance(signature, str) or not signature:
        raise Refused("it is not signed")
    problem = _schema_problem(envelope)
    if problem:
        raise Refused(f"it does not follow the team file format ({problem})")
    return Sealed(body, signature, text)


@functools.cache
def _validator():
    from importlib import resources as package_files

    from jsonschema import Draft202012Validator
    text = (package_files.files("curator.team") / "schema" / "team-file.schema.json"
            ).read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text))


def _schema_problem(envelope: dict) -> str:
    from jsonschema.exceptions import best_match
    error = best_match(_validator().iter_errors(envelope))
    if error is None:
        return ""
    where = "/".join(str(p) for p in error.absolute_path) or "the file"
    return f"{where}: {error.message[:200]}"


def check_signature(sealed: Sealed) -> None:
    if not keys.verify(sealed.signer_key, canonical(sealed.body), sealed.signature):
        raise Refused("its signature does not match: it was changed after it was signed, "
                      "or not signed by the key it names")


def _shaped(body: dict) -> bool:
    sender = body.get("from")
    return (body.get("kind") in KINDS and isinstance(body.get("id"), str)
            and 0 < len(body["id"]) <= 64 and isinstance(body.get("created_at"), str)
            and isinstance(sender, dict) and isinstance(sender.get("key"), str)
            and isinstance(sender.get("name"), str))


class _Hostile(ValueError):
    pass


def _no_repeats(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Hostile(f"it names '{key}' twice, which no Curator file does")
        out[key] = value
    return out


def _no_constant(name):
    raise _Hostile(f"it holds {name}, which is not a number")


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
