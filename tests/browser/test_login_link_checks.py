"""Link checks on resources behind a login: the site's login page is not a broken link."""

from __future__ import annotations

from werkzeug.wrappers import Response as WResponse

from curator.browser.protocol import ClipRequest

ARTICLE = ("<html><head><title>Working with fathers</title></head><body><article>"
           "<h1>Working with fathers</h1><p>" + "Fathers are too often left out of plans. " * 60
           + "</p></article></body></html>")
LOGIN = ("<html><head><title>Log in</title></head><body><form><input name=u>"
         "<input type=password name=p></form></body></html>")


def _row(library, rid):
    return library.store.db.execute(
        "SELECT link_health, link_outcome, link_message FROM resources WHERE id = ?",
        (rid,)).fetchone()


def test_a_login_redirect_on_a_login_resource_says_needs_a_login(library, httpserver):
    httpserver.expect_request("/fathers").respond_with_data(
        "", status=302, headers={"Location": "/sign-in?next=/fathers"})
    httpserver.expect_request("/sign-in").respond_with_data(LOGIN, content_type="text/html")
    url = httpserver.url_for("/fathers")
    answer = library.clip_from_browser(ClipRequest(url=url, html=ARTICLE))
    assert answer["access"] == "login"
    captured = library.browser_access(answer["resource"])["captured_at"]
    library.check_links(spacing=0.0)
    row = _row(library, answer["resource"])
    from curator.base import clock
    day = clock.parse_moment(captured).date()
    assert row["link_health"] == "ok" and row["link_outcome"] == "login"
    assert row["link_message"] == ("Needs a login: checked by the last browser capture on "
                                   f"{day.day} {day:%b %Y}.")
    assert "Fathers are too often" in library.text(answer["resource"])  # not the login page
    changes = library.store.db.execute("SELECT COUNT(*) FROM page_changes").fetchone()[0]
    assert changes == 0


def test_a_login_page_served_in_place_is_not_a_page_change(library, httpserver):
    state = {"html": ARTICLE}
    httpserver.expect_request("/in-place").respond_with_handler(
        lambda request: WResponse(state["html"], content_type="text/html; charset=utf-8"))
    url = httpserver.url_for("/in-place")
    answer = library.clip_from_browser(ClipRequest(url=url, html=ARTICLE, access="login"))
    state["html"] = LOGIN  # the site now shows visitors its login form at the same address
    library.check_links(spacing=0.0)
    assert _row(library, answer["resource"])["link_outcome"] == "login"
    changes = library.store.db.execute("SELECT COUNT(*) FROM page_changes").fetchone()[0]
    assert changes == 0


def test_a_page_that_is_gone_still_counts_towards_broken(library, httpserver):
    httpserver.expect_request("/gone").respond_with_data("Not here", status=404)
    url = httpserver.url_for("/gone")
    answer = library.clip_from_browser(ClipRequest(url=url, html=ARTICLE, access="login"))
    library.check_links(spacing=0.0)
    row = _row(library, answer["resource"])
    assert row["link_outcome"] == "not_found" and row["link_health"] == "check_again"


def test_an_open_resource_sent_to_a_login_page_is_still_for_a_person_to_check(library,
                                                                              httpserver):
    httpserver.expect_request("/was-open").respond_with_data(
        "", status=302, headers={"Location": "/login"})
    httpserver.expect_request("/login").respond_with_data(LOGIN, content_type="text/html")
    rid = library.add_resource(httpserver.url_for("/was-open"), title="Was open",
                               index=False).id
    library.check_links(spacing=0.0)
    assert _row(library, rid)["link_health"] == "blocked"
