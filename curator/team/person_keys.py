"""Keys of the other people who use a shared library, each locked with their passphrase.

A library has one owner, whose key is this computer's (:mod:`curator.team.keys`). The
team register may mark that owner's library as *shared* (a duty desk's laptop, say);
then others may use it too, each signing as themselves. Each such person's key lives
beside the owner's, in the config folder only this computer's user may read, encrypted
with a passphrase only that person knows (PKCS #8 with the cryptography package's best
available encryption). Switching to them asks for it; the unlocked key is then this
session's signing key (:func:`curator.team.keys.use_for_session`) until someone else
takes over. Nothing here ever writes a key to the library folder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from curator.base.errors import CuratorError, NotAllowed, PassphraseNeeded
from curator.team import keys

PEOPLE_FOLDER = "people"
MIN_PASSPHRASE = 8


def key_path(name: str) -> Path:
    """Where *name*'s locked key is kept: a file name readable by people, plus a hash of
    the name so that two names never share a file."""
    clean = " ".join(name.split())
    slug = re.sub(r"[^a-z0-9]+", "-", clean.casefold()).strip("-")[:40] or "person"
    digest = hashlib.sha256(clean.casefold().encode("utf-8")).hexdigest()[:8]
    return keys.key_path().parent / PEOPLE_FOLDER / f"{slug}-{digest}.pem"


def has_key(name: str) -> bool:
    return key_path(name).is_file()


def _check_passphrase(passphrase: str) -> bytes:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise CuratorError(f"A passphrase needs at least {MIN_PASSPHRASE} characters; a "
                           "short sentence is easy to remember and hard to guess.")
    return passphrase.encode("utf-8")


def make(name: str, passphrase: str) -> keys.SigningKey:
    """Make *name* a key locked with *passphrase*; refused if they have one here already
    (a second key would not be the one the register holds)."""
    secret = _check_passphrase(passphrase)
    path = key_path(name)
    if path.exists():
        raise CuratorError(f"{' '.join(name.split())} already has a key on this computer. "
                           "Type its passphrase to work as them.")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(secret))
    keys.write_private(path, pem)
    return keys.SigningKey(private, keys.public_text(private))


def unlock(name: str, passphrase: str) -> keys.SigningKey:
    """*name*'s key, opened with *passphrase*; a wrong passphrase is refused in words."""
    path = key_path(name)
    if not path.is_file():
        raise PassphraseNeeded(name, has_key=False)
    if not passphrase:
        raise PassphraseNeeded(name, has_key=True)
    keys.only_mine(path)
    try:
        private = serialization.load_pem_private_key(path.read_bytes(),
                                                     password=passphrase.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise NotAllowed(f"That passphrase does not open {name}'s key. Nothing changed; "
                         "try again (capitals count).") from exc
    except OSError as exc:
        raise CuratorError(f"{name}'s key in {path} cannot be read: {exc.strerror}.") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise CuratorError(f"The file {path} is not a Curator signing key.")
    return keys.SigningKey(private, keys.public_text(private))
