"""Link checks against a site that asks Curator to slow down: the wait is said, not silent."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from werkzeug import Response as WResponse

from curator.clipping.fetch import FetchSettings
from curator.review.linkcheck import LinkChecker

ARTICLE = ("<html><head><title>Working with neglect</title></head><body><main>"
           "<h1>Working with neglect</h1>"
           + "<p>Practitioners should record concerns and talk to the family early.</p>" * 30
           + "</main></body></html>")


class Busy:
    """Answers 429 with ``Retry-After`` to the first *slow* requests, then the page."""

    def __init__(self, slow: int, retry_after: int = 2):
        self.slow, self.retry_after = slow, retry_after
        self.lock = threading.Lock()
        self.seen: list[tuple[float, int]] = []

    def __call__(self, request):
        with self.lock:
            status = 429 if len(self.seen) < self.slow else 200
            self.seen.append((time.monotonic(), status))
        if status == 429:
            return WResponse("Too many requests", status=429,
                             headers={"Retry-After": str(self.retry_after)})
        return WResponse(ARTICLE, content_type="text/html; charset=utf-8")


def test_a_16_link_check_on_a_site_answering_429_says_it_is_waiting(library, httpserver):
    busy = Busy(slow=2, retry_after=2)
    for n in range(16):
        httpserver.expect_request(f"/p{n}").respond_with_handler(busy)
        library.add_resource(httpserver.url_for(f"/p{n}"), title=f"Page {n}", index=False)
    seen = []
    summary = library.check_links(spacing=0.0,
                                  progress=lambda d, t, text: seen.append((d, t, text)))
    assert summary.checked == 16 and summary.outcomes == {"ok": 16}
    host = urlsplit(httpserver.url_for("/")).hostname
    notes = [text for _d, _t, text in seen if text]
    assert notes[0] == f"Waiting 2 s: {host} asked Curator to slow down."
    assert f"Waiting 1 s: {host} asked Curator to slow down." in notes  # counting down
    assert all(t == 16 for _d, t, _text in seen)
    # Nothing was sent to the site while it had asked to be left alone.
    last_429 = max(at for at, status in busy.seen if status == 429)
    first_after = min(at for at, status in busy.seen if status == 200)
    assert first_after - last_429 >= 1.8


def test_a_site_that_keeps_answering_429_is_reported_after_one_wait(httpserver):
    busy = Busy(slow=1_000, retry_after=1)
    urls = {f"k{n}": httpserver.url_for(f"/q{n}") for n in range(2)}
    for n in range(2):
        httpserver.expect_request(f"/q{n}").respond_with_handler(busy)
    out, notes = {}, []
    checker = LinkChecker(FetchSettings(proxy="none"), spacing=0.0)
    try:
        checker.check(urls.items(), out.__setitem__,
                      progress=lambda d, t, text: text and notes.append(text))
    finally:
        checker.close()
    host = urlsplit(urls["k0"]).hostname
    assert {r.outcome for r in out.values()} == {"rate_limited"}
    assert out["k0"].message == f"{host} asked Curator to wait 1 s, twice. Try again later."
    assert len(busy.seen) == 4  # each link asked twice, no more
    assert notes and notes[0] == f"Waiting 1 s: {host} asked Curator to slow down."
