"""Copies of ``resources.db`` made with SQLite's backup API, checked before they count."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from curator import clock


def backup_database(conn: sqlite3.Connection, folder: Path, reason: str) -> Path:
    """Copy the open database into *folder* as ``<stamp>-<reason>.db`` and return its path.

    The copy is written under a temporary name, checked (it opens and ``quick_check``
    says ok) and only then renamed, so a half-written backup never looks like a good one.
    """
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
            conn.backup(dest)
            ok = dest.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest.close()
        if ok != "ok":
            raise sqlite3.DatabaseError(f"the backup copy failed its check: {ok}")
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return final
