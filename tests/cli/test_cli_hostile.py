"""Bad input and hostile content at the command line (BAD-INPUTS): ids that look like
patterns, page titles made of terminal escape codes, a star for a query, a file where a
folder should be, a database that is not a Curator library, and a reader that stops."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from curator.catalogue import resources
from curator.library import Library

ROOT = Path(__file__).resolve().parents[2]
ESCAPES = ("\x1b]0;Your files are encrypted\x07\x1b[2J\x1b[1;31mRead this\x1b[0m "
           "\x9b2J\u202egnp.exe\r")


def add_with_ids(folder: Path, ids_titles: list[tuple[str, str]]) -> None:
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        with lib.store.write() as db:
            for rid, title in ids_titles:
                resources.insert(db, lib.actor, {"url": f"https://example.org/{rid}",
                                                 "norm_url": f"https://example.org/{rid}",
                                                 "title": title}, resource_id=rid)


def test_ids_are_matched_exactly_or_by_a_unique_prefix_never_as_a_pattern(cli):
    add_with_ids(cli.folder, [("abcd1111-0000-4000-8000-000000000001", "First"),
                              ("abcd2222-0000-4000-8000-000000000002", "Second"),
                              ("f00d3333-0000-4000-8000-000000000003", "Third")])
    for pattern in ("________", "%%%%", "abc_", "ab%", "____%"):
        code, _, err = cli("--as", "Alex", "delete", pattern)
        assert code == 3 and "There is no resource with the id" in err, (pattern, err)
    code, out, _ = cli("--json", "list")
    assert len(json.loads(out)) == 3, "nothing went to the trash"
    code, _, err = cli("show", "abcd")
    assert code == 1
    assert "More than one resource id starts with 'abcd'" in err
    assert "abcd1111-000 (First)" in err and "abcd2222-000 (Second)" in err
    assert "Give more of the id" in err
    code, out, _ = cli("show", "ABCD2")  # a unique start, in any case
    assert code == 0 and "Second" in out
    code, out, _ = cli("--as", "Alex", "delete", "f00d")
    assert code == 0 and "Moved to the trash: Third" in out


def test_page_titles_made_of_escape_codes_are_printed_harmless(cli, httpserver):
    page = (f"<html><head><title>{ESCAPES}Safeguarding</title></head><body><h1>Guide</h1>"
            "<p>Neglect guidance for practitioners in children's services, long enough to "
            "be read as the page's main text by the reader.</p></body></html>")
    page = page.replace("\x1b", "&#27;").replace("\x07", "&#7;").replace("\x9b", "&#155;")
    httpserver.expect_request("/p").respond_with_data(page, content_type="text/html")
    code, out, err = cli("--as", "Alex", "clip", httpserver.url_for("/p"))
    assert code == 0, err
    rid = out.strip().splitlines()[-1]
    code, out, _ = cli("--json", "show", rid)
    assert "\x1b" in json.loads(out)["title"] or "\x07" in json.loads(out)["title"], \
        "the hostile title is stored as the page gave it"
    add_with_ids(cli.folder, [("bad00000-0000-4000-8000-000000000009",
                               ESCAPES + "Neglect guide")])
    shown = {}
    for argv in (["list"], ["search", "neglect"], ["show", rid], ["show", "bad00000"],
                 ["--as", "Alex", "delete", "bad00000"], ["list", "--trash"], ["review"]):
        code, out, err = cli(*argv)
        assert code == 0, (argv, err)
        shown[" ".join(argv)] = out + err
    for what, text in shown.items():
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
            assert bad not in text, (what, repr(text))
    assert "Read this" in shown["list --trash"] and "Neglect guide" in shown["list --trash"]
    assert "Safeguarding" in shown["list"]


def test_a_star_alone_says_what_to_type_instead(cli):
    add_with_ids(cli.folder, [("aaaa0000-0000-4000-8000-000000000001", "Neglect guide")])
    cli("reindex")
    code, _, err = cli("search", "*")
    assert code == 1
    assert "A star on its own matches nothing" in err and "neglect*" in err
    assert "curator list" in err
    code, _, err = cli("search", '""')
    assert code == 1 and "Type a word" in err
    code, out, _ = cli("search", "negl*")
    assert code == 0 and "1 result" in out


def test_a_file_called_index_is_named_with_what_to_do(cli):
    add_with_ids(cli.folder, [("aaaa0000-0000-4000-8000-000000000001", "Neglect guide")])
    index = cli.folder / "index"
    for part in sorted(index.rglob("*"), reverse=True):
        part.rmdir() if part.is_dir() else part.unlink()
    index.rmdir()
    index.write_text("a stray file\n")
    code, _, err = cli("list")
    assert code == 5
    assert "there is a file called 'index'" in err and "search index" in err
    assert "Move that file out of the library folder" in err
    assert "File exists" not in err and "Traceback" not in err


def test_restoring_a_database_that_is_not_a_curator_library_is_refused(cli, tmp_path):
    add_with_ids(cli.folder, [("aaaa0000-0000-4000-8000-000000000001", "Neglect guide")])
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('A', '1')")
    conn.commit()
    conn.close()
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    text = tmp_path / "notes.db"
    text.write_text("just some notes\n" * 100)
    for path, why in ((other, "made by another program"), (empty, "empty database"),
                      (text, "not a database at all")):
        code, _, err = cli("restore", str(path))
        assert code == 5, err
        assert f"{path.name} is not a backup of a Curator library" in err and why in err
        assert "Nothing was changed" in err
    code, out, _ = cli("--json", "list")
    assert [r["title"] for r in json.loads(out)] == ["Neglect guide"]
    assert not list(cli.folder.glob("resources.db.damaged-*"))


def _read_one_line_and_go(argv: list[str]) -> tuple[int, str, str]:
    """What ``curator ... | head -1`` does: read a line, then stop reading."""
    proc = subprocess.Popen([sys.executable, "-m", "curator", *argv], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline().decode()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=120), first, err


def test_piping_into_head_stops_quietly(cli):
    with Library.open(cli.folder) as lib:
        lib.act_as("Alex")
        lib.add_many([{"url": f"https://example.org/{n}", "title": f"Neglect guide {n} "
                       + "with a long title for a long line " * 2} for n in range(1500)])
        lib.process_index_queue()
    backups = cli.folder / "backups"
    for n in range(1500):
        (backups / f"resources-20260101-000000-manual-{n + 2}.db").touch()
    lib_args = ["--library", str(cli.folder)]
    for argv in (["list"], ["search", "neglect", "--limit", "1500"], ["backups"]):
        code, first, err = _read_one_line_and_go([*lib_args, *argv])
        assert first.strip(), argv
        assert err == "", (argv, err)
        assert code == 141, (argv, code)
