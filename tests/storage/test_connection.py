"""A library opens and answers reads without loading sqlite-utils; the first write or
table helper makes sqlite-utils' Database on the same connection, and nothing changes in
what is written (issue 21)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from curator.library import Library
from curator.storage import schema
from curator.storage.connection import Connection


def test_opening_a_library_and_reading_its_first_list_needs_no_sqlite_utils(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.add_resource("https://example.org/a", title="A", index=False)
    probe = textwrap.dedent(f"""
        import sys
        from curator.library import Library
        lib = Library.open({str(folder)!r}, check="none")
        lib.act_as("Alex")
        ids = lib.work_list("all")
        rows = lib.table_rows(ids)
        counts = lib.work_list_counts()
        words = lib.pane_words(ids[0])
        print("sqlite_utils" in sys.modules, len(ids), rows[ids[0]]["title"],
              counts["views"]["all"])
        lib.edit(ids[0], {{"title": "A, edited"}})  # a write: sqlite-utils loads now
        print("sqlite_utils" in sys.modules, lib.get(ids[0]).title)
        lib.close()
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "False 1 A 1"
    assert out[1] == "True A, edited"


def test_selects_run_on_the_connection_and_writes_commit_as_sqlite_utils_does(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    db = Connection(conn)
    conn.execute("CREATE TABLE t (n INTEGER)")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert db._db is None  # a read needs no Database
    db.execute("INSERT INTO t VALUES (?)", (1,))  # committed, as Database.execute does
    assert db._db is not None
    other = sqlite3.connect(tmp_path / "x.db")
    assert other.execute("SELECT n FROM t").fetchall() == [(1,)]
    db["t"].insert({"n": 2})  # the table helpers are sqlite-utils' own
    assert [r[0] for r in other.execute("SELECT n FROM t ORDER BY n")] == [1, 2]
    assert db.execute(" select n FROM t WHERE n = ?", [2]).fetchone()[0] == 2


def test_the_migrations_are_read_from_the_table_sqlite_utils_keeps(tmp_path):
    with Library.open(tmp_path / "lib") as lib:
        conn = lib.store.db.conn
        assert schema.applied_names(conn) == schema.migration_names()
        applied = schema.migration_set().applied(lib.store.db.database)
        assert [m.name for m in applied] == schema.migration_names()
        assert schema.migration_set().migrations_table == schema.MIGRATIONS_TABLE



def test_read_indexes_are_kept_up_on_opening_and_leave_the_library_to_older_curators(tmp_path):
    folder = tmp_path / "lib"
    Library.open(folder).close()
    conn = sqlite3.connect(folder / "resources.db")
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "idx_resources_clipped_ids" in names and "idx_resources_clipped" not in names
    # A library as the Curator before left it (its own index, none of ours)...
    conn.execute("DROP INDEX idx_resources_clipped_ids")
    conn.execute("CREATE INDEX idx_resources_clipped ON resources(clipped_at)")
    conn.commit()
    migrations = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    with Library.open(folder) as lib:  # ...gets them back, with no migration recorded
        assert not schema.read_indexes_missing(lib.store.db.conn)
        assert schema.applied_names(lib.store.db.conn) == migrations
