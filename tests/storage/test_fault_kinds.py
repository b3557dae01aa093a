"""Faults are told apart by SQLite's error code, not by the words of its message: each
kind is made to happen for real, and a bug (a mistyped query, a broken rule) is no fault."""

import sqlite3

import pytest

from curator.base.errors import LibraryDamaged
from curator.storage import faults
from curator.storage.store import Store, explain_sqlite_error, is_storage_fault


def error_from(fn) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as err:
        fn()
    return err.value


@pytest.fixture
def conn(tmp_path):
    c = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
    c.execute("INSERT INTO t (v) VALUES ('a')")
    yield c
    c.close()


def test_a_full_database_is_full(conn, tmp_path):
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    exc = error_from(lambda: conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 100_000,)))
    assert exc.sqlite_errorname == "SQLITE_FULL"
    assert faults.kind_of(exc, tmp_path) == faults.FULL
    msg = explain_sqlite_error(exc, "save the change", tmp_path).message
    assert "the disk is full" in msg and "Free some space" in msg
    assert "failing" not in msg


def test_read_only_busy_damaged_and_unopenable_are_each_named(conn, tmp_path):
    conn.execute("PRAGMA query_only = ON")
    ro = error_from(lambda: conn.execute("INSERT INTO t (v) VALUES ('b')"))
    conn.execute("PRAGMA query_only = OFF")
    assert faults.kind_of(ro) == faults.READ_ONLY
    assert "read-only" in faults.storage_error(ro, "save the change").message

    other = sqlite3.connect(tmp_path / "t.db", timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        busy = error_from(lambda: other.execute("BEGIN IMMEDIATE"))
    finally:
        conn.execute("ROLLBACK")
        other.close()
    assert busy.sqlite_errorname == "SQLITE_BUSY" and faults.kind_of(busy) == faults.BUSY
    assert "busy in another" in faults.storage_error(busy, "save the change").message

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, only words " * 200)
    notadb = error_from(lambda: sqlite3.connect(junk).execute("SELECT * FROM t"))
    assert faults.kind_of(notadb) == faults.DAMAGED

    missing = tmp_path / "no" / "such" / "folder" / "x.db"
    cant = error_from(lambda: sqlite3.connect(missing))
    assert faults.kind_of(cant) == faults.CANT_OPEN
    assert "could not be opened" in faults.storage_error(cant, "open the library").message


def test_bugs_are_not_faults_of_the_machine(conn):
    syntax = error_from(lambda: conn.execute("SELEC 1"))
    broken_rule = error_from(lambda: conn.execute("INSERT INTO t (v) VALUES ('a')"))
    no_table = error_from(lambda: conn.execute("SELECT * FROM no_such_table"))
    conn.close()
    closed = error_from(lambda: conn.execute("SELECT 1"))
    for exc in (syntax, broken_rule, no_table, closed):
        assert faults.kind_of(exc) is None and not is_storage_fault(exc), exc
    # Even when the words of the message sound like a fault, the code decides.
    lookalike = error_from(lambda: sqlite3.connect(":memory:").execute(
        "SELECT * FROM 'disk is full and read-only'"))
    assert faults.kind_of(lookalike) is None


def test_a_write_on_a_damaged_library_says_damaged_and_offers_restore(tmp_path):
    from curator.library import Library

    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.add_resource("https://example.org/a", title="A", index=False)
        lib.backup()
        root = lib.store.query_one(
            "SELECT rootpage FROM sqlite_master WHERE name = 'resource_text'")[0]
    with open(folder / "resources.db", "r+b") as fh:
        fh.seek((root - 1) * 4096)
        fh.write(b"\xff" * 4096)
    store = Store(folder)
    store.open()
    try:
        with pytest.raises(LibraryDamaged) as err:
            with store.write() as db:
                db.execute("INSERT INTO resource_text (resource_id, text) VALUES ('x', 'y')")
        assert "damaged" in err.value.message and "curator restore" in err.value.message
        assert err.value.newest is not None
    finally:
        store.close()
