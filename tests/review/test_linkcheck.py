"""The link checker against real local servers (BAD-INPUTS 9, 12, 15-19).

Several "hosts" are several loopback addresses (127.0.0.2, 127.0.0.3, ...): the checker
keys its per-host limits by host name, so each address is a host of its own.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections import defaultdict

import pytest
import trustme
from pytest_httpserver import HTTPServer
from werkzeug import Response as WResponse

from curator.base.errors import FetchError
from curator.clipping.fetch import FetchSettings
from curator.review.linkcheck import (
    GROUPS,
    OUTCOMES,
    LinkChecker,
    classify_error,
    is_landing,
    looks_like_soft_404,
    parse_retry_after,
)

HTML = "text/html; charset=utf-8"
ARTICLE = ("<html><head><title>Working with neglect - Example Partnership</title></head>"
           "<body><main><h1>Working with neglect</h1>"
           + "<p>Practitioners should record concerns and talk to the family early.</p>" * 40
           + "</main></body></html>")


def settings(**kw) -> FetchSettings:
    base = {"connect_timeout": 1.0, "read_timeout": 1.0, "total_timeout": 5.0,
            "proxy": "none"}
    base.update(kw)
    return FetchSettings(**base)


def checker(**kw) -> LinkChecker:
    fetch = {k: kw.pop(k) for k in list(kw) if k in ("read_timeout", "connect_timeout",
                                                      "max_redirects")}
    kw.setdefault("spacing", 0.0)
    return LinkChecker(settings(**fetch), **kw)


def check_all(lc: LinkChecker, urls: dict[str, str], **kw) -> dict:
    out = {}
    lc.check(urls.items(), lambda key, result: out.__setitem__(key, result), **kw)
    return out


def check_one(url: str, **kw):
    return check_all(checker(**kw), {"k": url})["k"]


@pytest.fixture(scope="module")
def _servers():
    started: dict[str, HTTPServer] = {}
    yield started
    stoppers = [threading.Thread(target=s.stop) for s in started.values()]
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()


@pytest.fixture
def server_on(_servers):
    """Threaded pytest-httpserver instances on chosen loopback addresses (one per address,
    kept for the module because stopping one takes half a second; cleared after each test)."""
    used: list[HTTPServer] = []

    def make(host: str = "127.0.0.1") -> HTTPServer:
        if host not in _servers:
            _servers[host] = HTTPServer(host=host, port=0, threaded=True)
            _servers[host].start()
        used.append(_servers[host])
        return _servers[host]
    yield make
    for s in used:
        s.clear()


# --- every outcome against a real server ----------------------------------------------

def test_working_page_is_ok(httpserver):
    httpserver.expect_request("/guide").respond_with_data(ARTICLE, content_type=HTML)
    r = check_one(httpserver.url_for("/guide"))
    assert (r.outcome, r.status, r.group) == ("ok", 200, "ok")
    assert r.final_url == httpserver.url_for("/guide")
    assert r.redirects == [] and r.body is None
    assert r.checked_at.endswith("Z") and r.elapsed > 0
    assert r.content_type.startswith("text/html")
    assert r.label == OUTCOMES["ok"]


@pytest.mark.parametrize("code", [301, 308])
def test_permanent_redirect_offers_the_new_address(httpserver, code):
    new = httpserver.url_for("/guidance/neglect-2024")
    httpserver.expect_request("/guidance/neglect").respond_with_response(
        WResponse(status=code, headers={"Location": "/guidance/neglect-2024"}))
    httpserver.expect_request("/guidance/neglect-2024").respond_with_data(ARTICLE,
                                                                          content_type=HTML)
    r = check_one(httpserver.url_for("/guidance/neglect"))
    assert r.outcome == "redirected" and r.group == "changed"
    assert r.new_url == new and r.final_url == new
    assert r.redirects == [(code, new)]
    assert "moved permanently" in r.message


def test_permanent_then_temporary_redirect_offers_the_permanent_target(httpserver):
    httpserver.expect_request("/old").respond_with_response(
        WResponse(status=301, headers={"Location": "/new"}))
    httpserver.expect_request("/new").respond_with_response(
        WResponse(status=302, headers={"Location": "/new/today"}))
    httpserver.expect_request("/new/today").respond_with_data(ARTICLE, content_type=HTML)
    r = check_one(httpserver.url_for("/old"))
    assert r.outcome == "redirected"
    assert r.new_url == httpserver.url_for("/new")
    assert r.final_url == httpserver.url_for("/new/today")


@pytest.mark.parametrize("code", [302, 303, 307])
def test_temporary_redirect_to_a_real_page_is_ok(httpserver, code):
    httpserver.expect_request("/latest").respond_with_response(
        WResponse(status=code, headers={"Location": "/reports/2025"}))
    httpserver.expect_request("/reports/2025").respond_with_data(ARTICLE, content_type=HTML)
    r = check_one(httpserver.url_for("/latest"))
    assert r.outcome == "ok" and r.new_url is None
    assert r.final_url == httpserver.url_for("/reports/2025")
    assert r.redirects == [(code, httpserver.url_for("/reports/2025"))]


@pytest.mark.parametrize("target", ["/", "/en-gb/", "/index.html", "/reports/"])
def test_deep_page_redirected_home_is_moved_or_gone(httpserver, target):
    """BAD-INPUTS 19."""
    httpserver.expect_request("/reports/2019/neglect-review").respond_with_response(
        WResponse(status=301, headers={"Location": target}))
    httpserver.expect_request(target).respond_with_data(ARTICLE, content_type=HTML)
    r = check_one(httpserver.url_for("/reports/2019/neglect-review"))
    assert r.outcome == "moved_home" and r.group == "broken"
    assert r.final_url == httpserver.url_for(target)
    assert r.new_url is None
    assert "moved or gone" in r.message


def test_temporary_redirect_home_is_moved_or_gone_too(httpserver):
    httpserver.expect_request("/a/deep/page").respond_with_response(
        WResponse(status=302, headers={"Location": "/"}))
    httpserver.expect_request("/").respond_with_data(ARTICLE, content_type=HTML)
    assert check_one(httpserver.url_for("/a/deep/page")).outcome == "moved_home"


@pytest.mark.parametrize("code", [404, 410])
def test_missing_page_is_not_found(httpserver, code):
    httpserver.expect_request("/gone").respond_with_data("nope", status=code)
    r = check_one(httpserver.url_for("/gone"))
    assert (r.outcome, r.status, r.group) == ("not_found", code, "broken")


@pytest.mark.parametrize("page", [
    "<html><head><title>Page not found | Example Council</title></head><body>"
    + "<nav>" + "<a href='/x'>Services and support for families</a>" * 80 + "</nav></body></html>",
    "<html><head><title>Example Council</title></head><body><h1>Sorry, we can't find that "
    "page</h1><p>Try the search.</p></body></html>",
    "<html><head><title>Example</title></head><body><p>The page you were looking for has "
    "moved or no longer exists.</p></body></html>",
    "<html><head><title>Error 404</title></head><body></body></html>",
])
def test_200_page_that_says_not_found_is_a_soft_404(httpserver, page):
    """BAD-INPUTS 18."""
    httpserver.expect_request("/guidance/old").respond_with_data(page, content_type=HTML)
    r = check_one(httpserver.url_for("/guidance/old"))
    assert (r.outcome, r.status, r.group) == ("soft_404", 200, "broken")
    assert "probably gone" in r.message


def test_redirect_to_an_error_page_that_answers_200_is_a_soft_404(httpserver):
    httpserver.expect_request("/guidance/old").respond_with_response(
        WResponse(status=302, headers={"Location": "/errors/404.aspx?aspxerrorpath=/x"}))
    httpserver.expect_request("/errors/404.aspx").respond_with_data(ARTICLE, content_type=HTML)
    assert check_one(httpserver.url_for("/guidance/old")).outcome == "soft_404"


def test_article_about_404_errors_is_not_a_soft_404():
    page = ("<html><head><title>How to fix 404 not found errors on council websites</title>"
            "</head><body><h1>How to fix 404 not found errors</h1>"
            + "<p>When a page is not found the server should answer 404 or 410.</p>" * 60
            + "</body></html>").encode()
    assert looks_like_soft_404(page, HTML, "http://h/blog/fixing-404s") is None
    assert looks_like_soft_404(b"%PDF-1.7 page not found", "application/pdf",
                               "http://h/a.pdf") is None


@pytest.mark.parametrize("code", [401, 403, 451, 999])
def test_refusals_to_automated_checks_are_blocked_not_broken(httpserver, code):
    """BAD-INPUTS 17: a site that turns programs away is 'blocked', a person should look."""
    httpserver.expect_request("/report").respond_with_data("no bots", status=code)
    r = check_one(httpserver.url_for("/report"))
    assert (r.outcome, r.group) == ("blocked", "unknown")
    assert "check it by hand" in r.message


def test_403_only_to_our_user_agent_is_blocked(httpserver):
    def handler(request):
        if "Curator" in request.headers.get("User-Agent", ""):
            return WResponse("Access denied", status=403)
        return WResponse(ARTICLE, content_type=HTML)
    httpserver.expect_request("/paper").respond_with_handler(handler)
    assert check_one(httpserver.url_for("/paper")).outcome == "blocked"


def test_redirect_to_a_login_page_is_blocked(httpserver):
    httpserver.expect_request("/members/report").respond_with_response(
        WResponse(status=302, headers={"Location": "/account/login?next=/members/report"}))
    httpserver.expect_request("/account/login").respond_with_data(ARTICLE, content_type=HTML)
    r = check_one(httpserver.url_for("/members/report"))
    assert (r.outcome, r.group) == ("blocked", "unknown")
    assert "login page" in r.message


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_errors_are_temporary(httpserver, code):
    httpserver.expect_request("/x").respond_with_data("oops", status=code)
    r = check_one(httpserver.url_for("/x"))
    assert (r.outcome, r.group) == ("server_error", "unreachable")
    assert len(httpserver.log) == 1  # a 503 without Retry-After is not retried


def test_odd_status_and_non_web_address_are_errors(httpserver):
    httpserver.expect_request("/teapot").respond_with_data("short and stout", status=418)
    out = check_all(checker(), {"a": httpserver.url_for("/teapot"),
                                "b": "ftp://files.example/x", "c": "not a url"})
    assert {k: r.outcome for k, r in out.items()} == {"a": "error", "b": "error", "c": "error"}
    assert out["a"].status == 418
    assert "http or https" in out["b"].message


def test_redirect_loop_and_long_chain_are_stopped(httpserver):
    """BAD-INPUTS 12."""
    httpserver.expect_request("/a").respond_with_response(
        WResponse(status=301, headers={"Location": "/b"}))
    httpserver.expect_request("/b").respond_with_response(
        WResponse(status=302, headers={"Location": "/a"}))
    for i in range(30):
        httpserver.expect_request(f"/hop/{i}").respond_with_response(
            WResponse(status=302, headers={"Location": f"/hop/{i + 1}"}))
    out = check_all(checker(), {"loop": httpserver.url_for("/a"),
                                "chain": httpserver.url_for("/hop/0")})
    assert out["loop"].outcome == out["chain"].outcome == "redirect_loop"
    assert "loop" in out["loop"].message
    assert "more than 10 times" in out["chain"].message
    assert sum(1 for req, _ in httpserver.log if req.path.startswith("/hop/")) == 11


def test_server_that_never_answers_times_out_and_is_unreachable(raw_server, httpserver):
    """BAD-INPUTS 9: timed out, not broken; the other links carry on meanwhile."""
    release = threading.Event()
    raw_server.handler = lambda conn, request: release.wait(30)
    httpserver.expect_request("/fine").respond_with_data(ARTICLE, content_type=HTML)
    order, times = [], {}
    start = time.monotonic()

    def on_result(key, result):
        order.append(key)
        times[key] = (time.monotonic() - start, result)
    checker(read_timeout=0.5).check([("silent", raw_server.url("/x")),
                                     ("fine", httpserver.url_for("/fine"))], on_result)
    release.set()
    assert times["silent"][1].outcome == "timeout"  # gave up: the server would wait 30 s
    assert times["silent"][1].group == "unreachable"
    assert order == ["fine", "silent"]  # the other link did not wait for the silent one
    assert times["silent"][0] >= 0.5    # and the silent one had its full read timeout


def test_refused_connection(httpserver):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = check_one(f"http://127.0.0.1:{port}/page")
    assert (r.outcome, r.group) == ("refused", "unreachable")


def test_unknown_host_name_is_dns(httpserver, monkeypatch):
    """The resolver is replaced so no name lookup leaves the machine."""
    real = socket.getaddrinfo

    def fake(host, *args, **kw):
        if host == "gone.example":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    r = check_one("http://gone.example/page")
    assert (r.outcome, r.group) == ("dns", "broken")


def test_untrusted_certificate_is_tls(_servers):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(ctx)
    server = _servers["tls"] = HTTPServer(host="127.0.0.1", port=0, ssl_context=ctx)
    server.start()
    server.expect_request("/").respond_with_data("secure")
    assert check_one(server.url_for("/")).outcome == "tls"


def test_classify_error_maps_every_fetch_failure():
    for kind, outcome in [("timeout", "timeout"), ("dns", "dns"), ("tls", "tls"),
                          ("refused", "refused"), ("too_many_redirects", "redirect_loop"),
                          ("network", "error"), ("proxy", "error"), ("bad_scheme", "error")]:
        assert classify_error(FetchError("m", kind=kind))[0] == outcome
    assert set(GROUPS) == set(OUTCOMES)


# --- HEAD strategy, bodies ---------------------------------------------------------------

def test_head_refused_falls_back_to_get(httpserver):
    def handler(request):
        if request.method == "HEAD":
            return WResponse(status=405)
        return WResponse(ARTICLE, content_type=HTML)
    httpserver.expect_request("/doc").respond_with_handler(handler)
    r = check_one(httpserver.url_for("/doc"), strategy="head")
    assert r.outcome == "ok"
    assert [req.method for req, _ in httpserver.log] == ["HEAD", "GET"]


def test_head_strategy_does_not_download_files(httpserver):
    httpserver.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7" + b"x" * 5000,
                                                               content_type="application/pdf")
    httpserver.expect_request("/missing.pdf").respond_with_data("", status=404)
    out = check_all(checker(strategy="head"), {"pdf": httpserver.url_for("/report.pdf"),
                                               "gone": httpserver.url_for("/missing.pdf")})
    assert (out["pdf"].outcome, out["gone"].outcome) == ("ok", "not_found")
    assert sorted(req.method for req, _ in httpserver.log) == ["HEAD", "HEAD"]


def test_head_strategy_still_sees_soft_404s(httpserver):
    httpserver.expect_request("/old").respond_with_data(
        "<title>Page not found</title>", content_type=HTML)
    assert check_one(httpserver.url_for("/old"), strategy="head").outcome == "soft_404"


def test_want_body_returns_the_page_capped(httpserver):
    big = b"<html><body>" + b"<p>words and more words</p>" * 10000 + b"</body></html>"
    httpserver.expect_request("/page").respond_with_data(ARTICLE, content_type=HTML)
    httpserver.expect_request("/big").respond_with_data(big, content_type=HTML)
    httpserver.expect_request("/gone").respond_with_data("x", status=404)
    out = check_all(checker(want_body=True, body_cap=100_000),
                    {"page": httpserver.url_for("/page"), "big": httpserver.url_for("/big"),
                     "gone": httpserver.url_for("/gone")})
    assert out["page"].body == ARTICLE.encode() and not out["page"].truncated
    assert out["big"].outcome == "ok"
    assert out["big"].body == big[:100_000] and out["big"].truncated
    assert out["gone"].body is None


# --- Retry-After (BAD-INPUTS 15) ---------------------------------------------------------

def _recording(server: HTTPServer, path: str, answers: list[WResponse], log: list):
    def handler(request):
        log.append((time.monotonic(), request.path))
        return answers.pop(0) if answers else WResponse(ARTICLE, content_type=HTML)
    server.expect_request(path).respond_with_handler(handler)


def test_429_with_retry_after_pauses_that_host_only_then_succeeds(server_on):
    """BAD-INPUTS 15: the busy host waits the time asked; the other host carries on."""
    busy, calm = server_on("127.0.0.2"), server_on("127.0.0.3")
    busy_log, calm_log = [], []
    _recording(busy, "/a", [WResponse("slow down", status=429,
                                      headers={"Retry-After": "2"})], busy_log)
    _recording(busy, "/b", [], busy_log)
    for i in range(5):
        _recording(calm, f"/c{i}", [], calm_log)
    items = {"a": busy.url_for("/a"), "b": busy.url_for("/b"),
             **{f"c{i}": calm.url_for(f"/c{i}") for i in range(5)}}
    out = check_all(checker(per_host=1, spacing=0.05), items)
    assert all(r.outcome == "ok" for r in out.values()), {k: r.outcome for k, r in out.items()}
    assert out["a"].retry_after == 2.0
    first = busy_log[0][0]
    assert len(busy_log) == 3 and len(calm_log) == 5
    # The busy host was left alone for the time it asked (a lower bound: load only adds).
    assert min(t for t, _ in busy_log[1:]) - first >= 1.95
    # The other host did not wait: all its links were asked during the pause.
    assert max(t for t, _ in calm_log) < min(t for t, _ in busy_log[1:])


@pytest.mark.parametrize("code,outcome", [(429, "rate_limited"), (503, "server_error")])
def test_still_busy_after_the_pause_is_not_broken(server_on, code, outcome):
    server = server_on("127.0.0.4")
    log = []
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    _recording(server, "/p", [WResponse("busy", status=code, headers={"Retry-After": when}),
                              WResponse("busy", status=code, headers={"Retry-After": "1"})],
               log)
    r = check_one(server.url_for("/p"), max_pause=0.3)
    assert (r.outcome, r.group) == (outcome, "unreachable")
    assert r.retry_after is not None
    # It paused (at least the cap), but far less than the minute asked: max_pause caps it.
    assert len(log) == 2 and 0.28 <= log[1][0] - log[0][0] < 30


def test_parse_retry_after():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # already past
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# --- many links on one host (BAD-INPUTS 16), cancel, threads -------------------------------

def _instrumented(server: HTTPServer, latency: float, stats: dict, hold_for: int = 0):
    """Count requests in flight. With *hold_for*, each request is held (up to 2 s) until
    that many are in flight, so a limit is reached however slowly the machine runs."""
    lock = threading.Condition()

    def handler(request):
        with lock:
            stats["starts"].append(time.monotonic())
            stats["now"] += 1
            stats["max"] = max(stats["max"], stats["now"])
            lock.notify_all()
            if hold_for:
                lock.wait_for(lambda: stats["now"] >= hold_for, timeout=2)
        time.sleep(latency)
        with lock:
            stats["now"] -= 1
        return WResponse(ARTICLE, content_type=HTML)
    server.expect_request("/p").respond_with_handler(handler)


def test_per_host_concurrency_is_reached_never_exceeded_and_hosts_run_in_parallel(server_on):
    hosts = [server_on(f"127.0.0.{i}") for i in (5, 6)]
    stats = [{"starts": [], "now": 0, "max": 0} for _ in hosts]
    for server, st in zip(hosts, stats, strict=True):
        _instrumented(server, 0.01, st, hold_for=2)
    items = [(f"{h}-{i}", server.url_for("/p") + f"?n={i}")
             for h, server in enumerate(hosts) for i in range(12)]
    seen = []
    # A request may be held up to 2 s waiting for its pair: the read timeout allows that.
    LinkChecker(settings(read_timeout=10.0, total_timeout=30.0), per_host=2, spacing=0.0,
                workers=16).check(items, lambda k, r: seen.append(r.outcome))
    assert seen == ["ok"] * 24
    for st in stats:
        assert len(st["starts"]) == 12
        assert st["max"] == 2  # reached, never exceeded
    a, b = (st["starts"] for st in stats)
    assert min(a) < max(b) and min(b) < max(a)  # the two hosts were checked side by side


def test_per_host_spacing_is_respected(server_on):
    """The k-th request to a host cannot arrive before k spacings after the check began:
    a lower bound, which a busy machine (only ever later) cannot break."""
    server = server_on("127.0.0.10")
    stats = {"starts": [], "now": 0, "max": 0}
    _instrumented(server, 0.0, stats)
    spacing = 0.1
    began = time.monotonic()
    LinkChecker(settings(), per_host=4, spacing=spacing, workers=8).check(
        [(str(i), server.url_for("/p") + f"?n={i}") for i in range(8)], lambda k, r: None)
    starts = sorted(stats["starts"])
    assert len(starts) == 8
    for k, at in enumerate(starts):
        assert at - began >= k * spacing - 0.002, (k, at - began)


def test_cancel_stops_promptly_and_reports_nothing_after(server_on):
    server = server_on("127.0.0.7")
    stats = {"starts": [], "now": 0, "max": 0}
    _instrumented(server, 0.5, stats)  # 40 links, 4 at a time: 5 s to check them all
    got = []
    flag = threading.Event()
    threading.Timer(0.3, flag.set).start()
    start = time.monotonic()
    checker(per_host=4).check([(str(i), server.url_for("/p") + f"?{i}") for i in range(40)],
                              lambda k, r: got.append(k), cancel=flag.is_set)
    returned = time.monotonic() - start
    count = len(got)
    time.sleep(0.6)  # anything still on its way would be reported by now
    assert flag.is_set() and returned >= 0.3
    assert returned < 2.5  # well before the 5 s the whole list takes
    assert count < 40 and len(got) == count
    assert len(stats["starts"]) < 40  # the links not yet started never were


def test_cancel_during_a_retry_after_pause(server_on):
    server = server_on("127.0.0.8")
    _recording(server, "/p", [WResponse("", status=429, headers={"Retry-After": "60"})], [])
    flag = threading.Event()
    threading.Timer(0.3, flag.set).start()
    start = time.monotonic()
    got = check_all(checker(), {"p": server.url_for("/p")}, cancel=flag.is_set)
    assert got == {} and time.monotonic() - start < 10  # not the minute asked


def test_results_arrive_as_soon_as_known_on_the_calling_thread(raw_server, httpserver):
    quick_reported = threading.Event()
    slow_answered = threading.Event()

    def slow(conn, request):
        # Answers only once the quick link's result has been handed over (or after 5 s,
        # when results would be held back until the end).
        quick_reported.wait(5)
        slow_answered.set()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    raw_server.handler = slow
    httpserver.expect_request("/quick").respond_with_data(ARTICLE, content_type=HTML)
    events, progress = [], []

    def on_result(key, result):
        events.append((key, slow_answered.is_set(), threading.current_thread()))
        if key == "quick":
            quick_reported.set()
    checker(read_timeout=10).check([("slow", raw_server.url("/s")),
                                    ("quick", httpserver.url_for("/quick"))], on_result,
                                   progress=lambda d, t, *_: progress.append((d, t)))
    assert [e[0] for e in events] == ["quick", "slow"]
    assert events[0][1] is False  # handed over while the slow link was still waiting
    assert all(e[2] is threading.current_thread() for e in events)
    assert progress == [(0, 2), (1, 2), (2, 2)]


def test_empty_input_returns_at_once():
    calls = []
    checker().check([], lambda k, r: calls.append(k),
                    progress=lambda d, t, *_: calls.append(t))
    assert calls == [0]


def test_landing_rules():
    assert is_landing("http://h/a/b", "http://h/")
    assert is_landing("http://h/a/b/c", "http://h/a/")
    assert is_landing("http://old.example/a/b", "https://new.example/")
    assert not is_landing("http://h/a/b", "http://h/a/b/")
    assert not is_landing("http://h/a/b", "http://h/new/b")
    assert not is_landing("http://h/", "http://h/en/")
    assert not is_landing("http://h/a/b", "http://h/?page=b")  # a query is specific
    assert is_landing("http://h/?p=12", "http://h/")


def test_hosts_counted_by_name(server_on):
    # 16 workers but one host: never more than per_host at a time.
    server = server_on("127.0.0.9")
    stats = defaultdict(int) | {"starts": [], "now": 0, "max": 0}
    _instrumented(server, 0.0, stats, hold_for=3)
    checker(per_host=3, workers=16).check(
        [(str(i), server.url_for("/p") + f"?{i}") for i in range(15)], lambda k, r: None)
    assert stats["max"] == 3
