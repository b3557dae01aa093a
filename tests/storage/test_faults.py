"""Faults the machine can throw at a write (BAD-INPUTS 23-24): nothing half-saved."""

import sys
from pathlib import Path

import pytest

from curator.base.errors import StorageError
from curator.library import Library
from tests.support.files import read_only


@pytest.mark.slow
def test_kill_9_during_a_bulk_import_50_times_loses_nothing(tmp_path):
    """BAD-INPUTS 23: the crash test of benchmarks/crash_test.py, 50 runs."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from crash_test import crash_test

    figures = crash_test(tmp_path / "lib", runs=50, seed=11, max_delay=0.8)
    assert figures["acknowledged"] > 0
    # Most kills landed between commits (timed from the writer's start of work, so a
    # busy machine does not turn them into kills during start-up).
    assert figures["runs_with_commits"] >= 25, figures
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
    db_file = folder / "resources.db"
    before = db_file.read_bytes()
    with read_only(db_file):  # the file itself: no write permission, for root too
        lib = Library.open(folder)
        try:
            lib.act_as("Alex")
            assert [r.title for r in lib.list()] == ["A"]  # reading still works
            with pytest.raises(StorageError, match="read-only") as err:
                lib.add_resource("https://example.org/b", title="B", index=False)
            assert "resources.db" in err.value.message
        finally:
            lib.close()
        assert db_file.read_bytes() == before
    with Library.open(folder) as again:
        assert [r.title for r in again.list()] == ["A"]
