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


def test_a_backup_is_a_checked_copy_in_backups(tmp_path):
    lib = make(tmp_path / "lib", 2)
    path = lib.backup()
    assert path.exists() and path.parent == lib.backups_dir
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM resources").fetchone()[0] == 2
    finally:
        conn.close()
    assert not list(lib.backups_dir.glob("*.part"))
    lib.close()


def test_rotation_keeps_the_last_ten_and_one_a_month_for_a_year(tmp_path, monkeypatch):
    lib = make(tmp_path / "lib", 1)
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    folder = lib.backups_dir
    for day in range(1, 401):  # a daily backup every day for over a year
        taken = now - dt.timedelta(days=day)
        (folder / f"resources-{taken:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"x")
    for kept in ("20200101-000000-before-upgrade", "20200102-000000-before-restore"):
        (folder / f"resources-{kept}.db").write_bytes(b"x")
    monkeypatch.setattr(clock, "now", lambda: now)
    newest = lib.backup()  # the real path: back up, then rotate
    lib.close()
    left = {b.taken.date().isoformat(): b for b in backup.list_backups(folder)}
    last_ten = [(now - dt.timedelta(days=d)).date().isoformat() for d in range(10)]
    # Beyond those, the newest of each month back to a year ago (November 2025).
    monthly = ["2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30",
               "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31",
               "2025-12-31", "2025-11-30"]
    assert sorted(d for d, b in left.items() if b.reason in ("daily", "manual")) == \
        sorted(last_ten + monthly)
    assert left["2026-11-22"].path == newest and left["2026-11-22"].reason == "manual"
    # Backups taken before an upgrade or a restore are never rotated away.
    assert left["2020-01-01"].reason == "before-upgrade"
    assert left["2020-01-02"].reason == "before-restore"
    assert len(list(folder.iterdir())) == 10 + 12 + 2


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


def damage_text_pages(db: Path) -> None:
    """Break the page headers of the table of page texts only: the file still opens and
    its schema and records of migrations read fine, so only a full check finds it."""
    conn = sqlite3.connect(db)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'resource_text' AND pagetype = 'leaf'")]
    except sqlite3.OperationalError:  # an SQLite built without dbstat
        conn.close()
        damage(db)
        return
    conn.close()
    assert leaves
    with open(db, "r+b") as fh:
        for page in leaves[::2]:
            fh.seek((page - 1) * size)
            fh.write(b"\xff" * 12)


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
    # The damaged database itself is kept aside (not only its side files), never deleted.
    kept = [p for p in folder.glob("resources.db.damaged-*")
            if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1, "the damaged file is kept aside, never deleted"
    assert kept[0].read_bytes()[:16] == b"SQLite format 3\x00"
    with Library.open(folder, check="full") as again:
        again.act_as("Alex")
        assert len(again.list()) == 30
        again.process_index_queue()
        assert again.search("safeguarding").total == 30  # index rebuilt from the database
        # Nothing from the replaced database lingers in the index: the resource added
        # after the backup is gone from the library, so search cannot find it either.
        assert again.search("after backup").total == 0
        assert again.search("Resource 7").total >= 1


def add_orphan_page(db: Path) -> None:
    """One page more than any table uses: every record still reads, but SQLite's
    ``quick_check`` reports "Page N is never used" (a finding, not an error)."""
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    pages = int.from_bytes(data[28:32], "big")
    data += bytes(size)
    data[28:32] = (pages + 1).to_bytes(4, "big")
    db.write_bytes(bytes(data))


def test_a_backup_that_fails_its_check_does_not_count(tmp_path):
    """A copy is checked before it is kept: a database whose check finds a fault (the
    file still opens and reads) gives no backup, says why, and leaves nothing half-made
    in backups/."""
    folder = tmp_path / "lib"
    lib = make(folder, 30)
    first = lib.backup()
    lib.close()
    add_orphan_page(folder / "resources.db")
    with Library.open(folder, check="none") as again:
        with pytest.raises(LibraryDamaged) as err:
            again.backup()
    assert "failed its check" in err.value.message or "damaged" in err.value.message
    assert sorted(p.name for p in (folder / "backups").iterdir()) == [first.name]
    assert backup.newest_good(folder / "backups").path == first


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


def titles(db_file: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT title FROM resources"))
    finally:
        conn.close()


def test_restore_first_backs_up_the_database_it_replaces(tmp_path, capsys):
    folder = tmp_path / "lib"
    lib = make(folder, 3)
    chosen = lib.backup()
    lib.add_resource("https://example.org/after", title="After the backup", index=False)
    lib.close()
    assert main(["--library", str(folder), "restore", chosen.name]) == 0
    out = capsys.readouterr().out
    safety = [b for b in backup.list_backups(folder / "backups") if b.reason == "before-restore"]
    assert len(safety) == 1 and str(safety[0].path) in out
    assert "After the backup" in titles(safety[0].path)  # what was there before the restore
    assert "After the backup" not in titles(folder / "resources.db")
    # Restoring that safety copy brings the work back: the restore lost nothing.
    assert main(["--library", str(folder), "restore", str(safety[0].path)]) == 0
    capsys.readouterr()
    with Library.open(folder, check="full") as again:
        assert [r.title for r in again.list()].count("After the backup") == 1
        assert len(again.list()) == 4


def test_a_damaged_backup_is_never_restored(tmp_path, capsys):
    folder = tmp_path / "lib"
    lib = make(folder, 30)
    good = lib.backup()
    lib.add_resource("https://example.org/later", title="Later", index=False)
    bad = lib.backup()
    lib.close()
    damage_text_pages(bad)
    conn = sqlite3.connect(f"file:{bad}?mode=ro", uri=True)
    assert recovery.quick_check(conn) != "ok"  # damaged inside, yet it still opens
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    conn.close()
    # "The newest good one": the damaged newer backup is passed over.
    assert main(["--library", str(folder), "restore"]) == 0
    assert f"from {good.name}" in capsys.readouterr().out
    with Library.open(folder, check="full") as lib:
        assert len(lib.list()) == 30
        lib.add_resource("https://example.org/again", title="Again", index=False)
    # Chosen by name: refused, and the library is left as it was.
    assert main(["--library", str(folder), "restore", bad.name]) != 0
    assert "could not be restored" in capsys.readouterr().err
    with Library.open(folder, check="full") as lib:
        assert len(lib.list()) == 31 and lib.find_existing("https://example.org/again")


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


def test_risky_places_are_named(tmp_path):
    assert "OneDrive" in recovery.risky_place(Path("/home/sam/OneDrive - Council/Curator"))
    assert "Dropbox" in recovery.risky_place(Path("/home/sam/Dropbox/Curator"))
    assert recovery.risky_place(tmp_path) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/mounts is Linux's")
def test_the_file_system_is_read_from_this_machines_own_mounts(tmp_path):
    """The real /proc/mounts, as the code reads it, agrees with findmnt about tmp_path."""
    import shutil
    if shutil.which("findmnt") is None:
        pytest.skip("findmnt is not installed")
    expected = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "--target", str(tmp_path)],
                              capture_output=True, text=True, check=True).stdout.strip()
    assert expected and recovery._linux_fs_type(tmp_path) == expected


#: Lines as Linux writes them in /proc/mounts (a space in a mount point is \040).
MOUNTS = "\n".join([
    "/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0",
    "/dev/nvme0n1p3 /home ext4 rw,relatime 0 0",
    r"//fileserver.council.local/Shared /mnt/council\040drive cifs rw,relatime,vers=3.1.1,"
    "cache=strict,username=sam,uid=1000,noforceuid,gid=1000,addr=10.1.2.3,soft,nounix 0 0",
    "nas.council.local:/export/social-care /home/sam/team-nfs nfs4 rw,relatime,vers=4.2,"
    "rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600 0 0",
    "sam@files.example:/srv /home/sam/remote fuse.sshfs rw,nosuid,nodev,relatime 0 0",
    "tmpfs /run/user/1000 tmpfs rw,nosuid,nodev,relatime,size=1630000k,mode=700 0 0",
]) + "\n"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows asks for the drive type instead")
@pytest.mark.parametrize("folder,network", [
    ("/mnt/council drive/Curator", True),          # a CIFS share, its space written \040
    ("/home/sam/team-nfs/Curator Library", True),  # NFS inside a local /home
    ("/home/sam/remote/lib", True),                # sshfs
    ("/home/sam/Curator", False),                  # the laptop's own disk
    ("/home/sam/team-nfs-old/Curator", False),     # a name that only starts the same
    ("/mnt/council drive2/Curator", False),
])
def test_network_drives_are_found_from_real_mount_lines(monkeypatch, folder, network):
    real = Path.read_text

    def read_text(self, *args, **kwargs):
        return MOUNTS if str(self) == "/proc/mounts" else real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "read_text", read_text)
    warning = recovery.risky_place(Path(folder))
    assert (warning is not None and "network drive" in warning) is network
