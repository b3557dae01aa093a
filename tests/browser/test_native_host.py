"""The native host end to end: a real `python -m curator native-host` subprocess, real
framed messages on its stdin and stdout, a real library in tmp_path and a real local site
whose article needs a login cookie."""

from __future__ import annotations

import sqlite3

import pytest
from werkzeug.wrappers import Response as WResponse

from curator.library import Library
from tests.support.nativehost import frame, run_host

ARTICLE_TEXT = ("Relationship-based practice with families who are wary of services takes "
                "time, honesty and a worker who stays. ") * 30
ARTICLE = (f"<html><head><title>Staying alongside families</title></head><body>"
           f"<nav>Signed in</nav><article><h1>Staying alongside families</h1><p>{ARTICLE_TEXT}"
           f"</p></article></body></html>")
LOGIN = ("<html><head><title>Sign in | Partner library</title></head><body><h1>Sign in</h1>"
         "<form action='/login' method='post'><input name='user'>"
         "<input type='password' name='pw'><button>Sign in</button></form></body></html>")


def partner_site(httpserver):
    """/article shows the article with the login cookie, else sends to /login."""
    def article(request):
        if request.cookies.get("session") == "ok":
            return WResponse(ARTICLE, content_type="text/html; charset=utf-8")
        return WResponse("", status=302, headers={"Location": "/login?next=/article"})
    httpserver.expect_request("/article").respond_with_handler(article)
    httpserver.expect_request("/login").respond_with_data(
        LOGIN, content_type="text/html; charset=utf-8")
    return httpserver.url_for("/article")


@pytest.fixture
def folder(tmp_path):
    lib = Library.open(tmp_path / "lib")
    lib.act_as("Alex Lead")
    lib.close()
    return tmp_path / "lib"


def resources_in(folder):
    with sqlite3.connect(folder / "resources.db") as db:
        return db.execute("SELECT id, url, title, access, browser_captured_at, fetch_state "
                          "FROM resources ORDER BY clipped_at").fetchall()


def text_of(folder, rid):
    with sqlite3.connect(folder / "resources.db") as db:
        return db.execute("SELECT text FROM resource_text WHERE resource_id = ?",
                          (rid,)).fetchone()[0]


def test_ping_and_the_panels_themes_come_from_the_library(folder):
    answers, _ = run_host(folder, {"type": "ping", "id": 7}, {"type": "themes", "id": "t"})
    assert answers[0]["ok"] and answers[0]["id"] == 7 and answers[0]["window"] is False
    themes = {t["code"]: t["name"] for t in answers[1]["themes"]}
    assert themes["DA"] == "Domestic abuse" and answers[1]["id"] == "t"
    assert "guidance" in answers[1]["types"]


def test_every_bad_input_gets_a_clear_error_and_changes_nothing(folder):
    too_big = b"\x00" * (21 * 1024 * 1024)
    answers, _ = run_host(
        folder,
        b"{this is not json",
        too_big,
        {"type": "clip", "html": "<p>no address</p>"},
        {"type": "clip", "url": "javascript:alert(1)", "html": "<p>x</p>"},
        {"type": "clip", "url": "file:///etc/passwd"},
        {"type": "clip", "url": "https://example.org/", "themes": "DA", "tags": [1, 2]},
        [1, 2, 3],
        {"type": "delete everything"},
    )
    codes = [a.get("error") for a in answers]
    assert codes == ["not_json", "too_big", "no_url", "bad_url", "bad_url", "bad_request",
                     "bad_request", "bad_request"]
    assert all(a["ok"] is False and a["message"] for a in answers)
    assert "not valid JSON" in answers[0]["message"]
    assert "21.0 MB" in answers[1]["message"] and "up to 20 MB" in answers[1]["message"]
    assert "http:// or https://" in answers[3]["message"]
    assert resources_in(folder) == []


def test_a_message_after_an_oversized_one_is_still_read_in_step(folder):
    answers, _ = run_host(folder, b"x" * (20 * 1024 * 1024 + 1), {"type": "ping", "id": 2})
    assert answers[0]["error"] == "too_big"
    assert answers[1] == {"ok": True, "version": answers[1]["version"], "window": False,
                          "id": 2}


def test_a_locked_library_says_so_and_changes_nothing(folder):
    holder = sqlite3.connect(folder / "resources.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        answers, _ = run_host(folder, {"type": "clip", "url": "https://example.org/a",
                                       "html": f"<p>{ARTICLE_TEXT}</p>", "access": "open"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answers[0]["ok"] is False and answers[0]["error"] == "locked"
    assert "Nothing was saved" in answers[0]["message"]
    assert resources_in(folder) == []


def test_no_library_yet_is_said_and_none_is_made(tmp_path):
    answers, _ = run_host(tmp_path / "nowhere", {"type": "themes"})
    assert answers[0]["ok"] is False and answers[0]["error"] == "no_library"
    assert not (tmp_path / "nowhere" / "resources.db").exists()


def test_a_page_behind_a_login_keeps_the_signed_in_text_and_access_login(folder, httpserver):
    url = partner_site(httpserver)
    answers, _ = run_host(folder, {
        "type": "clip", "url": url, "html": ARTICLE, "themes": ["DA"], "tags": ["partner"],
        "note": "Good on persistence", "kind": "practice tool"})
    a = answers[0]
    assert a["ok"] and not a["duplicate"] and a["access"] == "login", a
    assert a["title"] == "Staying alongside families"
    assert "needs a login" in a["message"]
    [(rid, stored_url, title, access, captured, state)] = resources_in(folder)
    assert (rid, stored_url, access, state) == (a["resource"], url, "login", "ok")
    assert captured  # when the browser captured it
    assert "worker who stays" in text_of(folder, rid)
    with Library.open(folder, create=False) as lib:
        res = lib.get(rid)
        assert res.themes == ["DA"] and res.tags == ["partner"] and res.type == "practice tool"
        assert lib.browser_access(rid)["access"] == "login"


def test_curator_clip_of_the_same_page_gets_only_the_login_page_and_says_so(tmp_path,
                                                                             httpserver):
    url = partner_site(httpserver)
    with Library.open(tmp_path / "other") as lib:
        lib.act_as("Alex Lead")
        result = lib.clip(url)
        assert "showed Curator its login page" in " ".join(result.warnings)
        assert result.resource.title.startswith("Sign in")
        assert "worker who stays" not in lib.text(result.resource.id)
        assert lib.browser_access(result.resource.id)["access"] is None


def test_a_page_clipped_by_address_first_is_brought_up_to_date_by_the_browser(folder,
                                                                              httpserver):
    url = partner_site(httpserver)
    with Library.open(folder, create=False) as lib:
        lib.act_as("Alex Lead")
        first = lib.clip(url, note="Found on the partner site")
    assert "worker who stays" not in text_of(folder, first.resource.id)
    answers, _ = run_host(folder, {"type": "clip", "url": url, "html": ARTICLE})
    a = answers[0]
    assert a["ok"] and a["duplicate"] and a["resource"] == first.resource.id
    assert "brought up to date" in a["message"]
    assert "worker who stays" in text_of(folder, first.resource.id)
    [(_rid, _url, _title, access, captured, _state)] = resources_in(folder)
    assert access == "login" and captured


def test_a_link_from_the_context_menu_is_clipped_by_address(folder, httpserver):
    httpserver.expect_request("/open").respond_with_data(
        ARTICLE, content_type="text/html; charset=utf-8")
    url = httpserver.url_for("/open")
    answers, _ = run_host(folder, {"type": "clip", "url": url})
    assert answers[0]["ok"] and answers[0]["title"] == "Staying alongside families"
    [(_rid, _url, _title, access, captured, state)] = resources_in(folder)
    assert (access, captured, state) == (None, None, "ok")


def test_an_open_page_sent_by_the_browser_is_not_marked_as_needing_a_login(folder,
                                                                           httpserver):
    httpserver.expect_request("/open").respond_with_data(
        ARTICLE, content_type="text/html; charset=utf-8")
    answers, _ = run_host(folder, {"type": "clip", "url": httpserver.url_for("/open"),
                                   "html": ARTICLE, "selection": "takes time, honesty"})
    assert answers[0]["ok"] and answers[0]["access"] is None
    with Library.open(folder, create=False) as lib:
        assert lib.get(answers[0]["resource"]).summary == "takes time, honesty"


def test_framing_reads_a_message_split_across_reads():
    import io

    from curator.browser.protocol import read_frame

    class Trickle(io.RawIOBase):
        def __init__(self, data):
            self.data = data

        def read(self, n=-1):
            chunk, self.data = self.data[:1], self.data[1:]
            return chunk

    assert read_frame(Trickle(frame({"a": 1}))) == b'{"a": 1}'
    assert read_frame(Trickle(frame({"a": 1})[:6])) is None  # the pipe closed half-way
