"""A full disk and a damaged database, as the command line meets them (BAD-INPUTS:
storage faults). Reads go on working on a full disk; writes say the disk is full and what
to do; a damaged file is named as damaged, with the restore to run.

The full disk is made two ways: with SQLite's own page limit (``PRAGMA max_page_count``
on every connection the library opens, through ``faults.CONNECT_HOOKS``), and, where this
machine lets a test mount one, on a real 8 MB file system filled to the last byte.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from curator.library import Library
from curator.storage import faults

ROOT = Path(__file__).resolve().parents[2]


def make_library(folder: Path, n: int = 3) -> list[str]:
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        ids = [lib.add_resource(f"https://example.org/{i}", title=f"Safeguarding guide {i}",
                                text="Guidance for practitioners.").id for i in range(n)]
        lib.process_index_queue()
    return ids


def page_limit(conn) -> None:
    # The database may not grow by a single page: SQLite then reports SQLITE_FULL.
    conn.execute("PRAGMA max_page_count = 1")


def test_a_full_disk_lets_every_read_work_and_writes_say_it_is_full(cli, monkeypatch):
    ids = make_library(cli.folder)
    monkeypatch.setattr(faults, "CONNECT_HOOKS", [page_limit])
    for argv in (["list"], ["--as", "Alex", "list"], ["search", "safeguarding"],
                 ["show", ids[0][:8]], ["backups"], ["review"]):
        code, out, err = cli(*argv)
        assert code == 0, (argv, out, err)
        assert err == "" and "failing" not in out
    code, out, _ = cli("search", "guide")
    assert "3 results" in out
    code, _, err = cli("--as", "Alex", "clip", "https://example.org/new", "--no-fetch",
                       "--note", "why it matters " * 1200)
    assert code == 5
    assert "the disk is full" in err and "Free some space" in err
    assert "failing" not in err and "Traceback" not in err
    code, _, err = cli("backup")
    assert code == 5 and "the disk is full" in err and "Traceback" not in err
    assert not list((cli.folder / "backups").glob("*.part")), "no half-written backup left"
    monkeypatch.setattr(faults, "CONNECT_HOOKS", [])
    code, out, _ = cli("--json", "list")
    assert sorted(r["id"] for r in json.loads(out)) == sorted(ids)  # nothing half-saved


def _can_mount_a_small_disk() -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    done = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs "
                           "/mnt && umount /mnt"], capture_output=True)
    return done.returncode == 0


SMALL_DISK_SCRIPT = textwrap.dedent("""
    import contextlib, io, json, os, sys
    from curator.cli import main
    from curator.library import Library
    disk, lib_dir = sys.argv[1], os.path.join(sys.argv[1], "lib")
    with Library.open(lib_dir) as lib:
        lib.act_as("Alex")
        rid = lib.add_resource("https://example.org/a", title="Safeguarding guide",
                               text="Guidance for practitioners.").id
        lib.process_index_queue()
    with open(os.path.join(disk, "filler"), "wb") as fh:  # fill the disk to the last byte
        try:
            while True:
                fh.write(b"\\0" * 65536)
                fh.flush()
        except OSError:
            pass
    results = {}
    for name, argv in {"list": ["list"], "as-list": ["--as", "Alex", "list"],
                       "search": ["search", "safeguarding"], "show": ["show", rid],
                       "clip": ["--as", "Alex", "clip", "https://example.org/b",
                                "--no-fetch"],
                       "backup": ["backup"]}.items():
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--library", lib_dir, *argv])
        results[name] = [code, out.getvalue(), err.getvalue()]
    print(json.dumps(results))
""")


@pytest.mark.skipif(not _can_mount_a_small_disk(),
                    reason="needs root and a private mount namespace to make a small disk")
def test_a_really_full_disk_lets_reads_work_and_says_full(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "scenario.py"
    script.write_text(SMALL_DISK_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o size=8m tmpfs "{disk}" && '
         f'exec "{sys.executable}" "{script}" "{disk}"'],
        capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("list", "as-list", "search", "show"):
        code, out, err = results[name]
        assert code == 0, (name, out, err)
        assert "Safeguarding guide" in out and "failing" not in out + err
    for name in ("clip", "backup"):
        code, out, err = results[name]
        assert code == 5, (name, out, err)
        assert "the disk is full" in err and "Free some space" in err, err
        assert "failing" not in err and "Traceback" not in err


def damage_the_resources_table(folder: Path) -> None:
    """Overwrite the pages where the resources table and its id index start, as a disk
    that failed in the middle of the file would; the rest of the file is left alone."""
    with Library.open(folder) as lib:
        roots = [r[0] for r in lib.store.query(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'resources' AND "
            "rootpage > 0")]
        size = lib.store.query_one("PRAGMA page_size")[0]
    with open(folder / "resources.db", "r+b") as fh:
        for page in roots:
            fh.seek((page - 1) * size)
            fh.write(b"\xa5" * size)


def test_a_database_damaged_in_the_middle_is_named_and_restore_offered(cli):
    ids = make_library(cli.folder)
    code, _, _ = cli("backup")
    assert code == 0
    damage_the_resources_table(cli.folder)  # after a clean close: no check on opening
    for argv in (["show", ids[0]], ["--as", "Alex", "edit", ids[0], "--title", "New"],
                 ["list"], ["backup"]):
        code, out, err = cli(*argv)
        assert code == 5, (argv, out, err)
        assert "damaged" in err and "curator restore" in err, (argv, err)
        assert "newest good backup" in err and "Traceback" not in err and "bug" not in err
    assert not list((cli.folder / "backups").glob("*.part"))
    code, out, _ = cli("restore")
    assert code == 0 and "Restored the library" in out
    code, out, _ = cli("--json", "list")
    assert code == 0 and sorted(r["id"] for r in json.loads(out)) == sorted(ids)
