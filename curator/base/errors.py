"""Errors the person can act on, kept apart from bugs.

Anything raised as a :class:`CuratorError` carries a plain-English message that the
CLI prints and the app shows as it is. Anything else is a bug and gets a report. Faults
of the machine (a full disk, a read-only folder, a damaged file) are told apart from bugs
by SQLite's error code, in :mod:`curator.storage.faults`.
"""

from __future__ import annotations


class CuratorError(Exception):
    """A problem with the person's input or environment, explained in plain words."""

    #: Exit status the command line uses for this kind of problem.
    exit_code = 1

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class InvalidURL(CuratorError):
    """The text given is not a web address Curator can clip."""


class NotFound(CuratorError):
    """No record with that id or name."""

    exit_code = 3


class Duplicate(CuratorError):
    """The thing being added is already in the library."""

    def __init__(self, message: str, existing_id: str | int):
        super().__init__(message)
        self.existing_id = existing_id


class NotAllowed(CuratorError):
    """A rule of the library forbids this step for this expert."""

    exit_code = 4


class LibraryError(CuratorError):
    """The library folder or its database cannot be used as it is."""

    exit_code = 5


class LibraryTooNew(LibraryError):
    """The database was written by a newer Curator than this one."""


class StorageError(LibraryError):
    """The disk refused: full, read-only, busy or failing.

    Attributes:
        kind: which (see :mod:`curator.storage.faults`: "full", "read-only", "busy",
            "disk", "cannot open", "memory"), or None when not classified.
    """

    kind: str | None = None


class LibraryDamaged(LibraryError):
    """The database is damaged. Carries the newest good backup (a
    :class:`curator.storage.backup.BackupFile`), or None when there is none."""

    def __init__(self, message: str, newest=None, detail: str = ""):
        super().__init__(message, detail=detail)
        self.newest = newest


class FetchError(CuratorError):
    """A page could not be fetched.

    Attributes:
        kind: a short machine word (timeout, dns, tls, refused, too_large,
            too_many_redirects, http_status, bad_scheme, cancelled, network).
        status: the HTTP status, when the server answered.
    """

    def __init__(self, message: str, *, kind: str, status: int | None = None,
                 detail: str | None = None):
        super().__init__(message, detail=detail)
        self.kind = kind
        self.status = status


class Cancelled(CuratorError):
    """The person cancelled a long operation."""


class PassphraseNeeded(CuratorError):
    """Acting as this person needs their key's passphrase (none was given)."""

    def __init__(self, name: str, has_key: bool):
        self.name, self.has_key = name, has_key
        super().__init__(
            f"{name} signs with their own key, locked with their passphrase: type it to "
            f"work as them." if has_key else
            f"{name} has no key on this computer yet. Make one (with a passphrase only "
            f"they know) and send the join request, then work as them.")
