"""A library the person may only read (BAD-INPUTS: read-only library): listing, showing
and searching work; every change says plainly that the library is read-only and why.

The file (or the folder too) is made really read-only. Tests run as root here, whom
``chmod`` does not stop, so the immutable attribute (``chattr +i``) is used; where a file
system has no such attribute the test falls back to what the app does when it finds it
cannot write (the same check, answered "no"), which opens the file with ``mode=ro``.
"""

import contextlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from curator.library import Library
from curator.storage import paths


@contextlib.contextmanager
def really_read_only(monkeypatch, *places: Path):
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in places}
        for p in places:
            p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
        try:
            yield "chmod"
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    done = subprocess.run(["chattr", "+i", *map(str, places)], capture_output=True) \
        if shutil.which("chattr") else None
    if done is not None and done.returncode == 0:
        try:
            yield "chattr"
        finally:
            subprocess.run(["chattr", "-i", *map(str, places)], check=True)
        return
    refused = {p.resolve() for p in places}
    real = paths.writable
    monkeypatch.setattr(paths, "writable", lambda p: Path(p).resolve() not in refused
                        and real(p))
    yield "simulated"


@pytest.fixture
def cli(cli):
    with Library.open(cli.folder) as lib:
        lib.act_as("Alex")
        cli.ids = [lib.add_resource(f"https://example.org/{i}", title=f"Neglect guide {i}",
                                    text="Graded care profile.").id for i in range(2)]
        lib.process_index_queue()
    return cli


def check_reads_work_and_writes_are_refused(cli, why: str) -> None:
    for argv in (["list"], ["--as", "Alex", "list"], ["search", "neglect"],
                 ["show", cli.ids[0][:8]], ["backups"], ["review"], ["themes", "list"]):
        code, out, err = cli(*argv)
        assert code == 0, (argv, out, err)
        assert err == "", (argv, err)
    assert "2 results" in cli("search", "neglect")[1]
    assert "Neglect guide 0" in cli("list")[1]
    for argv in (["--as", "Alex", "edit", cli.ids[0], "--title", "Changed"],
                 ["--as", "Alex", "clip", "https://example.org/new", "--no-fetch"],
                 ["--as", "Alex", "delete", cli.ids[0]],
                 ["backup"]):
        code, out, err = cli(*argv)
        assert code == 5, (argv, out, err)
        assert "the library is read-only" in err and why in err, (argv, err)
        assert "Traceback" not in err and "bug" not in err


def test_a_read_only_database_file_is_read_and_never_written(cli, monkeypatch):
    db = cli.folder / "resources.db"
    before = db.read_bytes()
    with really_read_only(monkeypatch, db):
        check_reads_work_and_writes_are_refused(cli, "the file resources.db")
        with Library.open(cli.folder) as lib:  # as the app opens it
            assert "resources.db" in lib.store.read_only
            assert lib.backup_if_due() is None  # no daily backup, and no error
    assert db.read_bytes() == before
    assert "Neglect guide 0" in cli("show", cli.ids[0])[1]


def test_a_read_only_library_folder_is_read_and_never_written(cli, monkeypatch):
    db = cli.folder / "resources.db"
    before = db.read_bytes()
    # As copied from a read-only share: the folder and the file, and no SQLite side files.
    assert not (cli.folder / "resources.db-wal").exists()
    with really_read_only(monkeypatch, db, cli.folder):
        check_reads_work_and_writes_are_refused(cli, "cannot be written to")
    assert db.read_bytes() == before
    code, out, _ = cli("--as", "Alex", "edit", cli.ids[0], "--title", "Changed")
    assert code == 0  # writable again: the library was left as it was
