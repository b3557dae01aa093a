"""A person's signing key: Ed25519, made the first time it is needed.

The private key lives in the person's own config folder (the one
:func:`curator.preferences.config_dir` names), in a file only they may read (mode 0600
where the system has modes). It is never written to the library folder, so a backup or a
copied library never carries it. The public key travels as base64 of its 32 raw bytes.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from curator import preferences
from curator.base.atomic import write_bytes_atomic
from curator.base.errors import CuratorError

KEY_FOLDER = "team"
KEY_FILE = "signing-key.pem"


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public: str  # base64 of the raw 32-byte public key

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.private.sign(data)).decode("ascii")


def key_id(public: str) -> str:
    """A short name for a public key (16 hex digits of its SHA-256), for messages."""
    return hashlib.sha256(public.encode("ascii", "replace")).hexdigest()[:16]


def key_path() -> Path:
    return preferences.config_dir() / KEY_FOLDER / KEY_FILE


def public_text(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


#: The key this session signs with instead of the computer's, by config folder: set when
#: someone else takes over a shared library with their passphrase (person_keys).
_session: dict[Path, SigningKey] = {}


def session() -> SigningKey | None:
    """The key unlocked for this session, if someone else took over."""
    return _session.get(preferences.config_dir())


def use_for_session(key: SigningKey | None) -> None:
    """Sign with *key* from now on in this process (None: the computer's key again)."""
    if key is None:
        _session.pop(preferences.config_dir(), None)
    else:
        _session[preferences.config_dir()] = key


def load(create: bool = True) -> SigningKey:
    """The key to sign with: the one unlocked for this session if any, else this
    computer's, made (and kept, readable only by its owner) when there is none yet."""
    unlocked = _session.get(preferences.config_dir())
    if unlocked is not None:
        return unlocked
    return own(create)


def own(create: bool = True) -> SigningKey:
    """This computer's key (the library owner's), whoever is signing this session."""
    path = key_path()
    if path.exists():
        only_mine(path)
        try:
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as exc:
            raise CuratorError(
                f"Your signing key in {path} cannot be read. Ask IT to restore it from your "
                "own backup; if it is lost, run 'curator team join' again for a new key."
            ) from exc
        if not isinstance(private, Ed25519PrivateKey):
            raise CuratorError(f"The file {path} is not a Curator signing key.")
        return SigningKey(private, public_text(private))
    if not create:
        raise CuratorError("You have no signing key yet: run 'curator team join'.")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    write_private(path, pem)
    return SigningKey(private, public_text(private))


def write_private(path: Path, data: bytes) -> None:
    """Write the key to a temporary name made readable only by its owner, then rename
    (the atomic write's temporary file is made by mkstemp: mode 0600 from the start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    write_bytes_atomic(path, data)
    only_mine(path)


def only_mine(path: Path) -> None:
    """Make sure no one but the owner may read the key (on systems with modes)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)


def public_key(public: str) -> Ed25519PublicKey | None:
    """The public key in *public* (base64 of 32 bytes), or None if it is not one."""
    try:
        raw = base64.b64decode(public, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw) if len(raw) == 32 else None
    except (binascii.Error, ValueError, TypeError):
        return None


def verify(public: str, data: bytes, signature: str) -> bool:
    """Whether *signature* (base64) over *data* was made by the key *public*."""
    key = public_key(public)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        return False
    return True
