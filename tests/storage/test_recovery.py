"""Backups, integrity checks and restore, risky places, and faults injected for real
(BAD-INPUTS 23-28)."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from curator.base import clock
from curator.base.errors import StorageError
from curator.cli import main
from curator.library import Library
from curator.storage import backup, recovery
from curator.storage.recovery import LibraryDamaged


def make(folder, n=5):
    lib = Library.open(folder)
    lib.act_as("Alex")
    for i in range(n):
        lib.add_resource(f"https://example.org/{i}", title=f"Resource {i}",
                         text="safeguarding " * 200)
    return lib


def test_backup_is_checked_and_rotation_keeps_recent_and_monthly(tmp_path):
    lib = make(tmp_path / "lib", 2)
    path = lib.backup()
    assert path.exists() and path.parent == lib.backups_dir
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM resources").fetchone()[0] == 2
    conn.close()
    lib.close()
    folder = tmp_path / "rot"
    folder.mkdir()
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    for day in range(0, 400, 3):
        taken = now - dt.timedelta(days=day)
        (folder / f"resources-{taken:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"x")
    (folder / "resources-20200101-000000-before-upgrade.db").write_bytes(b"x")
    backup.rotate(folder, now)
    left = backup.list_backups(folder)
    daily = [b for b in left if b.reason == "daily"]
    assert len(daily) <= 10 + 13
    assert daily[0].taken == now  # newest kept
    months = {(b.taken.year, b.taken.month) for b in daily}
    assert len(months) >= 12
    assert any(b.reason == "before-upgrade" for b in left)  # never rotated away


def test_daily_backup_at_most_once_a_day(tmp_path, monkeypatch):
    lib = make(tmp_path / "lib", 1)
    assert lib.backup_if_due() is not None
    assert lib.backup_if_due() is None
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + dt.timedelta(hours=25))
    assert lib.backup_if_due() is not None
    lib.close()


def damage(db: Path) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        for offset in range(4096 * 2, size, 4096 * 3):
            fh.seek(offset)
            fh.write(os.urandom(512))


def test_garbage_in_the_database_is_detected_and_a_backup_restored(tmp_path, capsys):
    folder = tmp_path / "lib"
    lib = make(folder, 30)
    lib.backup()
    lib.add_resource("https://example.org/after-backup", title="After the backup")
    lib.close()
    damage(folder / "resources.db")
    with pytest.raises(LibraryDamaged) as err:
        Library.open(folder, check="full")
    assert "damaged" in err.value.message and err.value.newest is not None
    assert main(["--library", str(folder), "restore"]) == 0
    out = capsys.readouterr().out
    assert "Restored the library" in out and "damaged" in out
    kept = list(folder.glob("resources.db.damaged-*"))
    assert kept, "the damaged file is kept aside, never deleted"
    with Library.open(folder, check="full") as again:
        again.act_as("Alex")
        assert len(again.list()) == 30
        again.process_index_queue()
        assert again.search("safeguarding").total == 30  # index rebuilt from the database


def test_a_non_database_file_offers_the_backup(tmp_path):
    folder = tmp_path / "lib"
    lib = make(folder, 2)
    lib.backup()
    lib.close()
    (folder / "resources.db").write_bytes(b"garbage" * 1000)
    with pytest.raises(LibraryDamaged) as err:
        Library.open(folder)
    assert err.value.newest is not None
    recovery.restore(folder)
    with Library.open(folder) as again:
        assert len(again.list()) == 2


def test_an_unclean_session_triggers_a_check_on_open(tmp_path):
    folder = tmp_path / "lib"
    lib = make(folder, 1)
    lib.store.close()  # the process "dies" without closing the library
    assert recovery.previous_session_unclean(folder)
    with Library.open(folder) as again:  # check="auto" checks, finds it fine
        assert len(again.list()) == 1
    assert not recovery.previous_session_unclean(folder)


def test_io_error_during_a_write_rolls_back_and_says_so(tmp_path):
    folder = tmp_path / "lib"
    lib = make(folder, 1)
    conn = lib.store.db.conn
    # Put a read-only descriptor where SQLite's WAL file is open: its next write fails
    # with an operating-system error, as a failing disk would.
    wal = (folder / "resources.db-wal").resolve()
    fds = [int(fd) for fd in os.listdir("/proc/self/fd")
           if os.path.realpath(f"/proc/self/fd/{fd}") == str(wal)]
    assert fds
    ro = os.open(os.devnull, os.O_RDONLY)
    saved = [os.dup(fd) for fd in fds]
    try:
        for fd in fds:
            os.dup2(ro, fd)
        with pytest.raises(StorageError) as err:
            lib.add_resource("https://example.org/fails", title="Fails", index=False)
        assert "disk" in err.value.message
    finally:
        for fd, keep in zip(fds, saved, strict=True):
            os.dup2(keep, fd)
            os.close(keep)
        os.close(ro)
    del conn
    lib.store.close()
    with Library.open(folder, check="full") as again:
        titles = [r.title for r in again.list()]
        assert titles == ["Resource 0"]


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    folder = tmp_path / "lib"
    lib = make(folder, 0)
    lib.add_expert("Other")
    lib.close()
    script = (
        "import sys\nfrom curator.library import Library\n"
        "lib = Library.open(sys.argv[1]); lib.act_as('Other')\n"
        "for i in range(40):\n"
        "    lib.add_resource(f'https://example.org/other/{i}', title=f'Visitor {i}')\n")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen([sys.executable, "-c", script, str(folder)], env=env)
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        for i in range(40):
            lib.add_resource(f"https://example.org/mine/{i}", title=f"Mine {i}")
    assert proc.wait(60) == 0
    with Library.open(folder, check="full") as lib:
        assert len(lib.list()) == 80
        lib.process_index_queue()
        assert lib.search("visitor").total == 40
        assert lib.search("mine").total == 40


def test_risky_places_are_named(tmp_path, monkeypatch):
    assert "OneDrive" in recovery.risky_place(Path("/home/sam/OneDrive - Council/Curator"))
    assert recovery.risky_place(tmp_path) is None
    monkeypatch.setattr(recovery, "_linux_fs_type", lambda path: "cifs")
    if sys.platform != "win32":
        assert "network drive" in recovery.risky_place(tmp_path)
