"""A rebuild of the search index whose process is killed, or whose worker is killed.

The workers must not outlive the process that started them, and the half-built index
generation must not stay on disk: the next open of the index removes it, and the index
as it was goes on answering searches.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from curator.library import Library
from curator.search import build
from tests.support.processes import alive, still_running

ROOT = Path(__file__).resolve().parents[2]
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
WORDS = ("neglect family practitioner record concern school health visitor parent "
         "child safeguarding referral assessment plan review meeting support home "
         "early help social worker court order care leaver placement").split()


def big_library(folder: Path, many: int = 2500) -> None:
    """A library whose index holds two resources, with *many* more waiting to be indexed."""
    lib = Library.open(folder)
    lib.act_as("Alex Lead")
    lib.add_resource("https://example.org/otters", title="Otters in the river",
                     text="otters badgers")
    lib.add_resource("https://example.org/kites", title="Red kites", text="kites")
    lib.indexer.rebuild()
    lib.defer_indexing = True
    rng = random.Random(7)
    lib.add_many([{"url": f"https://example.org/page/{n}", "title": f"Page {n}",
                   "text": " ".join(rng.choices(WORDS, k=400))} for n in range(many)])
    lib.close()


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("g-"))


def check_old_index_answers(folder: Path) -> None:
    lib = Library.open(folder)
    try:
        index_dir = lib.index_dir
        assert not lib.indexer.needs_rebuild()  # opening the index tidies up first
        current = (index_dir / "CURRENT").read_text("utf-8").strip()
        assert generations(index_dir) == [current]  # no half-built generation left
        assert [h.title for h in lib.indexer.search("otters").hits] == ["Otters in the river"]
    finally:
        lib.close()


REBUILD = """
import multiprocessing, sys, time
from curator.library import Library
lib = Library.open(sys.argv[1])
told = []
def progress(done, total, _text=""):
    if not told:
        told.append(1)
        pids = [p.pid for p in multiprocessing.active_children()]
        print(" ".join(map(str, pids)), flush=True)
        time.sleep(30)  # hold the rebuild mid-way until it is killed
lib.indexer.rebuild(progress=progress)
print("finished", flush=True)
"""


@POSIX_ONLY
def test_killing_a_rebuild_ends_its_workers_and_leaves_no_generation(tmp_path):
    folder = tmp_path / "lib"
    big_library(folder)
    index_dir = folder / "index"
    before = generations(index_dir)
    child = subprocess.Popen([sys.executable, "-c", REBUILD, str(folder)], cwd=ROOT,
                             text=True, stdout=subprocess.PIPE)
    try:
        pids = [int(p) for p in child.stdout.readline().split()]
        assert len(pids) >= 2 and all(alive(p) for p in pids)  # the build is under way
        building = [n for n in generations(index_dir) if n not in before]
        assert any(n.endswith(build.BUILDING) for n in building)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert still_running(pids, within=30) == [], "index workers outlived their parent"
    assert len(generations(index_dir)) > len(before)  # the killed build's files are there
    check_old_index_answers(folder)


@POSIX_ONLY
@pytest.mark.parametrize("victims", [1, 2])  # all of them: nothing left to take the work
def test_a_worker_killed_mid_rebuild_is_said_in_plain_words(tmp_path, victims):
    folder = tmp_path / "lib"
    big_library(folder, many=1500)
    lib = Library.open(folder)
    killed = []

    def progress(done, total, _text=""):
        if not killed:
            for victim in multiprocessing.active_children()[:victims]:
                os.kill(victim.pid, signal.SIGKILL)
                killed.append(victim.pid)

    try:
        with pytest.raises(build.BuildFailed) as caught:
            lib.indexer.rebuild(progress=progress)
    finally:
        lib.close()
    assert killed
    assert caught.value.message == build.WORKER_STOPPED
    assert "helper processes" in str(caught.value)
    check_old_index_answers(folder)
