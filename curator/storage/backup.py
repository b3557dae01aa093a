"""Copies of ``resources.db`` made with SQLite's backup API, checked before they count.

Backups are written to a temporary name, checked (the copy opens and ``quick_check`` says
ok), then renamed into ``backups/``. Rotation keeps the newest ten and, beyond those, the
newest of each month for a year. A restore first backs up the current database, then
copies the chosen backup in with the same care.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from curator.base import clock
from curator.base.errors import LibraryDamaged
from curator.storage import faults, paths

KEEP_RECENT = 10
KEEP_MONTHS = 12
NAME_RE = re.compile(r"^resources-(\d{8})-(\d{6})-([a-z-]+?)(?:-\d+)?\.db$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: dt.datetime
    reason: str

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


class CopyFailedCheck(sqlite3.DatabaseError):
    """The copy just made does not pass ``quick_check``: the database it came from is
    damaged (the copy is removed)."""


def _check(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()


def backup_database(conn: sqlite3.Connection, folder: Path, reason: str) -> Path:
    """Copy the open database into *folder* as ``resources-<stamp>-<reason>.db``."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    final = folder / f"resources-{stamp}-{reason}.db"
    n = 1
    while final.exists():
        n += 1
        final = folder / f"resources-{stamp}-{reason}-{n}.db"
    tmp = final.with_suffix(".db.part")
    try:
        dest = sqlite3.connect(tmp)
        try:
            faults.run_connect_hooks(dest)
            conn.backup(dest)
            # A backup is one self-contained file: no -wal or -shm beside it when it is
            # later opened read-only to check or list it.
            dest.execute("PRAGMA journal_mode=DELETE")
            ok = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest.close()
        if ok != "ok":
            raise CopyFailedCheck(f"the backup copy failed its check: {ok}")
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return final


def list_backups(folder: Path) -> list[BackupFile]:
    """Backups in *folder*, newest first."""
    out = []
    if not folder.is_dir():
        return out
    for path in folder.iterdir():
        m = NAME_RE.match(path.name)
        if not m:
            continue
        taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S").replace(
            tzinfo=dt.UTC)
        out.append(BackupFile(path, taken, m.group(3)))
    return sorted(out, key=lambda b: b.taken, reverse=True)


def rotate(folder: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups beyond the newest ten, keeping one a month for a year. Returns those
    deleted. Backups taken before an upgrade or a restore are never rotated away."""
    now = now or clock.now()
    keep: set[Path] = set()
    backups = [b for b in list_backups(folder) if b.reason in ("daily", "manual")]
    keep.update(b.path for b in backups[:KEEP_RECENT])
    months_seen: set[tuple[int, int]] = set()
    for b in backups:
        if (now - b.taken).days > 366:
            continue
        key = (b.taken.year, b.taken.month)
        if key not in months_seen:
            months_seen.add(key)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed


def newest_good(folder: Path) -> BackupFile | None:
    """The newest backup that passes its check."""
    for b in list_backups(folder):
        try:
            if _check(b.path) == "ok":
                return b
        except sqlite3.Error:
            continue
    return None


def damaged_error(folder: Path, found: str, detail: str = "") -> LibraryDamaged:
    """The library in *folder* is damaged (*found* says how it showed): the error names
    the newest good backup to restore."""
    newest = newest_good(folder / paths.BACKUPS_DIR)
    return LibraryDamaged(faults.damaged_message(folder, newest, found), newest,
                          detail=detail)


def restore_file(backup: Path, target: Path) -> None:
    """Put a checked copy of *backup* in place of *target* (which must be closed)."""
    if _check(backup) != "ok":
        raise sqlite3.DatabaseError("the backup is damaged")
    tmp = target.with_name(target.name + ".restoring")
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(tmp)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            target.with_name(target.name + suffix).unlink()
    os.replace(tmp, target)
