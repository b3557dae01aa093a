"""Joining the team in one step: a request file with the person's public key.

``curator team join`` writes ``requests/join-<key id>.json`` into the team folder (or to
a file of the person's choosing, to send by email). It is signed with the very key it
carries, which proves the sender holds that key; the register's keeper checks who the
person is (by phone, in person) before admitting them with ``curator team admit``.
"""

from __future__ import annotations

from pathlib import Path

from curator.base.atomic import write_text_atomic
from curator.base.errors import CuratorError
from curator.team import folder as team_folder
from curator.team import keys, register, sealed


def write_request(team: Path | None, name: str, to: Path | None = None,
                  key: keys.SigningKey | None = None) -> tuple[Path, str]:
    """Write a join request for *name* with *key* (default: the signing key); returns
    where it went and the key's short id."""
    key = key or keys.load()
    body = sealed.new_body("join", key, " ".join(name.split()), to=[])
    text = sealed.seal(key, body)
    if to is not None:
        target = Path(to).expanduser()
    else:
        if not team_folder.reachable(team):
            raise CuratorError(f"The team folder {team} cannot be reached. Try again when it "
                               "is, or write the request to a file to email: --to FILE")
        target = team / team_folder.REQUESTS / f"join-{key.key_id}{team_folder.SUFFIX}"
    write_text_atomic(target, text)
    return target, key.key_id


def read_request(path: Path) -> sealed.Sealed:
    """A join request, checked: whole, a join file, and signed by the key it carries."""
    try:
        item = sealed.read_path(Path(path))
    except sealed.NotReady:
        raise CuratorError(f"{path} is empty or not complete yet; try again in a moment.")
    if item.kind != "join":
        raise sealed.Refused(f"{Path(path).name} is a {item.kind} file, not a join request.")
    sealed.check_signature(item)
    return item


def admit(team: Path, path: Path, shared: bool = False) -> register.Person:
    return register.admit(team, read_request(path), shared)
