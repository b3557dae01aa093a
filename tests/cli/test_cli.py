"""The command line, run as a person runs it: real processes for the entry point, and
``main()`` in-process for the rest (faster, same code)."""

import gzip
import json
import subprocess
import sys

import pytest

from curator.cli import main


@pytest.fixture
def run(tmp_path, capsys):
    lib = tmp_path / "lib"

    def _run(*argv, expect=0):
        code = main(["--library", str(lib), *argv])
        out, err = capsys.readouterr()
        assert code == expect, f"exit {code}\nstdout: {out}\nstderr: {err}"
        return out, err
    return _run


def test_entry_point_prints_help():
    out = subprocess.run([sys.executable, "-m", "curator", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for command in ("clip", "list", "show", "edit", "experts", "themes", "refetch", "extract"):
        assert command in out


def test_experts_and_themes(run):
    run("--as", "Sam Patel", "experts", "add", "Priya Shah")
    out, _ = run("--json", "experts", "list")
    assert [e["name"] for e in json.loads(out)] == ["Priya Shah", "Sam Patel"]
    run("--as", "Sam Patel", "experts", "rename", "Priya Shah", "Priya Shah-Jones")
    run("--as", "Sam Patel", "experts", "deactivate", "Priya Shah-Jones")
    run("--as", "Sam Patel", "themes", "add", "PS", "Parental substance misuse",
        "--review-months", "6")
    run("--as", "Sam Patel", "themes", "lead", "PS", "Sam Patel")
    run("--as", "Sam Patel", "themes", "edit", "DA", "--evidence-years", "3", "--four-eyes")
    out, _ = run("themes", "list", "--json")
    themes = {t["code"]: t for t in json.loads(out)}
    assert themes["PS"]["leads"] == ["Sam Patel"] and themes["PS"]["review_months"] == 6
    assert themes["DA"]["evidence_years"] == 3 and themes["DA"]["four_eyes"] is True


def test_clip_list_show_edit_delete_restore(run, httpserver, page_bytes):
    httpserver.expect_request("/g").respond_with_data(page_bytes("guidance.html"),
                                                      content_type="text/html")
    out, _ = run("--as", "Sam Patel", "clip", httpserver.url_for("/g"), "--theme", "DA",
                 "--tag", "coercive control", "--note", "For supervision", "--type", "guidance")
    rid = out.strip()
    assert len(rid) == 36
    out, _ = run("list", "--theme", "DA")
    assert "Recognising coercive control" in out and rid[:8] in out
    out, _ = run("show", rid[:8])
    assert "Example Safeguarding Partnership" in out and "For supervision" in out
    run("edit", rid, "--title", "Coercive control guidance", "--add-tag", "MARAC",
        "--audience", "managers")
    out, _ = run("show", rid, "--json", "--history")
    shown = json.loads(out)
    assert shown["title"] == "Coercive control guidance"
    assert shown["tags"] == ["coercive control", "MARAC"]
    assert [h["action"] for h in shown["history"]] == ["resource.clip", "resource.edit"]
    run("delete", rid)
    out, _ = run("list")
    assert "No resources match." in out
    run("restore", rid)
    out, _ = run("list", "--json")
    assert [r["id"] for r in json.loads(out)] == [rid]
    out, err = run("clip", httpserver.url_for("/g") + "?utm_campaign=x")
    assert out.strip() == rid and "Already in the library" in err


def test_bad_input_gets_a_message_and_an_exit_code(run):
    _, err = run("--as", "Sam", "clip", "javascript:alert(1)", expect=1)
    assert "only clips web pages" in err and "Traceback" not in err
    _, err = run("show", "0000000000", expect=3)
    assert "no resource" in err
    _, err = run("--as", "Sam", "edit", "nope", expect=3)
    _, err = run("--as", "Someone", "clip", "https://example.org/", "--no-fetch", expect=3)
    assert "curator experts add" in err


def test_offline_clip_then_refetch(run, httpserver, page_bytes):
    url = httpserver.url_for("/p")
    out, err = run("--as", "Sam", "clip", url)  # nothing served yet: 500 from the test server
    rid = out.strip()
    assert "not fetched yet" in err
    httpserver.expect_request("/p").respond_with_data(page_bytes("guidance.html"),
                                                      content_type="text/html")
    out, _ = run("refetch")
    assert f"{rid[:8]}  ok" in out
    out, _ = run("show", rid, "--json")
    assert json.loads(out)["fetch_state"] == "ok"


def test_acting_expert_from_environment(run, monkeypatch):
    run("--as", "Sam", "experts", "add", "Priya")
    monkeypatch.setenv("CURATOR_EXPERT", "Priya")
    out, _ = run("clip", "https://example.org/x", "--no-fetch", "--json")
    assert json.loads(out)["resource"]["clipped_by"] == "Priya"


def test_extract_manifest(tmp_path, capsys, page_bytes):
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(page_bytes("guidance.html")))
    (tmp_path / "b.html").write_bytes(page_bytes("journal.html"))
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps(x) for x in [
        {"id": "a", "file": "a.html.gz", "url": "https://example.org/a"},
        {"id": "b", "file": "b.html", "url": "https://example.org/b"},
        {"id": "missing", "file": "nope.html", "url": "https://example.org/c"},
    ]) + "\n")
    assert main(["extract", "--manifest", str(manifest)]) == 0
    out = capsys.readouterr().out
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "missing"]
    assert rows[0]["title"].startswith("Recognising coercive control")
    assert rows[0]["published"] == "2024-03-14"
    assert "error" in rows[2] and rows[2]["title"] is None
    for key in ("title", "author", "published", "description", "site_name", "text"):
        assert key in rows[1]


def test_core_never_imports_qt():
    code = (
        "import pkgutil, importlib, sys, curator\n"
        "for m in pkgutil.walk_packages(curator.__path__, 'curator.'):\n"
        "    if not m.name.startswith('curator.ui'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_are_shared_and_checked(run, tmp_path, httpserver, capsys):
    out, _ = run("settings", "--json")
    assert json.loads(out)["proxy"] == "system"
    run("settings", "contact", "kb-team@council.example")
    run("settings", "use_system_certificates", "yes")
    _, err = run("settings", "proxy", "sometimes", expect=1)
    assert "'system', 'none' or 'manual'" in err
    from curator import preferences
    prefs = preferences.load()
    assert prefs.contact == "kb-team@council.example" and prefs.use_system_certificates
    httpserver.expect_request("/p").respond_with_data("<title>x</title>")
    run("--as", "Sam", "clip", httpserver.url_for("/p"))
    assert "kb-team@council.example" in httpserver.log[0][0].headers["User-Agent"]
