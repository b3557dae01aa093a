"""Opening ``resources.db`` safely and running every write as one transaction.

SQLite connections belong to one thread, so each thread gets its own; writes within the
process are serialised by a lock and start with ``BEGIN IMMEDIATE`` so that two writers
never deadlock on upgrading a read lock. Failures the person can do something about
(disk full, read-only folder, locked, damaged file) become :class:`StorageError` or
:class:`LibraryError` with a plain message; anything else is left to surface as a bug.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from curator.base.errors import LibraryTooNew, StorageError
from curator.storage import backup, schema

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


def explain_sqlite_error(exc: sqlite3.Error, action: str = "save the change") -> StorageError:
    """Turn an SQLite failure caused by the machine into words the person can act on."""
    text = str(exc).lower()
    if "full" in text:
        msg = f"Could not {action}: the disk is full. Free some space and try again."
    elif "readonly" in text or "read-only" in text:
        msg = (f"Could not {action}: the library folder is read-only. Check that you can "
               "write to it, or choose another library folder.")
    elif "locked" in text or "busy" in text:
        msg = (f"Could not {action}: the library is busy in another Curator window or "
               "program. Try again in a moment.")
    elif "i/o" in text or "disk" in text:
        msg = (f"Could not {action}: the disk reported an error while writing. Nothing "
               "was half-saved. If this keeps happening, the disk may be failing: back up.")
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        msg = (f"Could not {action}: the library's database is damaged. Restore it from a "
               "backup (curator restore).")
    else:
        msg = f"Could not {action}: {exc}"
    return StorageError(msg, detail=f"{type(exc).__name__}: {exc}")


KNOWN_STORAGE_FAULTS = ("full", "readonly", "read-only", "locked", "busy", "i/o", "disk",
                        "malformed", "not a database", "corrupt", "unable to open")


def is_storage_fault(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        word in str(exc).lower() for word in KNOWN_STORAGE_FAULTS
    )


class Store:
    """The library's database: per-thread connections and transactional writes."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "resources.db"
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        self.migrated_from: int | None = None

    # -- opening -----------------------------------------------------------------------
    def open(self) -> None:
        """Create or open the database, check its format and bring its schema up to date."""
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            with open(self.path, "rb") as fh:
                if fh.read(16) != SQLITE_HEADER:
                    from curator.storage import backup, recovery
                    newest = backup.newest_good(self.folder / "backups")
                    raise recovery.LibraryDamaged(
                        f"{self.path} is not a Curator library database, or it is damaged. "
                        + recovery.damaged_message(self.folder, newest), newest)
        try:
            db = self.db
            db.execute("PRAGMA journal_mode=WAL")
            self._migrate(db, existed)
        except sqlite3.DatabaseError as exc:
            text = str(exc).lower()
            if "malformed" in text or "not a database" in text:
                from curator.storage import backup, recovery
                newest = backup.newest_good(self.folder / "backups")
                self.close()
                raise recovery.LibraryDamaged(recovery.damaged_message(self.folder, newest),
                                              newest, detail=str(exc)) from exc
            if is_storage_fault(exc):
                raise explain_sqlite_error(exc, "open the library") from exc
            raise

    def _connect(self) -> Database:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise explain_sqlite_error(exc, "open the library") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # FULL: a resource acknowledged to the person survives a power cut, not just a crash.
        conn.execute("PRAGMA synchronous=FULL")
        with self._conn_lock:
            self._connections.append(conn)
        return Database(conn, execute_plugins=False)

    @property
    def db(self) -> Database:
        """This thread's connection (opened on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def _migrate(self, db: Database, existed: bool) -> None:
        applied = {m.name for m in schema.migrations.applied(db)}
        unknown = applied - schema.known_migration_names()
        if unknown:
            raise LibraryTooNew(
                "This library was last used by a newer version of Curator and this version "
                "cannot open it safely. Install the newer Curator, or open another library.",
                detail=f"unknown migrations: {', '.join(sorted(unknown))}",
            )
        pending = schema.migrations.pending(db)
        if not pending:
            return
        if existed and applied:
            self.migrated_from = len(applied)
            backup.backup_database(db.conn, self.folder / "backups", "before-upgrade")
        with self._write_lock:
            schema.migrations.apply(db)
            db.execute(f"PRAGMA user_version={schema.schema_version()}")

    def close(self) -> None:
        with self._conn_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self, action: str = "save the change") -> Iterator[Database]:
        """One all-or-nothing write. Raises :class:`StorageError` when the disk refuses."""
        db = self.db
        with self._write_lock:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise explain_sqlite_error(exc, action) from exc
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and is_storage_fault(exc):
                    raise explain_sqlite_error(exc, action) from exc
                raise

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Row | None:
        return self.db.execute(sql, params).fetchone()
