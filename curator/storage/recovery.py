"""Keeping a library safe: backups, integrity checks, restore, and risky places.

A damaged database is never deleted: a restore first moves it aside as
``resources.db.damaged-<stamp>`` and then puts the newest good backup (or the one chosen)
in its place; the search index is rebuilt afterwards from the restored database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError, LibraryDamaged, LibraryError
from curator.storage import backup, faults, paths, schema, settings
from curator.storage.faults import damaged_message

if TYPE_CHECKING:
    from curator.storage.store import Store

DAILY = dt.timedelta(hours=24)
SESSION_MARKER = "library.session"

__all__ = ["LibraryDamaged", "backup_now", "check_integrity", "damaged_message", "restore",
           "risky_place"]


def quick_check(conn: sqlite3.Connection) -> str:
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)


def check_integrity(store: Store, folder: Path) -> None:
    """Raise :class:`LibraryDamaged` when ``quick_check`` finds a problem."""
    result = quick_check(store.db.conn)
    if result != "ok":
        raise backup.damaged_error(folder, "it failed its integrity check", result)


def previous_session_unclean(folder: Path) -> bool:
    return (folder / SESSION_MARKER).exists()


def mark_session(folder: Path, open_: bool) -> None:
    marker = folder / SESSION_MARKER
    with contextlib.suppress(OSError):
        if open_:
            marker.write_text(f"{os.getpid()} {clock.now_iso()}\n")
        else:
            marker.unlink()


def backup_now(store: Store, folder: Path, reason: str = "manual") -> Path:
    """A checked backup in backups/. A full disk, a read-only folder or a damaged database
    is explained (and no half-written copy is left behind)."""
    backups = folder / paths.BACKUPS_DIR
    store.refuse_if_read_only("back up the library")
    try:
        path = backup.backup_database(store.db.conn, backups, reason)
    except backup.CopyFailedCheck as exc:
        raise backup.damaged_error(folder, "a backup copy of it failed its check",
                                   str(exc)) from exc
    except (sqlite3.Error, OSError) as exc:
        kind = faults.kind_of(exc, folder)
        if kind is None:
            raise
        if kind == faults.DAMAGED:
            raise backup.damaged_error(folder, "part of it could not be read",
                                       faults.describe(exc)) from exc
        raise faults.storage_error(exc, "back up the library", folder) from exc
    with contextlib.suppress(CuratorError):  # the backup is made; the note can wait
        settings.put(store, "last_backup", clock.now_iso())
    backup.rotate(backups)
    return path


def backup_if_due(store: Store, folder: Path) -> Path | None:
    """A daily backup while the app is in use: at most one a day (none of a library that
    can only be read: it cannot have changed)."""
    if store.read_only:
        return None
    last = settings.get(store, "last_backup")
    if last and clock.now() - clock.parse_moment(last) < DAILY:
        return None
    return backup_now(store, folder, "daily")


def restore(folder: Path, chosen: Path | None = None) -> tuple[Path, Path | None]:
    """Restore a (closed) library from a backup. Returns (backup used, where the old file
    was kept). The current database is backed up first if it is readable, else kept aside.
    """
    db = folder / paths.DB_NAME
    backups_dir = folder / paths.BACKUPS_DIR
    if chosen is None:
        newest = backup.newest_good(backups_dir)
        if newest is None:
            raise LibraryError("There is no good backup of this library to restore.")
        chosen = newest.path
    chosen = Path(chosen)
    if not chosen.exists():
        raise LibraryError(f"There is no backup at {chosen}.")
    refuse_foreign(chosen)
    kept: Path | None = None
    if db.exists():
        healthy = False
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                healthy = quick_check(conn) == "ok"
                if healthy:
                    kept = backup.backup_database(conn, backups_dir, "before-restore")
            finally:
                conn.close()
        except sqlite3.Error:
            healthy = False
        if not healthy:
            stamp = clock.now().strftime("%Y%m%d-%H%M%S")
            kept = db.with_name(f"{db.name}.damaged-{stamp}")
            os.replace(db, kept)
            for suffix in ("-wal", "-shm"):
                side = db.with_name(db.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
    try:
        backup.restore_file(chosen, db)
    except sqlite3.Error as exc:
        raise LibraryError(f"The backup {chosen.name} could not be restored: {exc}") from exc
    index = folder / paths.INDEX_DIR
    if index.exists():
        shutil.rmtree(index, ignore_errors=True)
    index.mkdir(exist_ok=True)
    return chosen, kept


def refuse_foreign(chosen: Path) -> None:
    """Refuse, before anything is moved, a file that is not a backup of a Curator library
    this Curator can open."""
    problem = None
    try:
        conn = sqlite3.connect(f"{chosen.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problem = schema.why_not_a_library(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_CORRUPT:
            raise LibraryError(f"The backup {chosen.name} could not be restored: it is "
                               "damaged. Nothing was changed. Choose another backup (see: "
                               "curator backups).", detail=faults.describe(exc)) from exc
        problem = "it is not a database at all"
    if problem:
        raise LibraryError(f"{chosen.name} is not a backup of a Curator library: {problem}. "
                           "Nothing was changed. Choose one of the library's backups "
                           "(see: curator backups).")


# -- risky places -------------------------------------------------------------------------
CLOUD_HINTS = {"onedrive": "OneDrive", "dropbox": "Dropbox", "google drive": "Google Drive",
               "googledrive": "Google Drive", "icloud": "iCloud", "box sync": "Box",
               "nextcloud": "Nextcloud", "owncloud": "ownCloud", "sharepoint": "SharePoint"}
NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "afpfs", "9p", "sshfs", "fuse.sshfs",
              "davfs", "fuse.davfs2", "webdav", "glusterfs", "ceph", "lustre"}


def _linux_fs_type(path: Path) -> str | None:
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, fs = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            mount = parts[1].replace("\\040", " ")
            if (target == mount or target.startswith(mount.rstrip("/") + "/")) and \
                    len(mount) > len(best):
                best, fs = mount, parts[2]
    return fs


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):
        return True
    try:
        import ctypes
        drive = os.path.splitdrive(str(path.resolve()))[0] + "\\"
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE
    except (AttributeError, OSError):
        return False


def risky_place(folder: Path) -> str | None:
    """A plain warning when the library is on a network share or in a synced folder."""
    lowered = str(folder).lower()
    for hint, name in CLOUD_HINTS.items():
        if hint in lowered:
            return (f"This library is in a folder synced by {name}. Syncing can copy "
                    "the database half-written and damage it. Keep the library on this "
                    "computer's own disk, and let Curator's backups and bundles do the copying.")
    remote = _windows_remote(folder) if sys.platform == "win32" else \
        (_linux_fs_type(folder) or "") in NETWORK_FS
    if remote:
        return ("This library is on a network drive. Curator's database is not safe on a "
                "network drive (two computers can damage it). Keep the library on this "
                "computer's own disk; share work with bundles.")
    return None
