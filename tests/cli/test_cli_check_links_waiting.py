"""`curator check-links` says when a site asked Curator to slow down, once per wait."""

from __future__ import annotations

from werkzeug import Response as WResponse

from curator.cli import main
from curator.library import Library


def test_check_links_says_it_is_waiting_for_a_site_that_asked(tmp_path, httpserver, capsys):
    answered = []

    def busy(_request):
        answered.append(1)
        if len(answered) == 1:
            return WResponse("Too many requests", status=429, headers={"Retry-After": "2"})
        return WResponse("<html><head><title>Neglect</title></head><body><p>Text.</p>"
                         "</body></html>", content_type="text/html; charset=utf-8")

    httpserver.expect_request("/page").respond_with_handler(busy)
    lib = str(tmp_path / "lib")
    with Library.open(lib) as library:
        library.act_as("Sam Patel")
        library.add_resource(httpserver.url_for("/page"), title="Neglect")
    assert main(["--library", lib, "--as", "Sam Patel", "check-links"]) == 0
    err = capsys.readouterr().err
    waits = [line for line in err.splitlines() if line.startswith("Waiting")]
    assert len(waits) == 1 and "asked Curator to slow down" in waits[0]
