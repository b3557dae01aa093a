"""Opening ``resources.db`` safely and running every write as one transaction.

SQLite connections belong to one thread, so each thread gets its own; writes within the
process are serialised by a lock and start with ``BEGIN IMMEDIATE`` so that two writers
never deadlock on upgrading a read lock. Failures the person can do something about
(disk full, read-only folder, locked, damaged file) become :class:`StorageError` or
:class:`LibraryDamaged` with a plain message, told apart by SQLite's error code
(:mod:`curator.storage.faults`); anything else is left to surface as a bug.

A library the person may only read (a read-only file, folder or disk) opens read-only
(``mode=ro``), so that listing and searching still work; a write then says why it
cannot be made. On a full disk SQLite cannot make the shared memory it reads through, so
the library is opened holding its lock alone (no shared memory needed), and reads work.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from curator.base.errors import (
    CuratorError,
    LibraryDamaged,
    LibraryError,
    LibraryTooNew,
    StorageError,
)
from curator.storage import backup, faults, paths, schema
from curator.storage.connection import Connection

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


def explain_sqlite_error(exc: BaseException, action: str = "save the change",
                         folder: Path | None = None) -> CuratorError:
    """Turn a fault of the machine into words the person can act on (see
    :func:`is_storage_fault`): a :class:`StorageError`, or :class:`LibraryDamaged`."""
    if faults.kind_of(exc, folder) == faults.DAMAGED and folder is not None:
        return backup.damaged_error(folder, "part of it could not be read",
                                    faults.describe(exc))
    return faults.storage_error(exc, action, folder)


def is_storage_fault(exc: BaseException) -> bool:
    """True for a fault of the machine (by SQLite's error code), False for a bug."""
    return faults.kind_of(exc) is not None


class Store:
    """The library's database: per-thread connections and transactional writes.

    Attributes:
        read_only: why the library can only be read (for messages), or None.
        exclusive: the disk was full when it opened: connections hold their lock alone.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / paths.DB_NAME
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        self.migrated_from: int | None = None
        self.read_only: str | None = None
        self.exclusive = False
        self._immutable = False

    # -- opening -----------------------------------------------------------------------
    def why_read_only(self, existed: bool) -> str | None:
        """Why this process cannot write the library, or None when it can."""
        if existed and not paths.writable(self.path):
            return f"the file {self.path.name} in {self.folder} cannot be written to"
        if self.folder.exists() and not paths.writable(self.folder):
            return f"the folder {self.folder} cannot be written to"
        return None

    def open(self) -> None:
        """Create or open the database, check its format and bring its schema up to date."""
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            with open(self.path, "rb") as fh:
                if fh.read(16) != SQLITE_HEADER:
                    newest = backup.newest_good(self.folder / paths.BACKUPS_DIR)
                    raise LibraryDamaged(
                        f"{self.path} is not a Curator library database, or it is damaged. "
                        + faults.damaged_message(self.folder, newest), newest)
        self.read_only = self.why_read_only(existed)
        if self.read_only and not existed:
            raise LibraryError(f"Curator cannot make a library in {self.folder}: "
                               f"{self.read_only}. Choose a folder you can write to.")
        try:
            self._open_db(existed)
        except sqlite3.Error as exc:
            self.close()
            kind = faults.kind_of(exc, self.folder)
            if kind == faults.FULL and existed and not self.exclusive:
                self.exclusive = True
                self._open_after_fault(exc)
                return
            if kind == faults.CANT_OPEN and self.read_only and not self._immutable:
                # A read-only folder without SQLite's side files: read the file as it is.
                self._immutable = True
                self._open_after_fault(exc)
                return
            raise self._explain_open(exc) from exc
        except BaseException:
            self.close()
            raise

    def _open_db(self, existed: bool) -> None:
        db = self._local.db = self._connect()
        if not self.read_only:
            db.conn.execute("PRAGMA journal_mode=WAL")
        self._migrate(db, existed)

    def _open_after_fault(self, first: sqlite3.Error) -> None:
        try:
            self._open_db(True)
        except sqlite3.Error as exc:
            self.close()
            raise self._explain_open(first) from exc

    def _explain_open(self, exc: sqlite3.Error) -> BaseException:
        if faults.kind_of(exc, self.folder) is None:
            return exc
        if self.read_only and faults.kind_of(exc) == faults.READ_ONLY:
            return faults.storage_error(exc, "open the library", self.folder, self.read_only)
        return explain_sqlite_error(exc, "open the library", self.folder)

    def _connect(self) -> Connection:
        target, uri = str(self.path), False
        if self.read_only:
            target = self.path.absolute().as_uri() + "?mode=ro"
            target += "&immutable=1" if self._immutable else ""
            uri = True
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, uri=uri)
        try:
            conn.row_factory = sqlite3.Row
            if self.exclusive:
                # Before the first read: WAL then keeps its index in memory, not on disk.
                conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA recursive_triggers=ON")  # as sqlite-utils' Database sets
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # FULL: a resource acknowledged to the person survives a power cut, not just a
            # crash.
            conn.execute("PRAGMA synchronous=FULL")
            faults.run_connect_hooks(conn)
        except BaseException:
            conn.close()  # a half-made connection must not keep holding the file
            raise
        with self._conn_lock:
            self._connections.append(conn)
        return Connection(conn)

    @property
    def db(self) -> Connection:
        """This thread's connection (opened on first use); sqlite-utils' Database when a
        write or a table helper first needs it (:mod:`curator.storage.connection`)."""
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = self._connect()
            except sqlite3.Error as exc:
                if not is_storage_fault(exc):
                    raise
                raise explain_sqlite_error(exc, "open the library", self.folder) from exc
            self._local.db = db
        return db

    def _migrate(self, db: Connection, existed: bool) -> None:
        applied = schema.applied_names(db.conn)
        unknown = set(applied) - schema.known_migration_names()
        if unknown:
            raise LibraryTooNew(
                "This library was last used by a newer version of Curator and this version "
                "cannot open it safely. Install the newer Curator, or open another library.",
                detail=f"unknown migrations: {', '.join(sorted(unknown))}",
            )
        pending = [name for name in schema.migration_names() if name not in applied]
        if not pending:
            self._keep_read_indexes(db)
            return
        if self.read_only:
            raise LibraryError(
                "This library was made by an older Curator and must be upgraded before this "
                f"one can use it, but it is read-only ({self.read_only}). Open it once "
                "where it can be written to, or use the older Curator.")
        if existed and applied:
            self.migrated_from = len(applied)
            backup.backup_database(db.conn, self.folder / "backups", "before-upgrade")
        with self._write_lock:
            schema.migration_set().apply(db.database)
            db.execute(f"PRAGMA user_version={schema.schema_version()}")
        self._keep_read_indexes(db)

    def _keep_read_indexes(self, db: Connection) -> None:
        """The indexes that make reads faster (schema.READ_INDEXES), where they can be
        written: a library that can only be read is read without them."""
        if self.read_only or not schema.read_indexes_missing(db.conn):
            return
        try:
            with self._write_lock:
                schema.keep_read_indexes(db.conn)
        except sqlite3.Error as exc:
            if not is_storage_fault(exc):
                raise
            # A full disk or a library busy elsewhere: it opens and reads without them,
            # and the next opening tries again.
            log.warning("The library's read indexes could not be made now: %s", exc)

    def close(self) -> None:
        with self._conn_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- transactions --------------------------------------------------------------------
    def refuse_if_read_only(self, action: str) -> None:
        """Raise :class:`StorageError` saying why, when the library can only be read."""
        if self.read_only:
            error = StorageError(faults.message(faults.READ_ONLY, action, why=self.read_only))
            error.kind = faults.READ_ONLY
            raise error

    @contextlib.contextmanager
    def write(self, action: str = "save the change") -> Iterator[Connection]:
        """One all-or-nothing write. Raises :class:`StorageError` when the disk refuses."""
        self.refuse_if_read_only(action)
        db = self.db
        with self._write_lock:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                if not is_storage_fault(exc):
                    raise
                raise explain_sqlite_error(exc, action, self.folder) from exc
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error) and is_storage_fault(exc):
                    raise explain_sqlite_error(exc, action, self.folder) from exc
                raise

    def _read(self, sql: str, params, one: bool):
        try:
            cursor = self.db.execute(sql, params)
            return cursor.fetchone() if one else cursor.fetchall()
        except sqlite3.Error as exc:
            if not is_storage_fault(exc):
                raise
            raise explain_sqlite_error(exc, "read the library", self.folder) from exc

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        return self._read(sql, params, one=False)

    def query_one(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Row | None:
        return self._read(sql, params, one=True)
