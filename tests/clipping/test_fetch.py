"""The fetcher against real local servers, well- and badly-behaved (BAD-INPUTS 9-14)."""

import gzip
import socket
import threading
import time
import tracemalloc

import pytest
from werkzeug import Response as WResponse

from curator.base.errors import Cancelled, FetchError
from curator.clipping.fetch import Fetcher, FetchSettings
from tests.support import servers


def quick(**kw) -> Fetcher:
    defaults = {"connect_timeout": 2, "read_timeout": 1, "total_timeout": 10}
    defaults.update(kw)
    return Fetcher(FetchSettings(**defaults))


def test_fetches_bytes_with_a_clear_user_agent(httpserver):
    httpserver.expect_request("/page").respond_with_data(
        b"<html><title>x</title></html>", content_type="text/html")
    resp = quick().fetch(httpserver.url_for("/page"))
    assert resp.status == 200
    assert resp.body == b"<html><title>x</title></html>"
    assert resp.content_type.startswith("text/html")
    ua = httpserver.log[0][0].headers["User-Agent"]
    assert ua.startswith("Curator/")


def test_contact_address_goes_in_the_user_agent(httpserver):
    httpserver.expect_request("/").respond_with_data("ok")
    quick(contact="kb-team@council.example").fetch(httpserver.url_for("/"))
    assert "kb-team@council.example" in httpserver.log[0][0].headers["User-Agent"]


def test_server_that_never_answers_times_out(raw_server):
    stop = threading.Event()

    def silent(conn, request):
        stop.wait(60)
    raw_server.handler = silent
    start = time.monotonic()
    with pytest.raises(FetchError) as err:
        quick(read_timeout=0.5).fetch(raw_server.url("/"))
    took = time.monotonic() - start
    stop.set()
    assert err.value.kind == "timeout"
    assert "stopped answering" in err.value.message
    assert 0.5 <= took < 30  # the read timeout, not the minute the server would wait


def test_endless_body_without_length_stops_at_the_cap(raw_server):
    def endless(conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        chunk = b"a" * 65536
        try:
            for _ in range(100_000):
                conn.sendall(chunk)
        except OSError:
            pass
    raw_server.handler = endless
    with pytest.raises(FetchError) as err:
        quick(max_bytes=2 * 1024 * 1024).fetch(raw_server.url("/big"))
    assert err.value.kind == "too_large"
    assert "larger than 2 MB" in err.value.message


def test_declared_huge_body_is_refused_without_reading(raw_server):
    def liar(conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     b"Content-Length: 2147483648\r\n\r\n" + b"x" * 1000)
    raw_server.handler = liar
    with pytest.raises(FetchError) as err:
        quick(max_bytes=1024 * 1024).fetch(raw_server.url("/"))
    assert err.value.kind == "too_large"


@pytest.mark.slow
def test_gzip_bomb_trips_the_decoded_size_cap_with_bounded_memory(raw_server):
    bomb = gzip.compress(b"\0" * (300 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024

    def send_bomb(conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(bomb) + bomb)
    raw_server.handler = send_bomb
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as err:
            quick(max_bytes=5 * 1024 * 1024).fetch(raw_server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.kind == "too_large"
    assert peak < 60 * 1024 * 1024


def test_redirects_are_followed_and_recorded(httpserver):
    httpserver.expect_request("/old").respond_with_response(
        WResponse(status=301, headers={"Location": "/new"}))
    httpserver.expect_request("/new").respond_with_data("here")
    resp = quick().fetch(httpserver.url_for("/old"))
    assert resp.body == b"here"
    assert resp.url.endswith("/new")
    assert resp.redirects == [(301, httpserver.url_for("/new"))]


def test_redirect_loop_is_stopped_with_a_message(httpserver):
    httpserver.expect_request("/a").respond_with_response(
        WResponse(status=302, headers={"Location": "/b"}))
    httpserver.expect_request("/b").respond_with_response(
        WResponse(status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError) as err:
        quick().fetch(httpserver.url_for("/a"))
    assert err.value.kind == "too_many_redirects"
    assert "loop" in err.value.message


def test_thirty_hop_chain_is_stopped_at_the_cap(httpserver):
    for i in range(30):
        httpserver.expect_request(f"/hop{i}").respond_with_response(
            WResponse(status=302, headers={"Location": f"/hop{i + 1}"}))
    with pytest.raises(FetchError) as err:
        quick(max_redirects=10).fetch(httpserver.url_for("/hop0"))
    assert err.value.kind == "too_many_redirects"
    assert "more than 10 times" in err.value.message
    assert len(httpserver.log) == 11


@pytest.mark.parametrize("target", ["javascript:alert(1)", "file:///etc/passwd",
                                    "ftp://example.org/x"])
def test_redirect_to_a_non_web_address_is_not_followed(httpserver, target):
    httpserver.expect_request("/r").respond_with_response(
        WResponse(status=302, headers={"Location": target}))
    with pytest.raises(FetchError) as err:
        quick().fetch(httpserver.url_for("/r"))
    assert err.value.kind == "bad_scheme"


def test_refused_connection_is_explained():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(FetchError) as err:
        quick().fetch(f"http://127.0.0.1:{port}/")
    assert err.value.kind == "refused"


def test_unknown_site_name_is_explained():
    with pytest.raises(FetchError) as err:
        quick().fetch("http://no-such-site.invalid/")
    assert err.value.kind == "dns"
    assert "could not be found" in err.value.message


@pytest.fixture(scope="module")
def tls_server():
    """An HTTPS server whose certificate comes from a private authority (as a TLS-inspecting
    council proxy's does)."""
    with servers.tls_server(b"<html><title>secure</title></html>") as (ca, url):
        yield ca, url


def test_untrusted_certificate_is_a_tls_error_with_advice(tls_server):
    _, url = tls_server
    with pytest.raises(FetchError) as err:
        quick().fetch(url)
    assert err.value.kind == "tls"
    assert "certificates" in err.value.message


def test_system_certificate_store_can_be_trusted(tls_server, tmp_path, monkeypatch):
    ca, url = tls_server
    # Put the private authority into "the operating system's store" that truststore reads
    # on Linux (OpenSSL's default file), as IT would on a council laptop.
    bundle = tmp_path / "system-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    resp = quick(use_system_certificates=True).fetch(url)
    assert resp.status == 200 and b"secure" in resp.body


def test_system_proxy_settings_are_honoured(raw_server, monkeypatch):
    seen = []

    def proxy(conn, request):
        seen.append(request.split(b"\r\n")[0])
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied")
    raw_server.handler = proxy
    monkeypatch.setenv("HTTP_PROXY", raw_server.url(""))
    monkeypatch.delenv("NO_PROXY", raising=False)
    resp = quick().fetch("http://intranet.example/page")
    assert resp.body == b"proxied"
    assert seen == [b"GET http://intranet.example/page HTTP/1.1"]
    # "No proxy" ignores the system setting.
    with pytest.raises(FetchError):
        quick(proxy="none").fetch("http://intranet.example/page")


def test_cancel_stops_a_fetch(httpserver):
    httpserver.expect_request("/").respond_with_data("x")
    with pytest.raises(Cancelled):
        quick().fetch(httpserver.url_for("/"), cancel=lambda: True)
