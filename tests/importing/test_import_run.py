"""The import run: preview counts, adding, merging duplicates, fetching, the report, the CLI."""

from __future__ import annotations

import argparse
import csv
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from werkzeug import Response as WResponse

from curator.base.errors import CuratorError, NotFound
from curator.cli.importing import cli_import, parse_map_option

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
GRADED = "https://practice.example.org/neglect/graded-care"


def page(title: str) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<meta name='description' content='A page for the import tests.'></head><body>"
            f"<main><h1>{title}</h1><p>{'Practice guidance for families. ' * 30}</p></main>"
            "</body></html>")


# -- preview --------------------------------------------------------------------------------
def test_preview_counts_bookmarks(library):
    p = library.import_preview(FIX / "bookmarks_chrome.html")
    assert p.format == "netscape" and p.ready
    assert p.counts == {"new": 4, "duplicate": 1, "duplicate_in_library": 0,
                        "duplicate_in_file": 1, "invalid": 2, "skipped_scheme": 3,
                        "total": 10}
    by_pos = {r.position: r for r in p.rows}
    assert by_pos[1].status == "skipped_scheme" and "'javascript:' links" in by_pos[1].message
    assert by_pos[6].status == "skipped_scheme" and "'place:'" in by_pos[6].message
    assert by_pos[7].status == "skipped_scheme" and "'ftp:'" in by_pos[7].message
    assert by_pos[9].status == "invalid" and "no web address" in by_pos[9].message
    assert by_pos[10].status == "invalid" and "not a web address" in by_pos[10].message
    assert by_pos[5].status == "duplicate_in_file" and by_pos[5].first_position == 2
    # Folders named after themes become themes; other folders become tags.
    assert by_pos[2].record["themes"] == ["NEG", "DA"]  # DA from the repeat in "Domestic abuse"
    assert by_pos[3].record["themes"] == ["NEG"]
    assert "Reading for team meeting" in by_pos[3].record["tags"]
    assert by_pos[4].record["themes"] == ["DA"]


def test_theme_option_applies_to_every_row_and_unknown_theme_is_refused(library):
    p = library.import_preview(FIX / "urls.txt", theme=["digital practice"])
    assert all("DIG" in r.record["themes"] for r in p.rows if r.status == "new")
    with pytest.raises(NotFound, match="There is no theme 'Nope'"):
        library.import_preview(FIX / "urls.txt", theme="Nope")


def test_preview_of_a_spreadsheet_maps_theme_column_and_merges_repeats(library):
    p = library.import_preview(FIX / "reading_cp1252_comma.csv")
    assert p.counts["new"] == 2 and p.counts["duplicate_in_file"] == 1
    assert p.counts["invalid"] == 1 and p.counts["skipped_scheme"] == 1
    first = p.rows[0]
    assert first.record["themes"] == ["NEG"]
    assert first.record["notes"] == ("Useful for “difficult” conversations; costs £0\n\n"
                                     "A second note")
    assert first.record["tags"] == ["conversation", "families", "tools", "Unknown theme"]
    assert p.rows[1].record["themes"] == ["DA", "EXP"]
    assert p.rows[-1].warnings  # the date that was not understood


def test_spreadsheet_without_an_address_column_asks_for_the_mapping(library, tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("Name,Where\nA,see the shared drive\nB,ask Sam\n", encoding="utf-8")
    p = library.import_preview(f)
    assert not p.ready and "Name, Where" in p.problem
    with pytest.raises(CuratorError, match="which column holds the web addresses"):
        library.import_run(p)
    fixed = library.import_remap(p, {"url": "Where"})
    assert fixed.ready and fixed.counts["invalid"] == 2


def test_pasted_list(library):
    p = library.import_preview_text("https://a.example/x\nhttps://a.example/x/\nnope\n")
    assert (p.counts["new"], p.counts["duplicate_in_file"], p.counts["invalid"]) == (1, 1, 1)


# -- the run --------------------------------------------------------------------------------
def test_import_adds_then_reimport_adds_nothing(library):
    report = library.import_run(library.import_preview(FIX / "bookmarks_chrome.html"),
                           fetch=False)
    c = report.counts
    assert (c["added"], c["duplicate_in_file"], c["invalid"], c["skipped_scheme"]) == (4, 1, 2, 3)
    assert c["fetch_pending"] == 4
    rows = {r.position: r for r in report.rows}
    res = library.get(rows[2].resource_id)
    assert res.url == GRADED and res.title == "Graded care profile & guidance"
    assert res.themes == ["DA", "NEG"] and res.tags == ["assessment", "tools"]
    assert res.notes == "Use with the strengths-based approach in supervision."
    assert (res.status, res.fetch_state, res.clipped_by) == ("draft", "pending", "Alex Lead")
    assert rows[5].outcome == "duplicate_in_file" and rows[5].resource_id == res.id
    assert library.search("graded").total == 1  # indexed
    events = library.store.query("SELECT detail FROM events WHERE action = 'import.file'")
    assert json.loads(events[0]["detail"])["counts"]["added"] == 4

    again = library.import_run(library.import_preview(FIX / "bookmarks_chrome.html"),
                          fetch=False)
    assert again.counts["added"] == 0
    assert again.counts["unchanged"] == 4
    assert len(library.list()) == 4


def test_duplicates_are_merged_into_the_existing_resource(library):
    existing = library.add_resource(GRADED + "/", title="Graded care (our title)",
                                    notes="Our own note.", tags=["existing"], themes_=["CSA"])
    report = library.import_run(library.import_preview(FIX / "bookmarks_chrome.html"),
                           fetch=False)
    row = next(r for r in report.rows if r.position == 2)
    assert row.outcome == "merged" and row.resource_id == existing.id
    assert row.message.startswith(f"Merged into {existing.id[:8]}: added tags assessment")
    res = library.get(existing.id)
    assert res.title == "Graded care (our title)"  # never overwritten
    assert res.tags == ["assessment", "existing", "tools"]
    assert res.themes == ["CSA", "DA", "NEG"]
    assert res.notes == ("Our own note.\n\nUse with the strengths-based approach in "
                         "supervision.")
    assert "resource.edit" in [h["action"] for h in library.history(existing.id)]
    assert report.counts["added"] == 3
    assert library.import_run(library.import_preview(FIX / "bookmarks_chrome.html"),
                         fetch=False).counts["merged"] == 0


def test_approved_resources_are_left_alone_unless_asked(library):
    library.set_theme_role("NEG", "Alex Lead", "lead")
    res = library.add_resource(GRADED, title="Graded care", themes_=["NEG"])
    library.submit(res.id)
    library.approve(res.id)
    p = library.import_preview(FIX / "bookmarks_chrome.html")
    row = next(r for r in library.import_run(p, fetch=False).rows if r.position == 2)
    assert row.outcome == "unchanged" and "approved" in row.message
    assert library.get(res.id).status == "approved" and library.get(res.id).tags == []
    p = library.import_preview(FIX / "bookmarks_chrome.html")
    row = next(r for r in library.import_run(p, fetch=False, merge_approved=True).rows
               if r.position == 2)
    assert row.outcome == "merged"
    assert library.get(res.id).status == "submitted"  # an edit sends it back for approval


def test_a_resource_in_the_trash_is_not_added_again(library):
    res = library.add_resource(GRADED, title="Graded care")
    library.delete(res.id)
    rows = library.import_run(library.import_preview(FIX / "bookmarks_chrome.html"),
                         fetch=False).rows
    row = next(r for r in rows if r.position == 2)
    assert row.outcome == "unchanged" and "in the trash" in row.message


def test_cancel_before_adding_adds_nothing(library):
    p = library.import_preview(FIX / "urls.txt")
    report = library.import_run(p, cancel=lambda: True)
    assert report.cancelled and report.counts["added"] == 0
    assert report.counts["not_imported"] == p.counts["new"]
    assert library.list() == []


# -- fetching -------------------------------------------------------------------------------
def write_list(tmp_path: Path, urls: list[str]) -> Path:
    f = tmp_path / "list.txt"
    f.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return f


def test_fetch_fills_in_pages_and_reports_failures(library, httpserver, tmp_path):
    for n in range(3):
        httpserver.expect_request(f"/p{n}").respond_with_data(
            page(f"Page {n}"), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/gone").respond_with_response(WResponse(status=404))
    f = tmp_path / "list.csv"
    f.write_text("Link,Title\n" + "".join(
        f"{httpserver.url_for(p)},{t}\n" for p, t in
        [("/p0", "Our own title"), ("/p1", ""), ("/p2", ""), ("/gone", "")]), encoding="utf-8")
    report = library.import_run(library.import_preview(f), per_host=2)
    c = report.counts
    assert (c["added"], c["fetch_fetched"], c["fetch_failed"], c["fetch_pending"]) == (4, 3, 1, 0)
    by_url = {r.url.rsplit("/", 1)[1]: r for r in report.rows}
    assert library.get(by_url["p0"].resource_id).title == "Our own title"  # not overwritten
    assert library.get(by_url["p1"].resource_id).title == "Page 1"
    assert library.get(by_url["p1"].resource_id).fetch_state == "ok"
    gone = by_url["gone"]
    assert gone.fetch == "failed" and "error 404" in gone.fetch_message
    assert "fetch failed: " in gone.describe()
    assert library.get(gone.resource_id).fetch_state == "failed"


def test_a_stopped_fetch_carries_on_later(library, httpserver, tmp_path):
    for n in range(6):
        httpserver.expect_request(f"/p{n}").respond_with_data(page(f"Page {n}"),
                                                               content_type="text/html")
    f = write_list(tmp_path, [httpserver.url_for(f"/p{n}") for n in range(6)])
    fetched = Counter()

    def progress(done, total, phase):
        fetched[phase] = done

    report = library.import_run(library.import_preview(f), per_host=1, workers=1,
                           progress=progress, cancel=lambda: fetched["Fetching"] >= 2)
    assert report.counts["added"] == 6 and report.fetch_cancelled
    assert 2 <= report.counts["fetch_fetched"] < 6
    left = report.counts["fetch_pending"]
    assert left == 6 - report.counts["fetch_fetched"]
    states = Counter(r.fetch_state for r in library.list())
    assert states["pending"] == left
    # Importing the same file again adds nothing and fetches what is left.
    again = library.import_run(library.import_preview(f))
    assert again.counts["added"] == 0 and again.counts["fetch_fetched"] == left
    assert Counter(r.fetch_state for r in library.list()) == {"ok": 6}
    assert library.fetch_pending().total == 0


def test_fetch_pending_by_itself(library, httpserver, tmp_path):
    for n in range(3):
        httpserver.expect_request(f"/p{n}").respond_with_data(page(f"Page {n}"),
                                                               content_type="text/html")
    f = write_list(tmp_path, [httpserver.url_for(f"/p{n}") for n in range(3)])
    library.import_run(library.import_preview(f), fetch=False)
    done = library.fetch_pending(per_host=3)
    assert done.total == 3 and not done.cancelled and done.remaining == 0
    assert all(ok for ok, _ in done.results.values())


class CountingServer:
    """Answers slowly and records the most requests in flight at once, per Host header."""

    def __init__(self, delay: float = 0.15):
        self.lock = threading.Lock()
        self.now: Counter = Counter()
        self.most: Counter = Counter()
        self.total_now = 0
        self.total_most = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                host = self.headers.get("Host", "").split(":")[0]
                with outer.lock:
                    outer.now[host] += 1
                    outer.total_now += 1
                    outer.most[host] = max(outer.most[host], outer.now[host])
                    outer.total_most = max(outer.total_most, outer.total_now)
                time.sleep(delay)
                body = page(self.path).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with outer.lock:
                    outer.now[host] -= 1
                    outer.total_now -= 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_fetch_respects_the_per_host_limit(library, tmp_path):
    server = CountingServer()
    try:
        urls = [f"http://127.0.0.1:{server.port}/a{n}" for n in range(8)]
        urls += [f"http://localhost:{server.port}/b{n}" for n in range(8)]
        f = write_list(tmp_path, urls)
        report = library.import_run(library.import_preview(f), per_host=2, workers=8)
    finally:
        server.stop()
    assert report.counts["fetch_fetched"] == 16
    assert max(server.most.values()) <= 2
    assert server.total_most > 2  # the two sites were fetched side by side


# -- report and command line ----------------------------------------------------------------
def test_report_csv_is_safe_in_a_spreadsheet(library, tmp_path):
    f = write_list(tmp_path, ["=SUM(1+1) https://a.example/x", "javascript:alert(1)"])
    report = library.import_run(library.import_preview(f), fetch=False)
    out = report.write_report_csv(tmp_path / "report.csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Line", "Web address", "Title", "Outcome"]
    assert rows[1][2] == "'=SUM(1+1)" and rows[1][3] == "Added"
    assert rows[2][3] == "Skipped (not a web page)"
    data = report.to_dict()
    assert data["counts"]["added"] == 1 and data["rows"][1]["outcome"] == "skipped_scheme"


def test_parse_map_option():
    assert parse_map_option("url=Link, title = Name") == {"url": "Link",
                                                                     "title": "Name"}
    assert parse_map_option(['notes="Why, briefly"', "theme="]) == {
        "notes": "Why, briefly", "theme": ""}
    with pytest.raises(CuratorError, match="field=column"):
        parse_map_option("url")


def args(file, **kw):
    base = {"file": str(file), "map": None, "theme": [], "no_fetch": True, "json": False,
            "yes": True, "report": None}
    return argparse.Namespace(**{**base, **kw})


def test_cli_import_prints_counts_and_summary(library, capsys, tmp_path):
    report_file = tmp_path / "r.csv"
    code = cli_import(library, args(FIX / "reading_utf8_bom_semicolon.csv",
                                               theme=["DIG"], report=str(report_file)))
    out = capsys.readouterr().out
    assert code == 0
    assert "New: 2" in out and "Invalid: 1" in out and "Skipped (not web pages): 1" in out
    assert "2 added" in out and "Row 4: This row has no web address" in out
    assert report_file.exists()
    assert all("DIG" in r.themes for r in library.list())


def test_cli_import_json_and_map(library, capsys, tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("Name;Where\nA;https://a.example/1\nB;https://a.example/2\n", encoding="utf-8")
    code = cli_import(library, args(f, json=True, map="title=Where,url=Where"))
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["added"] == 2
    assert library.list()[0].title.startswith("https://a.example/")


def test_cli_import_of_a_broken_file_is_a_clear_error(library):
    with pytest.raises(CuratorError, match="never closed"):
        cli_import(library, args(FIX / "broken_quote.csv"))


def test_fetching_the_rest_later_records_each_outcome_on_its_row(library, httpserver,
                                                                 tmp_path):
    httpserver.expect_request("/ok").respond_with_data(
        "<html><title>Found</title><body><p>Some text.</p></body></html>",
        content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    f = tmp_path / "links.txt"
    f.write_text(f"{httpserver.url_for('/ok')}\n{httpserver.url_for('/gone')}\n")
    report = library.import_run(library.import_preview(f), fetch=False)
    assert report.counts["fetch_pending"] == 2 and len(report.pending_ids) == 2
    later = library.import_fetch_rest(report)
    assert report.counts["fetch_pending"] == 2  # the shown report is left alone
    c = later.counts
    assert (c["fetch_fetched"], c["fetch_failed"], c["fetch_pending"]) == (1, 1, 0)
    failed = [r for r in later.rows if r.fetch == "failed"][0]
    assert failed.url.endswith("/gone") and failed.fetch_message
    assert library.import_fetch_rest(later).counts == c  # nothing left to do
