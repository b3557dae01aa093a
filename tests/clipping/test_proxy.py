"""A proxy the person types in Settings really carries Curator's requests.

A real forwarding proxy on 127.0.0.1 (tests/support/proxy.py) records what it relays; the
sites are real local servers on other loopback addresses. The proxy is chosen the way the
app and the command line choose it: through the shared preferences.
"""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from curator import preferences
from curator.base.errors import FetchError
from curator.cli import main
from tests.support.proxy import RecordingProxy
from tests.support.servers import tls_server

PAGE = ("<html><head><title>Neglect: a practice guide</title></head><body><main>"
        "<h1>Neglect: a practice guide</h1>"
        + "<p>Practitioners should notice the signs of neglect early and act on them.</p>" * 30
        + "</main></body></html>")


@pytest.fixture
def proxy():
    with RecordingProxy() as running:
        yield running


@pytest.fixture(scope="module")
def _site_server():
    server = HTTPServer(host="127.0.0.2", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(_site_server):
    """A site on 127.0.0.2: not in NO_PROXY, so only the proxy setting decides the route.
    (One server for the module, since stopping one takes half a second; cleared each time.)"""
    _site_server.clear()
    yield _site_server
    _site_server.clear()


def use_manual_proxy(library, url: str) -> None:
    """What Settings does on OK: the core checks the choice, saves it, applies it at once."""
    prefs = library.preferences.update({"proxy": "manual", "proxy_url": url})
    preferences.save(prefs)
    library.apply_preferences(prefs)


def test_a_clip_goes_through_the_proxy_typed_in_settings(library, proxy, site):
    site.expect_request("/guide").respond_with_data(PAGE, content_type="text/html")
    url = site.url_for("/guide")
    use_manual_proxy(library, proxy.url)
    result = library.clip(url, themes_=["NEG"])
    assert result.fetched and result.resource.title == "Neglect: a practice guide"
    assert [(r.method, r.target, r.status) for r in proxy.relayed] == [("GET", url, 200)]
    assert proxy.relayed[0].headers["user-agent"].startswith("Curator/")
    assert len(site.log) == 1  # the site was asked once: by the proxy, for Curator


def test_choosing_no_proxy_again_takes_effect_at_once(library, proxy, site):
    site.expect_request("/guide").respond_with_data(PAGE, content_type="text/html")
    use_manual_proxy(library, proxy.url)
    library.fetch_page(site.url_for("/guide"))
    assert len(proxy.relayed) == 1
    prefs = library.preferences.update({"proxy": "none"})
    preferences.save(prefs)
    library.apply_preferences(prefs)
    library.fetch_page(site.url_for("/guide"))
    assert len(proxy.relayed) == 1 and len(site.log) == 2  # straight to the site


def test_when_the_proxy_is_down_the_fetch_fails_and_says_proxy(library, site):
    site.expect_request("/guide").respond_with_data(PAGE, content_type="text/html")
    gone = RecordingProxy()
    address = gone.url
    gone.stop()  # nothing listens there now
    use_manual_proxy(library, address)
    with pytest.raises(FetchError) as err:
        library.fetch_page(site.url_for("/guide"))
    assert err.value.kind == "proxy" and "proxy" in err.value.message
    assert site.log == []  # it did not go round the proxy


def test_link_checks_go_through_the_proxy_too(library, proxy, site):
    site.expect_request("/guide").respond_with_data(PAGE, content_type="text/html")
    r = library.add_resource(site.url_for("/guide"), title="Guide", index=False)
    use_manual_proxy(library, proxy.url)
    library.check_links(spacing=0)
    assert library.get(r.id).link_health == "ok"
    assert proxy.targets() and set(proxy.targets()) == {site.url_for("/guide")}


def test_the_command_line_uses_the_proxy_set_with_curator_settings(tmp_path, proxy, site,
                                                                   capsys):
    site.expect_request("/guide").respond_with_data(PAGE, content_type="text/html")
    assert main(["settings", "proxy", "manual"]) == 0
    assert main(["settings", "proxy_url", proxy.url]) == 0
    lib = ["--library", str(tmp_path / "lib"), "--as", "Sam Patel"]
    assert main([*lib, "clip", site.url_for("/guide"), "--theme", "NEG"]) == 0
    capsys.readouterr()
    assert proxy.targets() == [site.url_for("/guide")]


@pytest.fixture
def tls_site():
    """An HTTPS site on 127.0.0.2 whose certificate comes from a private authority."""
    with tls_server(PAGE.encode(), host="127.0.0.2") as (ca, base):
        yield ca, base + "guide"


def test_secure_pages_are_tunnelled_through_the_proxy(library, proxy, tls_site, tmp_path,
                                                      monkeypatch):
    ca, url = tls_site
    bundle = tmp_path / "system-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # the "computer's own" certificates
    prefs = library.preferences.update({"proxy": "manual", "proxy_url": proxy.url,
                                        "use_system_certificates": "yes"})
    preferences.save(prefs)
    library.apply_preferences(prefs)
    page = library.fetch_page(url)
    assert page.fields["title"] == "Neglect: a practice guide"
    host_port = url.split("/")[2]
    assert [(r.method, r.target) for r in proxy.relayed] == [("CONNECT", host_port)]
