"""Every flag says what, since when and what to do (issue 16), from real link checks on a
local server: the Link column and its tooltip, the Why column, the run's summary."""

import datetime as dt

from werkzeug import Response

from curator.base import clock
from curator.cli import main
from curator.review.flags import day
from tests.support.servers import serve

PAGE = (b"<html><body><main><h1>Guidance</h1><p>Enough words of guidance to make this a "
        b"real page that a link check can read and compare.</p></main></body></html>")


def later(monkeypatch, days):
    real_now, real_today = clock.now, clock.today
    monkeypatch.setattr(clock, "now", lambda: real_now() + dt.timedelta(days=days))
    monkeypatch.setattr(clock, "today", lambda: real_today() + dt.timedelta(days=days))


def four_links(library, httpserver):
    fine = [library.add_resource(serve(httpserver, f"/ok/{n}", PAGE), title=f"Fine {n}",
                                 themes_=["DA"], index=False) for n in range(2)]
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    gone = library.add_resource(httpserver.url_for("/gone"), title="Gone", themes_=["DA"],
                                index=False)
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/guidance/old-report").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/")}))
    home = library.add_resource(httpserver.url_for("/guidance/old-report"), title="Old report",
                                themes_=["DA"], index=False)
    return fine, gone, home


def test_a_check_says_what_it_found_and_where(library, httpserver):
    fine, gone, home = four_links(library, httpserver)
    summary = library.check_links(spacing=0)
    report = library.link_check_report(summary.run_id)
    assert report.text == ("4 checked: 2 fine, 1 not found (first time), "
                           "1 moved to the home page.")
    assert report.groups["not found (first time)"] == [gone.id]
    assert report.groups["moved to the home page"] == [home.id]
    rows = library.table_rows([gone.id, home.id, fine[0].id])
    today = day(clock.today())
    assert rows[gone.id]["link_text"] == "Not found (404)"
    assert rows[gone.id]["link_tip"] == (f"Not found (404) on {today}; checking again "
                                         "tomorrow before calling it broken.")
    assert rows[home.id]["link_text"] == "Moves to the site's home page"
    assert "the page was probably removed" in rows[home.id]["link_tip"]
    assert rows[fine[0].id]["link_tip"] == f"Working when checked on {today}."


def test_a_confirmed_broken_link_says_since_when_and_what_to_do(library, httpserver,
                                                                 monkeypatch):
    _fine, gone, home = four_links(library, httpserver)
    library.check_links(spacing=0)
    later(monkeypatch, 1)
    summary = library.check_links(spacing=0)
    report = library.link_check_report(summary.run_id)
    assert sorted(report.groups["broken (failed twice)"]) == sorted([gone.id, home.id])
    assert "probably removed" in library.table_rows([home.id])[home.id]["link_tip"]
    row = library.table_rows([gone.id])[gone.id]
    assert row["link_text"] == "Broken"
    assert "Replace the link" in row["link_tip"] and "since" in row["link_tip"]
    assert row["reason"] == "Broken link"
    broken = [r for r in library.review_item(gone.id).reasons if r.code == "broken_link"][0]
    assert "answered 404" in broken.text and "Failing since 20" in broken.text
    assert "Replace the link" in broken.text


def test_old_evidence_says_how_to_clear_it(library):
    r = library.add_resource("https://example.org/old-study", title="A 2009 study",
                             themes_=["DA"], published="2009-05-01", index=False)
    row = library.table_rows([r.id])[r.id]
    assert row["reason"] == "Old evidence (2009)"
    assert "confirm it is still valid with a note" in row["reason_tip"]
    assert "correct its published date" in row["reason_tip"]
    library.confirm(r.id, "Still the best study of its kind")
    assert library.table_rows([r.id])[r.id]["reason"] == ""


def test_the_command_line_prints_the_summary_and_the_resources(library, httpserver, capsys):
    _fine, gone, home = four_links(library, httpserver)
    folder = str(library.folder)
    library.close()
    assert main(["--library", folder, "--as", "Alex Lead", "check-links"]) == 0
    out = capsys.readouterr().out
    assert "4 checked: 2 fine, 1 not found (first time), 1 moved to the home page." in out
    assert f"not found (first time): {gone.id[:8]}  Gone" in out
    assert f"moved to the home page: {home.id[:8]}  Old report" in out


def test_flags_read_well_without_a_check_date():
    from curator.review.flags import link_text
    for health in ("ok", "moved", "check_again", "broken", "unreachable", "blocked"):
        short, tip = link_text({"link_health": health, "link_outcome": "not_found"})
        assert short and tip
        assert " on ." not in tip and "on ;" not in tip and "still." not in tip
        assert "()" not in tip and "  " not in tip


def test_a_run_where_every_link_works_says_so_once():
    from curator.review.flags import RunReport
    assert RunReport(12, {"fine": ["a"] * 12}).text == "All 12 links checked are working."
    assert RunReport(1, {"fine": ["a"]}).text == "The one link checked is working."
    assert RunReport(0, {}).text == "No links to check."
