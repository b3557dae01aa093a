"""What the machine refused, classified by SQLite's own error code, in words to act on.

Python 3.11's ``sqlite3`` exceptions carry ``sqlite_errorcode`` (SQLite's extended code)
and ``sqlite_errorname``. Its low byte is the primary code, which says what kind of fault
it is: the disk is full, the file is read-only, another program holds the library, the
disk failed, the file is damaged, it cannot be opened. An I/O error on a disk with almost
no free space left is a full disk (SQLite reports a failed shared-memory allocation as an
I/O error). An exception without one of these codes (a mistyped query, a broken
constraint, a closed connection) is a bug, and :func:`kind_of` says so by returning None.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from curator.base.errors import StorageError

FULL = "full"
READ_ONLY = "read-only"
BUSY = "busy"
DISK = "disk"
DAMAGED = "damaged"
CANT_OPEN = "cannot open"
MEMORY = "memory"

_BY_PRIMARY_CODE = {
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_PERM: READ_ONLY,
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_PROTOCOL: BUSY,
    sqlite3.SQLITE_IOERR: DISK,
    sqlite3.SQLITE_NOLFS: DISK,
    sqlite3.SQLITE_CORRUPT: DAMAGED,
    sqlite3.SQLITE_NOTADB: DAMAGED,
    sqlite3.SQLITE_CANTOPEN: CANT_OPEN,
    sqlite3.SQLITE_NOMEM: MEMORY,
}
_BY_ERRNO = {
    errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EFBIG: FULL,
    errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY, errno.EPERM: READ_ONLY,
    errno.EIO: DISK,
}

#: Less free space than this, and an I/O error is taken to mean the disk is full.
NEARLY_FULL_BYTES = 4 * 1024 * 1024

#: Called with every SQLite connection the library opens (its own and its backups'),
#: after Curator's settings. Tests put a limit here (``PRAGMA max_page_count``) to make
#: the disk "full" the way SQLite reports it; the app never adds one.
CONNECT_HOOKS: list[Callable[[sqlite3.Connection], None]] = []


def run_connect_hooks(conn: sqlite3.Connection) -> None:
    for hook in CONNECT_HOOKS:
        hook(conn)


def disk_nearly_full(folder: Path | None) -> bool:
    if folder is None:
        return False
    place = Path(folder)
    while not place.exists() and place.parent != place:
        place = place.parent
    try:
        return shutil.disk_usage(place).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def kind_of(exc: BaseException, folder: Path | None = None) -> str | None:
    """The kind of fault behind *exc*, or None when it is not the machine's (a bug)."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        kind = _BY_PRIMARY_CODE.get(code & 0xFF) if isinstance(code, int) else None
    elif isinstance(exc, OSError):
        kind = _BY_ERRNO.get(exc.errno)
    else:
        return None
    if kind == DISK and disk_nearly_full(folder):
        return FULL
    return kind


def message(kind: str, action: str, folder: Path | None = None, why: str = "") -> str:
    """A plain sentence for a fault of this kind while trying to *action*."""
    where = f" (the library is in {folder})" if folder else ""
    if kind == FULL:
        return (f"Could not {action}: the disk is full{where}. Nothing was half-saved. "
                "Free some space on that disk (empty the recycle bin, or move big files "
                "elsewhere), then try again.")
    if kind == READ_ONLY:
        because = f" ({why})" if why else ""
        return (f"Could not {action}: the library is read-only{because}, so Curator can "
                "only read it. To make changes, ask whoever looks after that folder for "
                "permission to write to it, or copy the library to a folder you can write "
                "to.")
    if kind == BUSY:
        return (f"Could not {action}: the library is busy in another Curator window or "
                "program. Try again in a moment.")
    if kind == CANT_OPEN:
        return (f"Could not {action}: the library's database file could not be "
                f"opened{where}. Check that the folder is still there (a removed USB stick "
                "or network drive?) and that you may read it.")
    if kind == MEMORY:
        return (f"Could not {action}: the computer ran out of memory. Close some programs "
                "and try again.")
    return (f"Could not {action}: the disk reported an error while reading or writing. "
            "Nothing was half-saved. If this keeps happening, the disk may be failing: "
            "copy your backups somewhere safe.")


def describe(exc: BaseException) -> str:
    """The technical detail kept for --debug and bug reports."""
    name = getattr(exc, "sqlite_errorname", None)
    return f"{type(exc).__name__}: {exc}" + (f" ({name})" if name else "")


def storage_error(exc: BaseException, action: str, folder: Path | None = None,
                  why: str = "") -> StorageError:
    """A :class:`StorageError` for a fault of the machine (not for a damaged file: see
    :func:`curator.storage.backup.damaged_error`)."""
    kind = kind_of(exc, folder) or DISK
    error = StorageError(message(kind, action, folder, why), detail=describe(exc))
    error.kind = kind
    return error


def damaged_message(folder: Path | None, newest, found: str = "it failed its integrity "
                    "check") -> str:
    """Say the library is damaged, nothing was deleted, and which backup to restore.
    *newest* is the newest good :class:`~curator.storage.backup.BackupFile`, or None."""
    base = f"The library's database is damaged ({found}). Nothing has been deleted."
    if newest is None:
        return base + " There is no good backup to restore; contact whoever supports Curator."
    taken = newest.taken.astimezone().strftime("%d %B %Y at %H:%M")
    return (base + f" The newest good backup was taken on {taken}. Restore it with "
            "'curator restore' (or from the app's File menu); the damaged file is kept "
            "aside.")
