"""Import fetches on the shared per-host scheduler: a site's 429 is a wait, said as such."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug import Response as WResponse


def page(title: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
            + "<p>What practitioners should know about working with families.</p>" * 20
            + "</main></body></html>")


class FirstTimeBusy:
    """Answers 429 (``Retry-After: 1``) to the first request for each page, or to all."""

    def __init__(self, always: bool = False):
        self.always = always
        self.lock = threading.Lock()
        self.asked: Counter = Counter()

    def __call__(self, request):
        with self.lock:
            self.asked[request.path] += 1
            busy = self.always or self.asked[request.path] == 1
        if busy:
            return WResponse("Slow down", status=429, headers={"Retry-After": "1"})
        return WResponse(page(request.path), content_type="text/html; charset=utf-8")


def import_list(library, tmp_path: Path, urls: list[str], **options):
    f = tmp_path / "list.txt"
    f.write_text("\n".join(urls) + "\n", encoding="utf-8")
    texts = []
    report = library.import_run(library.import_preview(f),
                                progress=lambda d, t, text: texts.append(text), **options)
    return report, texts


def test_an_import_waits_for_a_site_that_asks_and_then_fetches(library, httpserver, tmp_path):
    busy = FirstTimeBusy()
    for n in range(4):
        httpserver.expect_request(f"/p{n}").respond_with_handler(busy)
    report, texts = import_list(library, tmp_path,
                                [httpserver.url_for(f"/p{n}") for n in range(4)])
    c = report.counts
    assert (c["added"], c["fetch_fetched"], c["fetch_failed"], c["fetch_pending"]) == (4, 4, 0, 0)
    host = urlsplit(httpserver.url_for("/")).hostname
    assert f"Waiting 1 s: {host} asked Curator to slow down." in texts
    assert texts[-1] == "Fetching"
    assert busy.asked == {f"/p{n}": 2 for n in range(4)}  # one wait each, then the page
    for row in report.rows:
        res = library.get(row.resource_id)
        assert res.fetch_state == "ok" and res.title == f"/p{row.url[-1]}"


def test_a_site_that_keeps_asking_is_recorded_as_a_failed_fetch(library, httpserver,
                                                                 tmp_path):
    busy = FirstTimeBusy(always=True)
    httpserver.expect_request("/busy").respond_with_handler(busy)
    report, texts = import_list(library, tmp_path, [httpserver.url_for("/busy")])
    (row,) = report.rows
    assert row.fetch == "failed"
    host = urlsplit(row.url).hostname
    assert row.fetch_message == f"{host} asked Curator to slow down (error 429). Try again later."
    assert busy.asked["/busy"] == 2  # one wait, then recorded
    assert library.get(row.resource_id).fetch_state == "failed"
