"""Faults the machine can throw at a write (BAD-INPUTS 23-24): nothing half-saved."""

import sqlite3
import sys
from pathlib import Path

import pytest

from curator.base.errors import StorageError
from curator.library import Library


def test_kill_9_during_a_bulk_import_50_times_loses_nothing(tmp_path):
    """BAD-INPUTS 23: the crash test of benchmarks/crash_test.py, 50 runs."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from crash_test import crash_test

    figures = crash_test(tmp_path / "lib", runs=50, seed=11, max_delay=0.8)
    assert figures["acknowledged"] > 0
    assert figures["losses"] == 0, figures
    assert figures["integrity_failures"] == 0, figures
    assert figures["index_matches_database"], figures


def test_disk_full_rolls_back_and_says_so(library):
    kept = library.add_resource("https://example.org/kept", title="Kept", index=False)
    db = library.store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 1}")  # SQLite's own "disk is full"
    with pytest.raises(StorageError) as err:
        library.add_resource("https://example.org/big", title="Big", text="x" * 500_000,
                             index=False)
    assert "disk is full" in err.value.message
    db.execute("PRAGMA max_page_count = 1073741823")
    assert [r.id for r in library.list()] == [kept.id]
    assert db.execute("SELECT count(*) FROM resource_text").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM events WHERE action = 'resource.clip'"
                      ).fetchone()[0] == 1


def test_read_only_database_file_is_explained(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.add_resource("https://example.org/a", title="A", index=False)
    lib = Library.open(folder)
    lib.act_as("Alex")
    # Reopen this thread's connection read-only, as SQLite does for a read-only file.
    ro = sqlite3.connect(f"file:{folder / 'resources.db'}?mode=ro", uri=True,
                         check_same_thread=False)
    ro.row_factory = sqlite3.Row
    from sqlite_utils import Database
    lib.store._local.db = Database(ro, execute_plugins=False)
    with pytest.raises(StorageError, match="read-only"):
        lib.add_resource("https://example.org/b", title="B", index=False)
    lib.close()
    with Library.open(folder) as again:
        assert [r.title for r in again.list()] == ["A"]
