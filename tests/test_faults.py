"""Faults the machine can throw at a write (BAD-INPUTS 23-24): nothing half-saved."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curator.errors import StorageError
from curator.library import Library

WRITER = r"""
import sys
from curator.library import Library
lib = Library.open(sys.argv[1])
lib.act_as("Crash Test")
lib.defer_indexing = True
i = int(sys.argv[2])
while True:
    r = lib.add_resource(f"https://example.org/{i}", title=f"Resource {i}",
                         text="word " * 2000, index=False)
    print(r.id, flush=True)   # acknowledged: the transaction has committed
    i += 1
"""


def test_kill_9_during_writes_loses_nothing_acknowledged(tmp_path):
    folder = tmp_path / "lib"
    Library.open(folder).close()
    acknowledged: list[str] = []
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    for run in range(5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(run * 100_000)],
                                stdout=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 20
        seen = 0
        while seen < 5 + run * 3 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.strip():
                acknowledged.append(line.strip())
                seen += 1
        proc.send_signal(signal.SIGKILL)
        rest = proc.communicate()[0]
        acknowledged.extend(x for x in rest.split() if x)
        conn = sqlite3.connect(folder / "resources.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT id FROM resources")}
        conn.close()
        missing = [a for a in acknowledged if a not in stored]
        assert not missing, f"run {run}: lost {len(missing)} acknowledged resources"
    with Library.open(folder) as lib:
        assert len(lib.list()) >= len(acknowledged)


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
