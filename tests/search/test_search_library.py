"""Search through the Library: the index follows every change and survives damage."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curator.cli import main
from curator.library import Library


def fill(lib, n=3):
    texts = ["Coercive control is a pattern of controlling behaviour in families.",
             "Neglect in adolescence is often framed as behaviour rather than harm.",
             "County lines gangs exploit children to move drugs between areas."]
    for i in range(n):
        lib.add_resource(f"https://example.org/{i}", title=f"Resource {i}", text=texts[i % 3],
                         themes_=[["DA"], ["NEG"], ["EXP"]][i % 3])


def test_every_change_reaches_the_index(library):
    fill(library)
    [hit] = library.search("coercive").hits
    rid = hit.id
    library.edit(rid, {"notes": "Useful with the MARAC checklist"})
    assert [h.id for h in library.search("MARAC").hits] == [rid]
    library.delete(rid)
    assert library.search("coercive").total == 0
    library.restore(rid)
    assert library.search("coercive").total == 1
    assert library.indexer.pending() == 0


def test_filters_and_expert_thesaurus(library):
    fill(library)
    assert library.search("theme:NEG").total == 1
    assert library.search("controlling").total == 1
    assert library.search("CCE").total >= 1  # starter thesaurus: CCE = county lines
    library.add_thesaurus_entry(["gangs", "organised crime groups"])
    assert library.search('"organised crime groups"').total == 1


def test_deleted_index_is_rebuilt_from_the_database(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        fill(lib)
    shutil.rmtree(folder / "index")
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.process_index_queue()
        assert lib.search("neglect").total == 1


def test_garbage_index_is_rebuilt(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        fill(lib)
    for f in (folder / "index").rglob("*"):
        if f.is_file():
            f.write_bytes(b"\x00garbage" * 10)
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        assert lib.indexer.needs_rebuild()
        lib.process_index_queue()
        assert lib.search("county").total == 1


def _new_generation(index: Path, live: str) -> Path | None:
    return next((p for p in index.iterdir()
                 if p.is_dir() and p.name.startswith("g-") and p.name != live), None)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and process groups are Unix's")
@pytest.mark.parametrize("when", ["as the new index is started", "while it is being written"])
def test_index_survives_kill_9_during_a_rebuild(tmp_path, when):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.add_many({"url": f"https://example.org/r{i}", "title": f"Report {i}",
                      "text": "safeguarding practice evidence " * 300} for i in range(1500))
    index = folder / "index"
    live = (index / "CURRENT").read_text().strip()
    root = Path(__file__).resolve().parents[2]
    # Its own process group, so the kill takes the rebuild's worker processes too.
    proc = subprocess.Popen([sys.executable, "-m", "curator", "--library", str(folder),
                             "reindex"], cwd=root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        building = None
        while building is None:
            assert proc.poll() is None, "the rebuild ended before it could be killed"
            assert time.monotonic() < deadline, "the rebuild never started"
            building = _new_generation(index, live)
            time.sleep(0.002)
        if when == "while it is being written":
            started = time.monotonic()
            while time.monotonic() - started < 0.3 or not any(building.rglob("*")):
                assert proc.poll() is None, "the rebuild ended before it could be killed"
                time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # Killed mid-rebuild: the half-built generation was never made the live one.
    assert (index / "CURRENT").read_text().strip() == live
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.process_index_queue()
        assert lib.search("safeguarding").total == 1500


def test_cli_search_json_and_more_like_this(tmp_path, capsys):
    lib = ["--library", str(tmp_path / "lib"), "--as", "Alex"]
    for i, text in enumerate(["coercive control and domestic abuse in families",
                              "domestic abuse and coercive control: a toolkit",
                              "county lines exploitation"]):
        main([*lib, "clip", f"https://example.org/{i}", "--no-fetch"])
        rid = capsys.readouterr().out.strip()
        main([*lib, "edit", rid, "--title", text])
        capsys.readouterr()
    assert main([*lib, "search", "coercive", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 2 and all("id" in h and "snippet" in h for h in data["hits"])
    assert main([*lib, "search", "--like", data["hits"][0]["id"], "--json"]) == 0
    like = json.loads(capsys.readouterr().out)
    assert data["hits"][1]["id"] in [h["id"] for h in like["hits"]]
    assert main([*lib, "search", '"unbalanced', "--json"]) == 0  # never an error
    assert main([*lib, "thesaurus", "add", "CIN", "child in need"]) == 0
    assert main([*lib, "thesaurus", "list"]) == 0
    assert "CIN = child in need" in capsys.readouterr().out
